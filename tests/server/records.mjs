// The reference logger's four routes of the local test server (POST /session/start, POST /events,
// PUT /events, POST /events/batch): the checks HoneyHive's OpenAPI description makes of their
// bodies, and the store of sessions and events they write to, which the v2 routes (v2.mjs) share.

import { randomUUID } from 'node:crypto';

const EVENT_TYPES = ['chain', 'model', 'tool', 'session'];
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---------------------------------------------------------------------------
// Value checks and validation helpers
// ---------------------------------------------------------------------------

export const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isUuid = (v) => typeof v === 'string' && UUID_PATTERN.test(v);
export const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

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

export function createStore() {
  return { sessions: new Map(), events: new Map() };
}

export function storeSnapshot(store) {
  return structuredClone({
    sessions: Object.fromEntries(store.sessions),
    events: Object.fromEntries(store.events),
  });
}

export const reply = (status, body, headers = {}) => ({ status, body, headers });
export const badRequest = (error) => reply(400, { error });

/** Stores an already validated event, filling the server-generated members; de-duplicates by event_id. */
export function storeEvent(store, event, defaultSessionId) {
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
export function sessionStartResponse(session) {
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
export function storeBatch(store, events, fault, { single = false, sessionId, problemWith = () => null, decorate = (e) => e }) {
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

export const API_ROUTES = {
  '/session/start': { POST: startSession },
  '/events': { POST: createEvent, PUT: updateEvent },
  '/events/batch': { POST: createEventBatch },
};
