'use strict';
// Defect: the stock conditional patch (PatchItemRequestOptions.FilterPredicate, sent as
// `condition: "FROM c WHERE ..."`) lower-cases the whole predicate before running it, so any
// camelCase property (`c.createdAt`) or mixed-case string literal ('Running') never matches and the
// patch fails with 412; it also evaluates the predicate against every item with that id in the
// container instead of the one addressed item (other partitions leak in). This patch evaluates the
// predicate, case preserved, against the addressed item only: 412 when it does not hold, 400 when
// it does not parse, then runs the stock patch without the condition.

const { lib, queryLib, preconditionFailed, badRequest } = require('./_internals');

const createQuery = queryLib().default;

function toQuery(condition) {
  const c = condition.trim();
  if (/^select\s/i.test(c)) return c;
  if (/^from\s/i.test(c)) return `SELECT * ${c}`;
  if (/^where\s/i.test(c)) return `SELECT * FROM c ${c}`;
  return `SELECT * FROM c WHERE ${c}`;
}

module.exports = function apply() {
  const patchOps = lib('handler/_patch-operations');
  const { parsePartitionKey } = lib('utils/get-partition-from-header');
  const original = patchOps.patchOperation;

  patchOps.patchOperation = (collection, input) => {
    if (!input.condition) return original(collection, input);
    const data = collection.document(input.id, parsePartitionKey(input.partitionKey, input.id)).read();
    if (!data) return original(collection, { ...input, condition: undefined }); // stock 404
    let matched;
    try {
      matched = createQuery(toQuery(String(input.condition))).exec([data], {}).result.length > 0;
    } catch (err) {
      return { statusCode: 400, body: badRequest(`Invalid condition in patch request: ${err.message}`) };
    }
    if (!matched) {
      return {
        statusCode: 412,
        body: preconditionFailed('Condition specified in the patch request is not satisfied.')
      };
    }
    return original(collection, { ...input, condition: undefined });
  };
};
