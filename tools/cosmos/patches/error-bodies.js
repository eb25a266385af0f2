'use strict';
// Defect: many stock handlers answer 404/409/412 with an empty body `{}` (the server then adds
// `message: ""`) or with `{message: "conflict"}` and no `code`, unlike Cosmos DB, which always
// sends `{"code": "...", "message": "..."}`. Also, document routes on a missing database or
// container either crash with 500 (create) or answer 404 without a body. This patch guards every
// document route with a container-exists check and fills in proper error bodies.

const { addPostProcessor, overrideHandler, notFound, conflict, preconditionFailed } = require('./_internals');

const DOC_HANDLERS = [
  'create-document',
  'upsert-document',
  'read-document',
  'replace-document',
  'delete-document',
  'patch-document',
  'query-documents',
  'read-documents',
  'batch-documents'
];

module.exports = function apply() {
  for (const name of DOC_HANDLERS) {
    overrideHandler(name, next => (account, req, res, params) => {
      const database = account.database(params.dbId);
      if (!database.read()) {
        res.statusCode = 404;
        return notFound(`Database '${params.dbId}' does not exist.`);
      }
      if (!database.collection(params.collId).read()) {
        res.statusCode = 404;
        return notFound(`Container '${params.collId}' does not exist.`);
      }
      return next(account, req, res, params);
    });
  }

  addPostProcessor((req, res, body) => {
    const status = res.statusCode;
    if (status < 400) return body;
    const b = body && typeof body === 'object' && !Array.isArray(body) ? body : {};
    if (b.code) return b;
    if (status === 404) return { ...notFound(), ...(b.message ? { message: b.message } : {}) };
    if (status === 409) {
      return b.message && b.message !== 'conflict' ? { ...conflict(), message: b.message } : conflict();
    }
    if (status === 412) return { ...preconditionFailed(), ...(b.message ? { message: b.message } : {}) };
    if (status === 400) return { code: 'BadRequest', message: b.message || 'Bad request' };
    return b;
  });
};
