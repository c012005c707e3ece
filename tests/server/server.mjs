// A local, HoneyHive-compatible HTTP server for tests and demos.
//
// It implements the four API routes of the reference logger (POST /session/start, POST /events,
// PUT /events, POST /events/batch) with the validation rules of HoneyHive's OpenAPI
// description, and the v2 routes of the data plane (POST /v1/sessions, POST /v1/events,
// PUT /v1/events/{id}, POST /v1/events/batch, POST /v1/sessions/{id}/events/batch) checked
// against its published schemas (v2.mjs). It records every request it receives, and can inject
// faults (error statuses, Retry-After, malformed bodies, hangs, dropped connections, lost
// answers, truncated answers) so tests can exercise the SDK's retry and error handling.
//
// Node.js (>= 20), ESM; its only dependencies (ajv, yaml, for the v2 schemas) are the test
// project's (tests/package.json). Use it in-process:
//   const server = await startServer({ apiKey: 'k' });   // server.url, server.requests(), ...
// or as a script:
//   node tests/server/server.mjs [--port N] [--host H] [--print] [--api-key K]
//   (or the key in HH_SERVER_API_KEY, which `ps` does not show)
// which prints `listening http://127.0.0.1:PORT` as its first line.

import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { v2Routes } from './v2.mjs';

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-expose-headers': 'retry-after',
  'access-control-max-age': '600',
};

const EVENT_TYPES = ['chain', 'model', 'tool', 'session'];
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ADMIN_PREFIX = '/__admin/';

// ---------------------------------------------------------------------------
// Value checks and validation helpers
// ---------------------------------------------------------------------------

const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isUuid = (v) => typeof v === 'string' && UUID_PATTERN.test(v);
const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

// kind → [predicate, message suffix]
const FIELD_KINDS = {
  string: [(v) => typeof v === 'string', 'must be a string'],
  uuid: [isUuid, 'must be a UUID string (8-4-4-4-12 hex digits)'],
  object: [isPlainObject, 'must be a JSON object (not an array or null)'],
  number: [isNumber, 'must be a number'],
  nonNegativeNumber: [(v) => isNumber(v) && v >= 0, 'must be a number >= 0'],
  boolean: [(v) => typeof v === 'boolean', 'must be a boolean'],
  stringOrNull: [(v) => v === null || typeof v === 'string', 'must be a string or null'],
  stringArray: [(v) => Array.isArray(v) && v.every((s) => typeof s === 'string'), 'must be an array of strings'],
};

const SESSION_FIELDS = {
  session_id: 'uuid',
  session_name: 'string',
  source: 'string',
  config: 'object',
  inputs: 'object',
  metadata: 'object',
  user_properties: 'object',
  start_time: 'number',
};

const EVENT_FIELDS = {
  event_name: 'string',
  source: 'string',
  project: 'string',
  session_id: 'uuid',
  event_id: 'uuid',
  parent_id: 'uuid',
  config: 'object',
  outputs: 'object',
  metadata: 'object',
  metrics: 'object',
  feedback: 'object',
  user_properties: 'object',
  duration: 'nonNegativeNumber',
  start_time: 'number',
  end_time: 'number',
  error: 'stringOrNull',
  children_ids: 'stringArray',
};

// The object members PUT /events merges (shallowly) into a stored record.
const UPDATE_OBJECT_FIELDS = ['metadata', 'feedback', 'metrics', 'outputs', 'config', 'user_properties'];
const UPDATE_FIELDS = {
  ...Object.fromEntries(UPDATE_OBJECT_FIELDS.map((name) => [name, 'object'])),
  duration: 'number',
};

const BATCH_FIELDS = { is_single_session: 'boolean', session_properties: 'object' };
const SESSION_PROPERTIES_FIELDS = { session_name: 'string', user_properties: 'object', metadata: 'object' };

