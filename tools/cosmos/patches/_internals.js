'use strict';
// Shared helpers for the runtime patches. Everything here reaches into the internals of
// @vercel/cosmosdb-server 1.0.1 (pinned exactly in ../package.json): bumping the version
// requires re-checking every patch in this directory.

const path = require('path');

const PKG_LIB = path.join(path.dirname(require.resolve('@vercel/cosmosdb-server/package.json')), 'lib');

function lib(rel) {
  return require(path.join(PKG_LIB, rel));
}

// The SQL engine exactly as the server loads it (same module instance, wherever npm placed it).
const QUERY_PKG = path.dirname(
  require.resolve('@zeit/cosmosdb-query/package.json', { paths: [PKG_LIB] })
);
function queryLib(rel) {
  return require(rel ? path.join(QUERY_PKG, 'lib', rel) : QUERY_PKG);
}

const EXPECTED_VERSION = '1.0.1';
function assertVersion() {
  const { version } = require('@vercel/cosmosdb-server/package.json');
  if (version !== EXPECTED_VERSION) {
    throw new Error(
      `tools/cosmos patches were written for @vercel/cosmosdb-server ${EXPECTED_VERSION}, found ${version}`
    );
  }
}

// ---- routing hooks -------------------------------------------------------------------------
// lib/index.js resolves `routes.default(req)` on every request, so replacing that export lets us
// (a) intercept requests before routing and (b) swap individual handlers for wrapped versions.
const interceptors = []; // (req) => [params, handler] | undefined
const overrides = new Map(); // original handler fn -> replacement fn
const postProcessors = []; // (req, res, body) => body, run on every routed response

let routingInstalled = false;
function installRouting() {
  if (routingInstalled) return;
  routingInstalled = true;
  const routes = lib('routes');
  const original = routes.default;
  routes.default = req => {
    for (const intercept of interceptors) {
      const hit = intercept(req);
      if (hit) return hit;
    }
    const route = original(req);
    if (!route) return route;
    const handler = overrides.get(route[1]) || route[1];
    if (!postProcessors.length) return [route[0], handler];
    return [
      route[0],
      async (account, rq, res, params) => {
        let body = await handler(account, rq, res, params);
        for (const post of postProcessors) body = post(rq, res, body);
        return body;
      }
    ];
  };
}

function addPostProcessor(fn) {
  installRouting();
  postProcessors.push(fn);
}

function addInterceptor(fn) {
  installRouting();
  interceptors.push(fn);
}

/** Replace handler lib/handler/<name>.js with factory(currentHandler). Stackable. */
function overrideHandler(name, factory) {
  installRouting();
  const original = lib(`handler/${name}`).default;
  const current = overrides.get(original) || original;
  overrides.set(original, factory(current));
}

// ---- common bodies -------------------------------------------------------------------------
const notFound = (message = 'Entity with the specified id does not exist in the system.') => ({
  code: 'NotFound',
  message
});
const conflict = (message = 'Entity with the specified id already exists in the system.') => ({
  code: 'Conflict',
  message
});
const preconditionFailed = (
  message = 'Operation cannot be performed because one of the specified precondition is not met.'
) => ({ code: 'PreconditionFailed', message });
const badRequest = message => ({ code: 'BadRequest', message });

// ---- partition keys ------------------------------------------------------------------------
/**
 * Parses the x-ms-documentdb-partitionkey header. Returns undefined when absent or when it is
 * the SDK's "no partition key" marker `[{}]`, otherwise the array of key components.
 */
function partitionKeyFromHeader(req) {
  let raw = req.headers['x-ms-documentdb-partitionkey'];
  if (Array.isArray(raw)) [raw] = raw;
  if (!raw || raw === '[{}]') return undefined;
  let parsed;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    return undefined;
  }
  if (!Array.isArray(parsed)) parsed = [parsed];
  return parsed;
}

function getPath(obj, segments) {
  let cur = obj;
  for (const s of segments) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[s];
  }
  return cur;
}

function partitionKeyPaths(collectionData) {
  const paths = ((collectionData || {}).partitionKey || {}).paths || [];
  return paths.map(p => p.slice(1).split('/'));
}

function trueHeader(req, name) {
  const v = req.headers[name];
  if (!v) return false;
  return (Array.isArray(v) ? v : [v]).some(h => String(h).toLowerCase() === 'true');
}

module.exports = {
  lib,
  queryLib,
  assertVersion,
  addInterceptor,
  addPostProcessor,
  overrideHandler,
  notFound,
  conflict,
  preconditionFailed,
  badRequest,
  partitionKeyFromHeader,
  partitionKeyPaths,
  getPath,
  trueHeader
};
