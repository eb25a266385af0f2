'use strict';
// Applies every runtime patch to @vercel/cosmosdb-server (pinned at exactly 1.0.1).
// Order matters: handler replacements first, then wrappers that must see the final handlers.

const { assertVersion } = require('./_internals');

let applied = false;

module.exports = function applyPatches(options = {}) {
  if (applied) return;
  applied = true;
  assertVersion();
  require('./http-endpoints')(options);
  require('./resource-ids')();
  require('./ttl')();
  require('./etag')();
  require('./conditional-patch')();
  require('./not-found')();
  require('./query')();
  require('./string-functions')();
  require('./query-plan')();
  require('./error-bodies')(); // last: wraps the handlers installed above
  require('./faults')();
};
