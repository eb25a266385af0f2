'use strict';
// Defects fixed in the document query handler (POST .../docs with x-ms-documentdb-isquery):
//  1. The stock handler ignores the `x-ms-documentdb-partitionkey` header, so a query scoped only by
//     the SDK's QueryRequestOptions.PartitionKey (no partition-key filter in the SQL) fails with
//     400 "missing partition keys" - and if it ran it would return other partitions' items.
//     Here the header restricts the queried items to that logical partition.
//  2. `OFFSET n LIMIT m` and `SELECT DISTINCT` are not understood by the SQL engine
//     (@zeit/cosmosdb-query 0.7.2, 400 parser error). They are stripped from the SQL and applied
//     by post-processing the full result, with our own continuation tokens for paging.

const { isDeepStrictEqual } = require('util');
const {
  lib,
  overrideHandler,
  badRequest,
  partitionKeyFromHeader,
  partitionKeyPaths,
  getPath,
  trueHeader
} = require('./_internals');
const { purgeExpired } = require('./ttl');

const OFFSET_LIMIT = /\s+OFFSET\s+(\d+|@[A-Za-z_][A-Za-z0-9_]*)\s+LIMIT\s+(\d+|@[A-Za-z_][A-Za-z0-9_]*)\s*$/i;
const DISTINCT = /^(\s*SELECT\s+)DISTINCT\s+/i;
const PP_TOKEN = /^\+PP:(\d+)$/;

function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map(k => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v === undefined ? null : v);
}

function resolveNumber(token, parameters) {
  if (/^\d+$/.test(token)) return parseInt(token, 10);
  const p = (parameters || []).find(x => x.name === token);
  if (!p || typeof p.value !== 'number') {
    const err = new Error(`OFFSET/LIMIT parameter ${token} must be a number`);
    err.badRequest = true;
    throw err;
  }
  return p.value;
}

/** Splits the SQL into what the engine understands plus the post-processing steps. */
function rewrite(sql, parameters) {
  let query = sql;
  let offset = null;
  let limit = null;
  let distinct = false;
  const ol = OFFSET_LIMIT.exec(query);
  if (ol) {
    offset = resolveNumber(ol[1], parameters);
    limit = resolveNumber(ol[2], parameters);
    query = query.slice(0, ol.index);
  }
  if (DISTINCT.test(query)) {
    distinct = true;
    query = query.replace(DISTINCT, '$1');
  }
  return { query, offset, limit, distinct, postProcess: ol !== null || distinct };
}

function filterByPartition(docs, coll, pk) {
  if (pk === undefined) return docs;
  const paths = partitionKeyPaths(coll);
  if (!paths.length) return docs;
  return docs.filter(doc =>
    paths.every((p, i) => {
      if (i >= pk.length) return true; // prefix of a hierarchical key
      const actual = getPath(doc, p);
      return isDeepStrictEqual(actual, pk[i]) || (actual === undefined && pk[i] === null);
    })
  );
}

function executeQuery(collection, body, { maxItemCount, continuation, partitionKey }) {
  const items = collection.documents;
  purgeExpired(items);
  const coll = collection.read();
  const docs = filterByPartition(
    [...items._data.values()].map(i => i.read()),
    coll,
    partitionKey
  );
  const parameters = body.parameters || [];
  const { query, offset, limit, distinct, postProcess } = rewrite(body.query, parameters);
  const options = {
    parameters,
    udf: items._userDefinedFunctions(),
    compositeIndexes: ((coll.indexingPolicy || {}).compositeIndexes) || []
  };
  const q = items._getQuery(query);
  if (!postProcess) {
    return q.exec(docs, { ...options, maxItemCount, continuation });
  }
  let rows = q.exec(docs, options).result;
  if (distinct) {
    const seen = new Set();
    rows = rows.filter(r => {
      const key = canonical(r);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  if (offset !== null) rows = rows.slice(offset, offset + limit);
  let start = 0;
  if (continuation && typeof continuation.token === 'string') {
    const m = PP_TOKEN.exec(continuation.token);
    if (m) start = parseInt(m[1], 10);
  }
  const pageSize = maxItemCount > 0 ? maxItemCount : rows.length;
  const page = rows.slice(start, start + pageSize);
  const next = start + pageSize;
  return {
    result: page,
    continuation: next < rows.length ? { token: `+PP:${next}`, range: { min: '', max: 'FF' } } : null
  };
}

module.exports = function apply() {
  const readItems = lib('handler/_read-items').default;
  const readJson = lib('json').default;

  overrideHandler('query-documents', () => async (account, req, res, { dbId, collId }) =>
    readItems(req, res, 'Documents', async ({ continuation, maxItemCount }) => {
      const body = await readJson(req);
      if (!body.query) {
        res.statusCode = 400;
        return badRequest('missing query');
      }
      const collection = account.database(dbId).collection(collId);
      const coll = collection.read();
      if (!coll) return null; // -> 404
      const partitionKey = partitionKeyFromHeader(req);
      const scoped =
        partitionKey !== undefined ||
        trueHeader(req, 'x-ms-documentdb-query-enablecrosspartition') ||
        req.headers['x-ms-documentdb-partitionkeyrangeid'] !== undefined;
      if (!scoped) {
        const paths = (coll.partitionKey || {}).paths || [];
        const { query } = rewrite(body.query, body.parameters);
        if (paths.length && !collection.documents._getQuery(query).containsPartitionKeys(paths)) {
          res.statusCode = 400;
          return badRequest(
            'Cross partition query is required but disabled. Please set x-ms-documentdb-query-enablecrosspartition to true, specify x-ms-documentdb-partitionkey, or revise your query to avoid this exception.'
          );
        }
      }
      try {
        return executeQuery(collection, body, { maxItemCount, continuation, partitionKey });
      } catch (err) {
        // like the stock Items#query: anything the SQL engine throws is the query's fault
        res.statusCode = 400;
        return badRequest(err.message);
      }
    })
  );
};

module.exports.rewrite = rewrite;
