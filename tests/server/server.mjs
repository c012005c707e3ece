// A local, HoneyHive-compatible HTTP server for tests and demos.
//
// It implements the four API routes of the reference logger (POST /session/start, POST /events,
// PUT /events, POST /events/batch) with the validation rules of HoneyHive's OpenAPI
// description, and the v2 routes of the data plane (POST /v1/sessions, POST /v1/events,
// PUT /v1/events/{id}, POST /v1/events/batch, POST /v1/sessions/{id}/events/batch) checked
// against its published schemas (v2.mjs). It records every request it receives, and can inject
// faults (error statuses, Retry-After, malformed bodies, hangs, dropped connections, lost
// answers, truncated answers) so tests can exercise the SDK's retry and error handling.
// This file holds the server, its routing and common checks, and the command line; the reference's
// routes and the store are in records.mjs, the faults in faults.mjs, the request log and HTTP
// plumbing in http.mjs.
//
// Node.js (>= 20), ESM; its only dependencies (ajv, yaml, for the v2 schemas) are the test
// project's (tests/package.json). Use it in-process:
//   const server = await startServer({ apiKey: 'k' });   // server.url, server.requests(), ...
// or as a script:
//   node tests/server/server.mjs [--port N] [--host H] [--print] [--api-key K]
//   (or the key in HH_SERVER_API_KEY, which `ps` does not show)
// which prints `listening http://127.0.0.1:PORT` as its first line.

import http from 'node:http';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { v2Routes } from './v2.mjs';
import {
  API_ROUTES,
  badRequest,
  createStore,
  isPlainObject,
  reply,
  sessionStartResponse,
  storeBatch,
  storeEvent,
  storeSnapshot,
} from './records.mjs';
import { createFaultQueue, injectedReply } from './faults.mjs';
import {
  bearerToken,
  createRequestLog,
  formatRecord,
  hostForUrl,
  listen,
  pathOf,
  readBody,
  send,
  sendTruncated,
  waitUnlessClosed,
} from './http.mjs';

// static.mjs serves with the same `listen`.
export { listen };

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-expose-headers': 'retry-after',
  'access-control-max-age': '600',
};

const ADMIN_PREFIX = '/__admin/';

// HoneyHive's v2 routes (/v1/...), checked against the data plane's published schemas.
const V2 = v2Routes({ storeEvent, storeBatch, sessionStartResponse, reply });

/** A typed key of the current platform (hh_ingst_…, hh_fgdp_…): it names its project. */
function isTypedKey(key) {
  return /^hh_(ingst|fgdp)_[A-Za-z0-9]{24}_[A-Za-z0-9_-]{64}$/.test(key ?? '');
}

// ---------------------------------------------------------------------------
// Checks common to the API routes
// ---------------------------------------------------------------------------

function checkAuthorization(header, apiKey) {
  if (header === undefined || header === '') return 'missing Authorization header (expected "Bearer <api key>")';
  const match = /^Bearer (.*)$/.exec(header);
  if (!match || match[1].trim() === '') return 'Authorization header must be "Bearer <api key>" with a non-empty key';
  if (apiKey !== undefined && match[1] !== apiKey) return 'invalid API key';
  return null;
}

function checkContentType(header) {
  if (typeof header === 'string' && header.toLowerCase().startsWith('application/json')) return null;
  return `Content-Type must be application/json (got ${header === undefined ? 'none' : JSON.stringify(header)})`;
}

function parseJsonObject(raw) {
  let value;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    return { error: `request body is not valid JSON: ${err.message}` };
  }
  if (!isPlainObject(value)) return { error: 'request body must be a JSON object' };
  return { value };
}

