'use strict';
// Defect: GET of a missing item crashes the stock read handler
// ("Cannot read properties of undefined", HTTP 500) because it dereferences the missing document
// while comparing partition-key values; it also only compares top-level partition-key paths.
// Replacement: 404 {"code":"NotFound"} for a missing item, proper partition-key comparison
// (nested paths too). Replace/delete/patch of a missing item already answer 404 in the stock
// server; their empty bodies are filled in by error-bodies.js.

const { isDeepStrictEqual } = require('util');
const {
  lib,
  overrideHandler,
  notFound,
  badRequest,
  partitionKeyPaths,
  getPath,
  trueHeader
} = require('./_internals');

module.exports = function apply() {
  const { parsePartitionKey } = lib('utils/get-partition-from-header');

  overrideHandler('read-document', () => (account, req, res, { dbId, collId, docId }) => {
    const collection = account.database(dbId).collection(collId);
    const coll = collection.read();
    if (!coll) {
      res.statusCode = 404;
      return notFound();
    }
    let rawHeader = req.headers['x-ms-documentdb-partitionkey'];
    if (Array.isArray(rawHeader)) [rawHeader] = rawHeader;
    let parsed;
    try {
      parsed = rawHeader === undefined ? docId : parsePartitionKey(rawHeader, docId);
    } catch (err) {
      res.statusCode = 400;
      return badRequest(err.message);
    }
    const data = collection.document(docId, parsed).read();
    if (!data) {
      res.statusCode = 404;
      return notFound();
    }
    if (!trueHeader(req, 'x-ms-documentdb-query-enablecrosspartition') && rawHeader && rawHeader !== '[{}]') {
      const paths = partitionKeyPaths(coll).filter(p => !(p.length === 1 && p[0] === '_partitionKey'));
      let clientKeys;
      try {
        clientKeys = JSON.parse(rawHeader);
      } catch (err) {
        clientKeys = [];
      }
      if (!Array.isArray(clientKeys)) clientKeys = [clientKeys];
      if (paths.length > clientKeys.length) {
        res.statusCode = 400;
        return badRequest(
          'The partition key supplied in x-ms-partitionkey header has fewer components than defined in the collection'
        );
      }
      for (let i = 0; i < paths.length; i += 1) {
        const actual = getPath(data, paths[i]);
        const expected = clientKeys[i];
        const same =
          isDeepStrictEqual(actual, expected) ||
          ((actual === undefined || actual === null) && expected === null);
        if (!same) {
          res.statusCode = 404;
          return notFound();
        }
      }
    }
    res.statusCode = 200;
    return data;
  });
};