/** Returns the first problem with an optional member of `record`, or null. */
function checkOptionalFields(record, prefix, fields) {
  for (const [name, kind] of Object.entries(fields)) {
    if (!Object.hasOwn(record, name)) continue;
    const [isValid, message] = FIELD_KINDS[kind];
    if (!isValid(record[name])) return `${prefix}${name} ${message}`;
  }
  return null;
}

/** A session of the reference's routes; a typed key names its project, which is then optional. */
function validateSession(session, { projectRequired = true } = {}) {
  if (projectRequired ? typeof session.project !== 'string' || session.project === '' : session.project !== undefined && typeof session.project !== 'string') {
    return 'session.project is required and must be a non-empty string (unless the API key is a typed key, which names its project)';
  }
  return checkOptionalFields(session, 'session.', SESSION_FIELDS);
}

function validateEvent(event, prefix = 'event.') {
  if (!EVENT_TYPES.includes(event.event_type)) {
    const required = Object.hasOwn(event, 'event_type') ? '' : 'is required and ';
    return `${prefix}event_type ${required}must be one of ${EVENT_TYPES.join(', ')}`;
  }
  if (!isPlainObject(event.inputs)) {
    return `${prefix}inputs is required and must be a JSON object (not an array or null)`;
  }
  return checkOptionalFields(event, prefix, EVENT_FIELDS);
}

function validateUpdate(body) {
  if (!isUuid(body.event_id)) return 'event_id is required and must be a UUID string (8-4-4-4-12 hex digits)';
  return checkOptionalFields(body, '', UPDATE_FIELDS);
}

/** Checks the batch envelope only; the events are checked one by one. */
function validateBatchEnvelope(body) {
  if (!Array.isArray(body.events)) return 'events is required and must be an array';
  const problem = checkOptionalFields(body, '', BATCH_FIELDS);
  if (problem) return problem;
  if (body.session_properties) {
    return checkOptionalFields(body.session_properties, 'session_properties.', SESSION_PROPERTIES_FIELDS);
  }
  return null;
}

function validateBatchItem(event, index) {
  if (!isPlainObject(event)) return `events[${index}] must be a JSON object`;
  return validateEvent(event, `events[${index}].`);
}

/** `{session: …}` / `{event: …}` may hold an object or a JSON-encoded object string. */
function unwrapRecord(body, key) {
  if (!Object.hasOwn(body, key)) return { error: `${key} is required` };
  let value = body[key];
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (err) {
      return { error: `${key} is a string but not valid JSON: ${err.message}` };
    }
  }
  if (!isPlainObject(value)) return { error: `${key} must be a JSON object or a JSON-encoded object string` };
  return { value };
}

// ---------------------------------------------------------------------------
// Stored sessions and events, and the route handlers that use them
// ---------------------------------------------------------------------------

function createStore() {
  return { sessions: new Map(), events: new Map() };
}

function storeSnapshot(store) {
  return structuredClone({
    sessions: Object.fromEntries(store.sessions),
    events: Object.fromEntries(store.events),
  });
}

const reply = (status, body, headers = {}) => ({ status, body, headers });
const badRequest = (error) => reply(400, { error });

/** Stores an already validated event, filling the server-generated members; de-duplicates by event_id. */
function storeEvent(store, event, defaultSessionId) {
  if (event.event_id !== undefined && store.events.has(event.event_id)) return event.event_id;
  const sessionId = event.session_id ?? defaultSessionId ?? randomUUID();
  const record = {
    event_name: 'unknown',
    source: 'unknown',
    ...event,
    event_id: event.event_id ?? randomUUID(),
    session_id: sessionId,
    parent_id: event.parent_id ?? sessionId,
  };
  store.events.set(record.event_id, record);
  return record.event_id;
}

/** The PostSessionStartResponse shape: the full session event. */
function sessionStartResponse(session) {
  return {
    event_id: session.session_id,
    session_id: session.session_id,
    parent_id: null,
    children_ids: [],
    event_type: 'session',
    event_name: session.session_name ?? session.project,
    config: session.config ?? {},
    inputs: session.inputs ?? {},
    outputs: session.outputs ?? {},
    error: null,
    source: session.source ?? null,
    duration: session.duration ?? null,
    user_properties: session.user_properties ?? {},
    metrics: session.metrics ?? {},
    feedback: session.feedback ?? {},
    metadata: session.metadata ?? {},
    org_id: 'local-org',
    workspace_id: 'local-workspace',
    project_id: `local-project:${session.project}`,
    start_time: session.start_time ?? null,
    end_time: null,
  };
}

