'use strict';
// Not a defect: fault injection for tests, which the stock server cannot model (it never throttles
// nor fails). `POST /_test/faults?status=429&count=N[&retryAfterMs=M][&path=S][&method=M]` makes the
// next N document requests whose path contains S (default "/docs") and whose method is M (default
// any) answer `status` with a Cosmos error body (429 with x-ms-retry-after-ms). `GET /_test/faults`
// tells how many are left; `DELETE /_test/faults` disarms. Nothing changes while none is armed.

const { addInterceptor } = require('./_internals');

const NAMES = { 408: 'RequestTimeout', 429: 'TooManyRequests', 449: 'RetryWith', 500: 'InternalServerError', 503: 'ServiceUnavailable' };
let armed = null;

function admin(req) {
  const url = new URL(req.url, 'http://local');
  if (req.method === 'POST') {
    armed = {
      status: Number(url.searchParams.get('status') || 503),
      count: Number(url.searchParams.get('count') || 1),
      retryAfterMs: Number(url.searchParams.get('retryAfterMs') || 100),
      path: url.searchParams.get('path') || '/docs',
      method: url.searchParams.get('method')
    };
  } else if (req.method === 'DELETE') {
    armed = null;
  }
  return [{}, (account, rq, res) => ({ left: armed ? armed.count : 0 })];
}

module.exports = function apply() {
  addInterceptor(req => {
    if (req.url.startsWith('/_test/faults')) return admin(req);
    if (!armed || armed.count <= 0 || !req.url.includes(armed.path)) return undefined;
    if (armed.method && armed.method !== req.method) return undefined;
    armed.count -= 1;
    const { status, retryAfterMs } = armed;
    return [
      {},
      (account, rq, res) => {
        res.statusCode = status;
        if (status === 429) res.setHeader('x-ms-retry-after-ms', String(retryAfterMs));
        res.setHeader('x-ms-substatus', '0');
        return { code: NAMES[status] || 'Error', message: `Injected fault (${status}) from the test server` };
      }
    ];
  });
};