/** Runs an API request through routing, the common checks and its handler. */
function processApiRequest(store, apiKey, method, path, headers, raw, fault) {
  const route = API_ROUTES[path] ?? V2.route(path);
  if (!route) return reply(404, { error: `no route for ${path}` });
  const handler = route[method];
  if (!handler) {
    const allowed = Object.keys(route).join(', ');
    return reply(405, { error: `method ${method} not allowed on ${path} (allowed: ${allowed})` }, { allow: allowed });
  }
  const authProblem = checkAuthorization(headers.authorization, apiKey);
  if (authProblem) return reply(401, { error: authProblem });
  const typeProblem = checkContentType(headers['content-type']);
  if (typeProblem) return reply(415, { error: typeProblem });
  const { value: body, error } = parseJsonObject(raw);
  if (error) return badRequest(error);
  return handler(store, body, fault, { typedKey: isTypedKey(bearerToken(headers.authorization)) });
}

// ---------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------

/**
 * Starts the server. Options: host ('127.0.0.1'), port (0 = any free port), apiKey (if set,
 * only `Bearer <apiKey>` is accepted), print (write each request to stdout, key masked).
 * Returns { url, port, requests(), state(), reset(), inject(fault), setApiKey(key), close() }.
 */
export async function startServer(options = {}) {
  const { host = '127.0.0.1', port = 0, apiKey, print = false, portHint } = options;
  const ctx = {
    apiKey,
    print,
    store: createStore(),
    log: createRequestLog(),
    faults: createFaultQueue(),
    waits: new Set(),
  };
  ctx.reset = () => {
    ctx.store = createStore();
    ctx.log.clear();
    ctx.faults.clear();
  };
  ctx.state = () => ({ ...storeSnapshot(ctx.store), faults: ctx.faults.list() });

  const server = http.createServer((req, res) => {
    handleRequest(ctx, req, res).catch((err) => answerInternalError(res, err));
  });
  // Never close an idle kept-alive connection: only the side that reuses a connection can close
  // it without a race. Node's default (5 s) closes it from here, and a client whose event loop
  // was busy when the answer came (a burst of 10 000 calls) still holds it as idle and reuses it
  // in the moment the close is on its way: the request then fails with "other side closed"
  // (UND_ERR_SOCKET). With no timeout here, clients close idle connections themselves (undici
  // after 4 s, browsers and Deno later) and close() below ends what is left.
  server.keepAliveTimeout = 0;
  const boundPort = await listen(server, host, port, portHint);

  return {
    url: `http://${hostForUrl(host)}:${boundPort}`,
    port: boundPort,
    requests: () => ctx.log.snapshot(),
    state: () => ctx.state(),
    reset: () => ctx.reset(),
    inject: (fault) => ctx.faults.add(fault),
    // From now on, accept only `key` (a key rotated, or a consumer's key fixed).
    setApiKey: (key) => void (ctx.apiKey = key),
    close: () => closeServer(server, ctx.waits),
  };
}