function startSession(store, body, fault, { typedKey } = {}) {
  const { value: session, error } = unwrapRecord(body, 'session');
  if (error) return badRequest(error);
  const problem = validateSession(session, { projectRequired: !typedKey });
  if (problem) return badRequest(problem);
  const sessionId = session.session_id ?? randomUUID();
  if (!store.sessions.has(sessionId)) store.sessions.set(sessionId, { ...session, session_id: sessionId });
  return reply(200, sessionStartResponse(store.sessions.get(sessionId)));
}

function createEvent(store, body) {
  const { value: event, error } = unwrapRecord(body, 'event');
  if (error) return badRequest(error);
  const problem = validateEvent(event);
  if (problem) return badRequest(problem);
  return reply(200, { event_id: storeEvent(store, event), success: true });
}

function updateEvent(store, body) {
  const problem = validateUpdate(body);
  if (problem) return badRequest(problem);
  const record = store.sessions.get(body.event_id) ?? store.events.get(body.event_id);
  if (!record) return reply(404, { error: `no session or event with event_id ${body.event_id}` });
  for (const name of UPDATE_OBJECT_FIELDS) {
    if (Object.hasOwn(body, name)) {
      record[name] = { ...(isPlainObject(record[name]) ? record[name] : {}), ...body[name] };
    }
  }
  if (Object.hasOwn(body, 'duration')) record.duration = body.duration;
  return reply(200, { success: true });
}

function createEventBatch(store, body, fault) {
  const problem = validateBatchEnvelope(body);
  if (problem) return badRequest(problem);
  return storeBatch(store, body.events, fault, { single: body.is_single_session, problemWith: validateBatchItem });
}

/** The single session of a batch's events: the first event's UUID session, else a new one. */
function batchSession(events) {
  return events.find((e) => isPlainObject(e) && isUuid(e.session_id))?.session_id ?? randomUUID();
}

/**
 * Stores a checked batch's events (both APIs): with `single`, into one session (`sessionId`, or
 * the batch's own); an event that `problemWith` names, or that a fault rejects, is not stored,
 * and the answer is then the API's partial failure (500 with the ids taken and the errors).
 */
function storeBatch(store, events, fault, { single = false, sessionId, problemWith = () => null, decorate = (e) => e }) {
  const shared = sessionId ?? (single ? batchSession(events) : undefined);
  const eventIds = [];
  const errors = [];
  events.forEach((event, index) => {
    const itemProblem = fault?.rejectEvents?.includes(index) ? `event ${index}: rejected by an injected fault` : problemWith(event, index);
    if (itemProblem) errors.push(itemProblem);
    else eventIds.push(storeEvent(store, decorate(event), shared));
  });
  if (errors.length > 0) return reply(500, { event_ids: eventIds, errors, success: false });
  const answered = shared ?? store.events.get(eventIds[0])?.session_id;
  return reply(200, { event_ids: eventIds, ...(answered && { session_id: answered }), success: true });
}

const API_ROUTES = {
  '/session/start': { POST: startSession },
  '/events': { POST: createEvent, PUT: updateEvent },
  '/events/batch': { POST: createEventBatch },
};

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
// Faults
// ---------------------------------------------------------------------------

const FAULT_KEYS = ['path', 'method', 'count', 'status', 'retryAfter', 'body', 'hangMs', 'drop',
  'dropAfterProcessing', 'resetMidResponse', 'rejectEvents'];
const FAULT_FLAGS = ['drop', 'dropAfterProcessing', 'resetMidResponse'];

