'use strict';
// Defect: on Linux/macOS the .NET SDK cannot plan queries locally (no ServiceInterop), so before
// most queries it POSTs the SQL with `x-ms-cosmos-is-query-plan-request: True` and expects a
// PartitionedQueryExecutionInfo. The stock server runs it as an ordinary query and returns
// documents, which makes the SDK fail (CosmosNullReferenceException / 400) for ORDER BY, LINQ
// ToFeedIterator, ReadManyItemsAsync, cross-partition queries and COUNT.
// This patch answers such requests with a pass-through plan: no rewrite, no client-side ORDER BY /
// aggregate / DISTINCT / OFFSET-LIMIT stages, one query range "" .. "FF" (the server has exactly
// one partition key range). The SDK then sends the original SQL, which this server runs in full
// (see query.js), and the result is correct because there is only one physical partition.

const { addInterceptor, lib, notFound, trueHeader } = require('./_internals');

const DOCS_PATH = /^\/+dbs\/([^/]+)\/colls\/([^/]+)\/docs\/*$/;

function plan() {
  return {
    partitionedQueryExecutionInfoVersion: 2,
    queryInfo: {
      distinctType: 'None',
      top: null,
      offset: null,
      limit: null,
      orderBy: [],
      orderByExpressions: [],
      groupByExpressions: [],
      groupByAliases: [],
      aggregates: [],
      groupByAliasToAggregateType: {},
      rewrittenQuery: '',
      hasSelectValue: false,
      dCountInfo: null,
      hasNonStreamingOrderBy: false
    },
    queryRanges: [{ min: '', max: 'FF', isMinInclusive: true, isMaxInclusive: false }]
  };
}

module.exports = function apply() {
  const readJson = lib('json').default;

  addInterceptor(req => {
    if (req.method !== 'POST' || !trueHeader(req, 'x-ms-cosmos-is-query-plan-request')) return undefined;
    const pathname = (req.url || '').split('?')[0];
    const m = DOCS_PATH.exec(pathname);
    if (!m) return undefined;
    const params = { dbId: decodeURIComponent(m[1]), collId: decodeURIComponent(m[2]) };
    return [
      params,
      async (account, rq, res, { dbId, collId }) => {
        await readJson(rq).catch(() => null); // drain the body (the SQL itself is not needed)
        if (!account.database(dbId).collection(collId).read()) {
          res.statusCode = 404;
          return notFound(`Container '${collId}' does not exist.`);
        }
        res.statusCode = 200;
        return plan();
      }
    ];
  });
};