function closeServer(server, waits) {
  return new Promise((resolve, reject) => {
    for (const cancel of [...waits]) cancel();
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}

function answerInternalError(res, err) {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  send(res, reply(500, { error: `internal test-server error: ${err.message}` }));
}

async function handleRequest(ctx, req, res) {
  for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
  const path = pathOf(req.url);
  if (req.method === 'OPTIONS') {
    req.resume();
    res.writeHead(204);
    res.end();
    return;
  }
  if (path.startsWith(ADMIN_PREFIX)) return handleAdmin(ctx, req, res, path);
  return handleApi(ctx, req, res, path);
}

async function handleApi(ctx, req, res, path) {
  const record = ctx.log.begin(req, path);
  const complete = (status, outcome) => {
    record.status = status;
    record.outcome = outcome;
    if (ctx.print) process.stdout.write(formatRecord(record, ctx.apiKey));
  };

  try {
    record.rawBody = await readBody(req);
  } catch {
    return complete(null, 'client-closed');
  }
  record.body = tryParseJson(record.rawBody);
  const fault = ctx.faults.take(req.method, path);
  record.fault = fault;

  if (fault?.hangMs !== undefined && !(await waitUnlessClosed(res, fault.hangMs, ctx.waits))) {
    return complete(null, 'client-closed');
  }
  if (fault?.drop) {
    req.socket.destroy();
    return complete(null, 'dropped');
  }
  const answer = injectedReply(fault)
    ?? processApiRequest(ctx.store, ctx.apiKey, req.method, path, req.headers, record.rawBody, fault);
  if (fault?.retryAfter !== undefined) answer.headers['retry-after'] = fault.retryAfter;
  if (fault?.dropAfterProcessing) {
    req.socket.destroy();
    return complete(null, 'dropped-after-processing');
  }
  if (fault?.resetMidResponse) {
    sendTruncated(res, answer);
    return complete(answer.status, 'reset-mid-response');
  }
  send(res, answer);
  return complete(answer.status, 'answered');
}

function tryParseJson(raw) {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

async function handleAdmin(ctx, req, res, path) {
  const raw = await readBody(req);
  switch (`${req.method} ${path}`) {
    case 'GET /__admin/requests':
      return send(res, reply(200, ctx.log.snapshot()));
    case 'GET /__admin/state':
      return send(res, reply(200, ctx.state()));
    case 'POST /__admin/reset':
      ctx.reset();
      return send(res, reply(200, { success: true }));
    case 'POST /__admin/faults':
      return send(res, addFaultFromAdmin(ctx, raw));
    default:
      return send(res, reply(404, { error: `no admin route ${req.method} ${path}` }));
  }
}

function addFaultFromAdmin(ctx, raw) {
  const parsed = parseJsonObject(raw);
  if (parsed.error) return badRequest(parsed.error);
  try {
    return reply(200, { success: true, fault: ctx.faults.add(parsed.value) });
  } catch (err) {
    return badRequest(err.message);
  }
}

// ---------------------------------------------------------------------------
// Script entry point
// ---------------------------------------------------------------------------

function parseArgs(argv) {
  // The key may come from the environment, which `ps` does not show (make server API_KEY=...).
  const options = process.env.HH_SERVER_API_KEY ? { apiKey: process.env.HH_SERVER_API_KEY } : {};
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = () => inline ?? argv[++i];
    if (flag === '--port') options.port = Number(value());
    else if (flag === '--host') options.host = value();
    else if (flag === '--api-key') options.apiKey = value();
    else if (flag === '--print') options.print = true;
    else if (flag === '--exit-with-parent') options.exitWithParent = true;
    else throw new Error(`unknown argument ${argv[i]} (usage: server.mjs [--port N] [--host H] [--print] [--api-key K] [--exit-with-parent])`);
  }
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port < 65536)) {
    throw new Error('--port must be an integer from 0 to 65535');
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const server = await startServer({ portHint: 'another with --port <n> (make server PORT=<n>)', ...options });
  process.stdout.write(`listening ${server.url}\n`);
  if (options.print) {
    const key = options.apiKey ? 'only the API key it was given' : 'any API key';
    process.stdout.write(
      `Point your app at it: HH_API_URL=${server.url} (serverUrl) for the reference logger's routes, or\n` +
        `HH_DATA_PLANE_URL=${server.url} (dataPlaneUrl) for the v2 API. It accepts ${key}, checks each request as\n` +
        `HoneyHive's API does, and prints it here with the key masked. Ctrl-C stops it.\n\n`,
    );
  }
  const stop = () => server.close().then(() => process.exit(0), () => process.exit(1));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  if (options.exitWithParent) {
    // Started by a test or the bench with a pipe on stdin: the pipe closes when that process
    // ends, however it ends (a crash too), and then this server ends with it; a server left
    // running would hold the test runner's output open.
    process.stdin.on('end', stop).resume();
  }
}

function isMainModule() {
  if (!process.argv[1]) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isMainModule()) {
  main().catch((err) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  });
}