/** Validates a fault description and returns a normalised copy; throws TypeError if invalid. */
function normalizeFault(input) {
  if (!isPlainObject(input)) throw new TypeError('a fault must be an object');
  const unknown = Object.keys(input).filter((key) => !FAULT_KEYS.includes(key));
  if (unknown.length > 0) throw new TypeError(`unknown fault key(s) ${unknown.join(', ')} (known: ${FAULT_KEYS.join(', ')})`);
  if (typeof input.path !== 'string' || !input.path.startsWith('/')) {
    throw new TypeError('fault.path is required and must be a path starting with "/"');
  }
  const fault = { path: input.path, count: input.count ?? 1 };
  if (input.method !== undefined) {
    if (typeof input.method !== 'string' || input.method === '') throw new TypeError('fault.method must be a string');
    fault.method = input.method.toUpperCase();
  }
  if (!Number.isInteger(fault.count) || fault.count < 1) throw new TypeError('fault.count must be an integer >= 1');
  if (input.status !== undefined) {
    if (!Number.isInteger(input.status) || input.status < 200 || input.status > 599) {
      throw new TypeError('fault.status must be an integer from 200 to 599');
    }
    fault.status = input.status;
  }
  if (input.retryAfter !== undefined) {
    if (typeof input.retryAfter !== 'string' && !isNumber(input.retryAfter)) {
      throw new TypeError('fault.retryAfter must be a string');
    }
    fault.retryAfter = String(input.retryAfter);
  }
  if (input.body !== undefined) {
    if (typeof input.body !== 'string') throw new TypeError('fault.body must be a string (the raw body to send)');
    fault.body = input.body;
  }
  if (input.hangMs !== undefined) {
    if (!isNumber(input.hangMs) || input.hangMs < 0) throw new TypeError('fault.hangMs must be a number >= 0');
    fault.hangMs = input.hangMs;
  }
  if (input.rejectEvents !== undefined) {
    if (!Array.isArray(input.rejectEvents) || !input.rejectEvents.every((i) => Number.isInteger(i) && i >= 0)) {
      throw new TypeError('fault.rejectEvents must be an array of event indexes (a batch partly fails)');
    }
    fault.rejectEvents = input.rejectEvents;
  }
  for (const flag of FAULT_FLAGS) {
    if (input[flag] === undefined) continue;
    if (typeof input[flag] !== 'boolean') throw new TypeError(`fault.${flag} must be a boolean`);
    if (input[flag]) fault[flag] = true;
  }
  checkFaultCombination(fault);
  return fault;
}

function checkFaultCombination(fault) {
  const answers = fault.status !== undefined || fault.body !== undefined;
  if (fault.drop && (answers || fault.dropAfterProcessing || fault.resetMidResponse)) {
    throw new TypeError('fault.drop sends no answer: it cannot be combined with status, body, dropAfterProcessing or resetMidResponse');
  }
  if (fault.dropAfterProcessing && (answers || fault.resetMidResponse)) {
    throw new TypeError('fault.dropAfterProcessing cannot be combined with status, body or resetMidResponse');
  }
}

/** Pending faults, matched in insertion order; each is used up after `count` matches. */
function createFaultQueue() {
  let pending = [];
  return {
    add(input) {
      const fault = normalizeFault(input);
      pending.push({ fault, remaining: fault.count });
      return structuredClone(fault);
    },
    take(method, path) {
      const entry = pending.find(({ fault }) => fault.path === path && (!fault.method || fault.method === method));
      if (!entry) return null;
      entry.remaining -= 1;
      if (entry.remaining === 0) pending = pending.filter((e) => e !== entry);
      return structuredClone(entry.fault);
    },
    list: () => pending.map(({ fault, remaining }) => ({ ...structuredClone(fault), remaining })),
    clear() {
      pending = [];
    },
  };
}

/** The answer a fault imposes instead of processing, or null if the request is processed. */
function injectedReply(fault) {
  if (!fault || (fault.status === undefined && fault.body === undefined)) return null;
  const status = fault.status ?? 200;
  return fault.body !== undefined ? { status, text: fault.body, headers: {} } : reply(status, { error: 'injected fault' });
}

