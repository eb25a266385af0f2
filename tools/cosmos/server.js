#!/usr/bin/env node
'use strict';
// In-memory Cosmos DB NoSQL test server for tests and local development.
// @vercel/cosmosdb-server (pinned 1.0.1) + runtime patches from ./patches, plain HTTP on 127.0.0.1.
//
//   node server.js [--port N]        (or env COSMOS_PORT; default 8081; 0 = pick a free port)
//
// Prints "cosmos test server listening on http://127.0.0.1:PORT" once ready. All state is in
// memory and lost on exit. Use with the .NET SDK in Gateway mode with LimitToEndpoint = true.

const applyPatches = require('./patches');

function parsePort(argv, env) {
  let value = env.COSMOS_PORT;
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--port' && i + 1 < argv.length) value = argv[i + 1];
    else if (argv[i].startsWith('--port=')) value = argv[i].slice('--port='.length);
  }
  if (value === undefined || value === '') return 8081;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`invalid port: ${value}`);
    process.exit(2);
  }
  return port;
}

const port = parsePort(process.argv.slice(2), process.env);
applyPatches({ scheme: 'http' });
const { createHttpServer } = require('@vercel/cosmosdb-server');

const server = createHttpServer({ keepAlive: true });
// Keep idle keep-alive connections open longer than the client's pool idle timeout would probe,
// so the SDK does not race against the server closing a socket it is about to reuse.
server.keepAliveTimeout = 120 * 1000;
server.headersTimeout = 125 * 1000;
server.requestTimeout = 0;

// COSMOS_LOG_REQUESTS=1 logs one line per request (method, path, status, query-plan flag).
if (process.env.COSMOS_LOG_REQUESTS === '1') {
  server.prependListener('request', (req, res) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const flags = [
        req.headers['x-ms-cosmos-is-query-plan-request'] ? 'plan' : '',
        req.headers['x-ms-documentdb-isquery'] ? 'query' : '',
        req.headers['x-ms-documentdb-partitionkey'] ? `pk=${req.headers['x-ms-documentdb-partitionkey']}` : ''
      ].filter(Boolean).join(' ');
      console.log(`${req.method} ${req.url} ${res.statusCode} ${ms.toFixed(1)}ms ${flags}`);
    });
  });
}

server.on('error', err => {
  console.error(`cosmos test server failed: ${err.message}`);
  process.exit(1);
});

server.listen(port, '127.0.0.1', () => {
  console.log(`cosmos test server listening on http://127.0.0.1:${server.address().port}`);
});

let stopping = false;
function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`cosmos test server stopping (${signal})`);
  server.close(() => process.exit(0));
  if (typeof server.closeAllConnections === 'function') server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
