'use strict';
// Defect fixed: resource ids (_rid) are written in plain base64, so about one database in ten gets a rid
// containing '/' (e.g. "gAG/AA=="). The SDK addresses queries by rid (dbs/{rid}/colls/{rid}/pkranges), the '/'
// splits the path, and the query fails with 404 "GetTargetPartitionKeyRanges ... failed due to stale cache".
// Cosmos DB writes rids in base64 with '/' replaced by '-'; the stock parser also replaced only the first '-'.

const { lib } = require('./_internals');

module.exports = function apply() {
  const ResourceId = lib('account/resource-id').default;
  ResourceId.toBase64String = buffer => buffer.toString('base64').replace(/\//g, '-');
  ResourceId.fromBase64String = s => Buffer.from(s.replace(/-/g, '/'), 'base64');
};
