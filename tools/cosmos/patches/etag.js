'use strict';
// Defect: the stock If-Match check compares the raw header with the stored `_etag` byte for byte.
// Stale ETags are correctly rejected with 412 (replace, upsert, delete, patch), but `If-Match: *`
// (matches any existing item) is rejected too, and an ETag sent with surrounding quotes or a
// W/ prefix never matches. This patch normalises the header before the stock comparison.

const { lib } = require('./_internals');

function normalise(ifMatch) {
  if (ifMatch === undefined || ifMatch === null) return ifMatch;
  let v = Array.isArray(ifMatch) ? ifMatch[0] : String(ifMatch);
  v = v.trim();
  if (v === '*' || v === '') return undefined; // item existence is checked separately
  if (v.startsWith('W/')) v = v.slice(2);
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
  return v;
}

module.exports = function apply() {
  const docOps = lib('handler/_document-operations');
  for (const name of ['replaceOperation', 'deleteOperation', 'upsertOperation']) {
    const original = docOps[name];
    docOps[name] = (collection, input) => original(collection, { ...input, ifMatch: normalise(input.ifMatch) });
  }
  const patchOps = lib('handler/_patch-operations');
  const originalPatch = patchOps.patchOperation;
  patchOps.patchOperation = (collection, input) =>
    originalPatch(collection, { ...input, ifMatch: normalise(input.ifMatch) });
};
