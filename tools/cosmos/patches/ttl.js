'use strict';
// Defect: time-to-live is not implemented in the stock server: neither the container's
// `defaultTtl` nor an item's `ttl` ever removes anything. This patch expires items lazily:
// an item is treated as deleted (and purged) once `now >= _ts + ttl` whenever it is looked up
// (point read, replace, patch, delete, upsert, create-conflict check) or a query/read-feed runs.
// Semantics follow Cosmos DB: with no `defaultTtl` on the container nothing expires (item `ttl`
// ignored); `defaultTtl: -1` means "off unless the item sets ttl"; item `ttl: -1` never expires.

const { lib } = require('./_internals');

function effectiveTtl(doc, coll) {
  if (!coll) return null;
  const def = coll.defaultTtl;
  if (def === undefined || def === null) return null;
  const own = doc.ttl;
  const ttl = own !== undefined && own !== null ? own : def;
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl <= 0) return null; // -1 / invalid: never
  return ttl;
}

function isExpired(doc, coll, nowSeconds) {
  if (!doc || typeof doc._ts !== 'number') return false;
  const ttl = effectiveTtl(doc, coll);
  return ttl !== null && nowSeconds >= doc._ts + ttl;
}

/** Remove one stored document without going through Items#_item (which is wrapped below). */
function purge(items, doc) {
  const getValue = lib('utils/get-value').default;
  items._uniqueKeyPaths.forEach(keyPath => {
    const keyPathValue = getValue(keyPath.slice(1).split('/'), doc);
    items._index.delete(items._getId(keyPath, keyPathValue, items._getPartition(doc)));
  });
  items._data.delete(doc._rid);
}

function purgeExpired(items) {
  const coll = items._parent.read();
  if (!coll || coll.defaultTtl === undefined || coll.defaultTtl === null) return;
  const now = Date.now() / 1000;
  for (const item of [...items._data.values()]) {
    const doc = item.read();
    if (isExpired(doc, coll, now)) purge(items, doc);
  }
}

module.exports = function apply() {
  const Documents = lib('account/documents').default;
  const proto = Documents.prototype;

  const originalItem = proto._item;
  proto._item = function _item(keyPath, keyPathValue, partition) {
    const item = originalItem.call(this, keyPath, keyPathValue, partition);
    const doc = item.read();
    if (doc && isExpired(doc, this._parent.read(), Date.now() / 1000)) {
      purge(this, doc);
      return this._newItem();
    }
    return item;
  };

  for (const name of ['query', 'read']) {
    const original = proto[name];
    proto[name] = function wrapped(...args) {
      purgeExpired(this);
      return original.apply(this, args);
    };
  }
};

module.exports.purgeExpired = purgeExpired;