// ---------------------------------------------------------------------------
// Request recording and printing
// ---------------------------------------------------------------------------

function createRequestLog() {
  let records = [];
  let seq = 0;
  return {
    begin(req, path) {
      const record = {
        seq: ++seq,
        method: req.method,
        path,
        headers: { ...req.headers },
        body: null,
        rawBody: '',
        status: null,
        fault: null,
        outcome: 'pending',
        receivedAt: Date.now(),
      };
      records.push(record);
      return record;
    },
    snapshot: () => structuredClone(records),
    clear() {
      records = [];
      seq = 0;
    },
  };
}

function maskAuthorization(value) {
  if (value === undefined) return '(none)';
  return /^Bearer\s/i.test(value) ? 'Bearer ***' : '***';
}

/** Replaces every occurrence of each secret in `text` by ***. */
function maskSecrets(text, secrets) {
  return secrets.filter((s) => s && s.length > 0).reduce((out, secret) => out.split(secret).join('***'), text);
}

function bearerToken(header) {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match ? match[1].trim() : undefined;
}

/** A readable, multi-line description of a recorded request; never shows the API key. */
function formatRecord(record, apiKey) {
  const secrets = [apiKey, bearerToken(record.headers.authorization), record.headers.authorization];
  const status = record.status ?? 'no answer';
  const lines = [`#${record.seq} ${record.method} ${record.path} -> ${status} (${record.outcome})`];
  lines.push(`  authorization: ${maskAuthorization(record.headers.authorization)}`);
  lines.push(`  content-type: ${record.headers['content-type'] ?? '(none)'}`);
  if (record.fault) lines.push(`  fault: ${JSON.stringify(record.fault)}`);
  const body = record.body !== null ? JSON.stringify(record.body, null, 2) : record.rawBody;
  if (body) lines.push(...body.split('\n').map((line) => `  ${line}`));
  return `${maskSecrets(lines.join('\n'), secrets)}\n\n`;
}

// ---------------------------------------------------------------------------
// HTTP plumbing
// ---------------------------------------------------------------------------

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function replyText(answer) {
  return answer.text ?? JSON.stringify(answer.body);
}

function send(res, answer) {
  if (answer.status === 204 || answer.status === 304) {
    res.writeHead(answer.status, answer.headers);
    res.end();
    return;
  }
  const bytes = Buffer.from(replyText(answer), 'utf8');
  res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': bytes.length, ...answer.headers });
  res.end(bytes);
}

/** Sends the status line, headers announcing the full length, half the body, then cuts the connection. */
function sendTruncated(res, answer) {
  const bytes = Buffer.from(replyText(answer), 'utf8');
  const part = bytes.subarray(0, Math.floor(bytes.length / 2));
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': Math.max(bytes.length, part.length + 1),
    ...answer.headers,
  });
  res.flushHeaders();
  res.write(part, () => res.destroy());
}

/**
 * Waits `ms`, resolving true; resolves false early if the client disconnects or the
 * server closes. Each pending wait registers a cancel function in `waits`.
 */
function waitUnlessClosed(res, ms, waits) {
  return new Promise((resolve) => {
    const finish = (completed) => {
      clearTimeout(timer);
      res.off('close', onClose);
      waits.delete(onClose);
      resolve(completed);
    };
    const onClose = () => finish(false);
    const timer = setTimeout(() => finish(true), ms);
    res.on('close', onClose);
    waits.add(onClose);
  });
}

function pathOf(url) {
  return url.split('?')[0];
}

function hostForUrl(host) {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Listens on host:port. A port in use rejects with a one-line hint instead of a stack;
 * `portHint` says how the caller picks another port (e.g. `make www WWW_PORT=<n>`).
 */
export function listen(server, host, port, portHint = 'another port') {
  return new Promise((resolve, reject) => {
    const failed = (err) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${port} on ${host} is in use: stop what uses it, or pick ${portHint}`) : err);
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve(server.address().port);
    });
  });
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
