// Tests of the local HoneyHive-compatible test server (tests/server/server.mjs) itself:
// routes, validation messages, auth, CORS, recording, admin routes and every fault kind.
// Run with: node --test tests/server/

import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';

const API_KEY = 'test-key-0123456789';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SESSION_ID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const EVENT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';

let server;

before(async () => {
  server = await startServer({ apiKey: API_KEY });
});
after(() => server.close());
beforeEach(() => server.reset());

/** fetch against the server with the SDK's headers; a header given as null is left out. */
function call(method, path, body, { headers = {}, raw, signal } = {}) {
  const merged = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', ...headers };
  const finalHeaders = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== null));
  const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
  return fetch(`${server.url}${path}`, { method, headers: finalHeaders, body: payload, signal });
}

async function callJson(method, path, body, options) {
  const res = await call(method, path, body, options);
  return { status: res.status, headers: res.headers, body: await res.json() };
}

const session = (fields = {}) => ({ project: 'proj', session_name: 'run', source: 'test', ...fields });
const event = (fields = {}) => ({ event_type: 'tool', event_name: 'step', inputs: { q: 1 }, ...fields });

async function expect400(path, body, reason, method = 'POST') {
  const res = await callJson(method, path, body);
  assert.equal(res.status, 400);
  assert.equal(res.body.error, reason);
}

describe('POST /session/start', { timeout: 60_000 }, () => {
  test('stores the session and answers the PostSessionStartResponse shape', async () => {
    const res = await callJson('POST', '/session/start', { session: session({ session_id: SESSION_ID, metadata: { a: 1 } }) });
    assert.equal(res.status, 200);
    assert.equal(res.body.session_id, SESSION_ID);
    assert.equal(res.body.event_id, SESSION_ID);
    assert.equal(res.body.event_type, 'session');
    assert.equal(res.body.event_name, 'run');
    assert.deepEqual(res.body.metadata, { a: 1 });
    for (const key of ['org_id', 'workspace_id', 'project_id']) assert.equal(typeof res.body[key], 'string');
    assert.equal(server.state().sessions[SESSION_ID].project, 'proj');
  });

  test('generates a v4 session_id when none is sent', async () => {
    const res = await callJson('POST', '/session/start', { session: session() });
    assert.equal(res.status, 200);
    assert.match(res.body.session_id, UUID_V4);
    assert.ok(server.state().sessions[res.body.session_id]);
  });

  test('accepts the session as a JSON-encoded string', async () => {
    const res = await callJson('POST', '/session/start', { session: JSON.stringify(session({ session_id: SESSION_ID })) });
    assert.equal(res.status, 200);
    assert.equal(res.body.session_id, SESSION_ID);
    assert.equal(server.state().sessions[SESSION_ID].session_name, 'run');
  });

  test('accepts an upper-case UUID', async () => {
    const res = await callJson('POST', '/session/start', { session: session({ session_id: SESSION_ID.toUpperCase() }) });
    assert.equal(res.status, 200);
  });

  test('rejects a missing or non-object session', async () => {
    await expect400('/session/start', {}, 'session is required');
    await expect400('/session/start', { session: [] }, 'session must be a JSON object or a JSON-encoded object string');
    await expect400('/session/start', { session: '"a string"' }, 'session must be a JSON object or a JSON-encoded object string');
  });
});

describe('session validation rules', { timeout: 60_000 }, () => {
  test('session string that is not JSON', async () => {
    const res = await callJson('POST', '/session/start', { session: '{nope' });
    assert.equal(res.status, 400);
    assert.match(res.body.error, /^session is a string but not valid JSON/);
  });

  test('missing or empty project', async () => {
    const reason = 'session.project is required and must be a non-empty string (unless the API key is a typed key, which names its project)';
    await expect400('/session/start', { session: { session_name: 'x' } }, reason);
    await expect400('/session/start', { session: session({ project: '' }) }, reason);
    await expect400('/session/start', { session: session({ project: 7 }) }, reason);
  });

  test('typed optional members', async () => {
    await expect400('/session/start', { session: session({ session_id: 'not-a-uuid' }) },
      'session.session_id must be a UUID string (8-4-4-4-12 hex digits)');
    await expect400('/session/start', { session: session({ metadata: [] }) },
      'session.metadata must be a JSON object (not an array or null)');
    await expect400('/session/start', { session: session({ config: null }) },
      'session.config must be a JSON object (not an array or null)');
    await expect400('/session/start', { session: session({ session_name: 3 }) }, 'session.session_name must be a string');
    await expect400('/session/start', { session: session({ start_time: '1700' }) }, 'session.start_time must be a number');
    assert.deepEqual(server.state().sessions, {});
  });
});

describe('POST /events', { timeout: 60_000 }, () => {
  test('stores the event with server-generated ids and answers {event_id, success}', async () => {
    const res = await callJson('POST', '/events', { event: event({ session_id: SESSION_ID, duration: 10 }) });
    assert.equal(res.status, 200);
    assert.equal(res.body.success, true);
    assert.match(res.body.event_id, UUID_V4);
    const stored = server.state().events[res.body.event_id];
    assert.equal(stored.session_id, SESSION_ID);
    assert.equal(stored.parent_id, SESSION_ID);
    assert.equal(stored.event_name, 'step');
    assert.deepEqual(stored.inputs, { q: 1 });
  });

  test('accepts the event as a JSON-encoded string', async () => {
    const res = await callJson('POST', '/events', { event: JSON.stringify(event({ event_id: EVENT_ID })) });
    assert.equal(res.status, 200);
    assert.equal(res.body.event_id, EVENT_ID);
    assert.equal(server.state().events[EVENT_ID].event_type, 'tool');
  });

  test('de-duplicates by event_id', async () => {
    const first = await callJson('POST', '/events', { event: event({ event_id: EVENT_ID, event_name: 'first' }) });
    const second = await callJson('POST', '/events', { event: event({ event_id: EVENT_ID, event_name: 'second' }) });
    assert.equal(first.body.event_id, EVENT_ID);
    assert.equal(second.status, 200);
    assert.equal(second.body.event_id, EVENT_ID);
    const events = server.state().events;
    assert.equal(Object.keys(events).length, 1);
    assert.equal(events[EVENT_ID].event_name, 'first');
  });

  test('event_type is required and must be one of the four types', async () => {
    await expect400('/events', { event: { inputs: {} } },
      'event.event_type is required and must be one of chain, model, tool, session');
    await expect400('/events', { event: event({ event_type: 'Tool' }) },
      'event.event_type must be one of chain, model, tool, session');
  });

  test('inputs is required and must be an object', async () => {
    const reason = 'event.inputs is required and must be a JSON object (not an array or null)';
    await expect400('/events', { event: { event_type: 'model' } }, reason);
    await expect400('/events', { event: event({ inputs: [1] }) }, reason);
  });

  test('typed optional members', async () => {
    await expect400('/events', {}, 'event is required');
    await expect400('/events', { event: event({ session_id: '1234' }) },
      'event.session_id must be a UUID string (8-4-4-4-12 hex digits)');
    await expect400('/events', { event: event({ parent_id: `${SESSION_ID}0` }) },
      'event.parent_id must be a UUID string (8-4-4-4-12 hex digits)');
    await expect400('/events', { event: event({ duration: -1 }) }, 'event.duration must be a number >= 0');
    await expect400('/events', { event: event({ error: 5 }) }, 'event.error must be a string or null');
    await expect400('/events', { event: event({ children_ids: [1] }) }, 'event.children_ids must be an array of strings');
    await expect400('/events', { event: event({ outputs: 'x' }) }, 'event.outputs must be a JSON object (not an array or null)');
    await expect400('/events', { event: event({ project: null }) }, 'event.project must be a string');
    assert.deepEqual(server.state().events, {});
  });

  test('error may be null', async () => {
    const res = await callJson('POST', '/events', { event: event({ error: null }) });
    assert.equal(res.status, 200);
  });
});

describe('PUT /events', { timeout: 60_000 }, () => {
  test('merges fields into a stored event, shallowly per object member', async () => {
    await callJson('POST', '/events', { event: event({ event_id: EVENT_ID, metadata: { a: 1, b: 1 }, duration: 10 }) });
    const res = await callJson('PUT', '/events', { event_id: EVENT_ID, metadata: { b: 2, c: 3 }, feedback: { rating: 5 }, duration: 42 });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { success: true });
    const stored = server.state().events[EVENT_ID];
    assert.deepEqual(stored.metadata, { a: 1, b: 2, c: 3 });
    assert.deepEqual(stored.feedback, { rating: 5 });
    assert.equal(stored.duration, 42);
  });

  test('merges fields into a stored session', async () => {
    await callJson('POST', '/session/start', { session: session({ session_id: SESSION_ID, user_properties: { u: 1 } }) });
    const res = await callJson('PUT', '/events', { event_id: SESSION_ID, user_properties: { v: 2 }, outputs: { done: true } });
    assert.equal(res.status, 200);
    const stored = server.state().sessions[SESSION_ID];
    assert.deepEqual(stored.user_properties, { u: 1, v: 2 });
    assert.deepEqual(stored.outputs, { done: true });
  });

  test('unknown id → 404; invalid body → 400', async () => {
    const missing = await callJson('PUT', '/events', { event_id: EVENT_ID, metadata: {} });
    assert.equal(missing.status, 404);
    assert.match(missing.body.error, new RegExp(EVENT_ID));
    await expect400('/events', { metadata: {} }, 'event_id is required and must be a UUID string (8-4-4-4-12 hex digits)', 'PUT');
    await expect400('/events', { event_id: EVENT_ID, metrics: 3 }, 'metrics must be a JSON object (not an array or null)', 'PUT');
    await expect400('/events', { event_id: EVENT_ID, duration: '5' }, 'duration must be a number', 'PUT');
  });
});

describe('POST /events/batch', { timeout: 60_000 }, () => {
  test('stores all events and answers event_ids, session_id, success', async () => {
    const res = await callJson('POST', '/events/batch', {
      events: [event({ event_id: EVENT_ID }), event({ event_type: 'model' })],
      is_single_session: true,
      session_properties: { session_name: 'batch' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.success, true);
    assert.equal(res.body.event_ids.length, 2);
    assert.equal(res.body.event_ids[0], EVENT_ID);
    assert.match(res.body.session_id, UUID_V4);
    const events = server.state().events;
    assert.equal(events[res.body.event_ids[1]].session_id, res.body.session_id);
    assert.equal(events[EVENT_ID].session_id, res.body.session_id);
  });

  test('partial failure → 500 with the stored ids and one error per failed event', async () => {
    const res = await callJson('POST', '/events/batch', {
      events: [event(), { event_type: 'nope', inputs: {} }, event(), event({ inputs: null })],
    });
    assert.equal(res.status, 500);
    assert.equal(res.body.success, false);
    assert.equal(res.body.event_ids.length, 2);
    assert.deepEqual(res.body.errors, [
      'events[1].event_type must be one of chain, model, tool, session',
      'events[3].inputs is required and must be a JSON object (not an array or null)',
    ]);
    assert.deepEqual(Object.keys(server.state().events).sort(), [...res.body.event_ids].sort());
  });

  test('envelope validation', async () => {
    await expect400('/events/batch', {}, 'events is required and must be an array');
    await expect400('/events/batch', { events: [], is_single_session: 'yes' }, 'is_single_session must be a boolean');
    await expect400('/events/batch', { events: [], session_properties: [] },
      'session_properties must be a JSON object (not an array or null)');
  });
});

describe('common checks', { timeout: 60_000 }, () => {
  test('401 without Authorization, with a wrong key, or a non-Bearer scheme', async () => {
    const none = await callJson('POST', '/events', { event: event() }, { headers: { authorization: null } });
    assert.equal(none.status, 401);
    assert.match(none.body.error, /missing Authorization/);
    const wrong = await callJson('POST', '/events', { event: event() }, { headers: { authorization: 'Bearer other-key' } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'invalid API key');
    assert.ok(!wrong.body.error.includes('other-key'));
    const basic = await callJson('POST', '/events', { event: event() }, { headers: { authorization: `Basic ${API_KEY}` } });
    assert.equal(basic.status, 401);
    assert.deepEqual(server.state().events, {});
  });

  test('without a configured apiKey any non-empty bearer token is accepted', async () => {
    const open = await startServer();
    try {
      const headers = { 'content-type': 'application/json' };
      const body = JSON.stringify({ event: event() });
      const ok = await fetch(`${open.url}/events`, { method: 'POST', headers: { ...headers, authorization: 'Bearer anything' }, body });
      assert.equal(ok.status, 200);
      const empty = await fetch(`${open.url}/events`, { method: 'POST', headers: { ...headers, authorization: 'Bearer  ' }, body });
      assert.equal(empty.status, 401);
      await empty.body?.cancel();
    } finally {
      await open.close();
    }
  });

  test('auth is checked before the content type, the content type before the JSON', async () => {
    const order = await callJson('POST', '/events', undefined, { headers: { authorization: null, 'content-type': 'text/plain' }, raw: 'x' });
    assert.equal(order.status, 401);
    const type = await callJson('POST', '/events', undefined, { headers: { 'content-type': 'text/plain' }, raw: '{}' });
    assert.equal(type.status, 415);
    assert.match(type.body.error, /Content-Type must be application\/json/);
    const charset = await callJson('POST', '/events', { event: event() }, { headers: { 'content-type': 'application/json; charset=utf-8' } });
    assert.equal(charset.status, 200);
  });

  test('400 for a body that is not JSON or not an object', async () => {
    const bad = await callJson('POST', '/events', undefined, { raw: '{"event":' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /^request body is not valid JSON/);
    const array = await callJson('POST', '/events', undefined, { raw: '[]' });
    assert.equal(array.status, 400);
    assert.equal(array.body.error, 'request body must be a JSON object');
  });

  test('unknown paths → 404, wrong methods → 405', async () => {
    const unknown = await callJson('POST', '/v1/nothing', { event: event() });
    assert.equal(unknown.status, 404);
    const doubleSlash = await callJson('POST', '//events', { event: event() });
    assert.equal(doubleSlash.status, 404);
    const method = await callJson('GET', '/events');
    assert.equal(method.status, 405);
    assert.equal(method.headers.get('allow'), 'POST, PUT');
  });
});

describe('CORS', { timeout: 60_000 }, () => {
  const expected = {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
    'access-control-allow-headers': 'authorization, content-type',
    'access-control-expose-headers': 'retry-after',
    'access-control-max-age': '600',
  };
  const assertCors = (headers) => {
    for (const [name, value] of Object.entries(expected)) assert.equal(headers.get(name), value, name);
  };

  test('preflight → 204 with CORS headers, not recorded', async () => {
    const res = await fetch(`${server.url}/events`, {
      method: 'OPTIONS',
      headers: { origin: 'https://example.com', 'access-control-request-method': 'POST' },
    });
    assert.equal(res.status, 204);
    assertCors(res.headers);
    assert.equal(server.requests().length, 0);
  });

  test('on errors, injected faults and admin routes', async () => {
    const error = await call('POST', '/events', { event: event() }, { headers: { authorization: null } });
    assert.equal(error.status, 401);
    assertCors(error.headers);
    server.inject({ path: '/events', status: 503, retryAfter: '1' });
    const fault = await call('POST', '/events', { event: event() });
    assert.equal(fault.status, 503);
    assertCors(fault.headers);
    const admin = await fetch(`${server.url}/__admin/requests`);
    assertCors(admin.headers);
    await Promise.all([error, fault, admin].map((r) => r.body?.cancel()));
  });
});

describe('faults', { timeout: 60_000 }, () => {
  test('status applies to the next `count` matching requests, then is used up', async () => {
    server.inject({ path: '/events', method: 'post', status: 503, count: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await callJson('POST', '/events', { event: event() })).status);
    assert.deepEqual(statuses, [503, 503, 200]);
    assert.equal(Object.keys(server.state().events).length, 1);
    assert.deepEqual(server.requests().map((r) => r.status), [503, 503, 200]);
    assert.equal(server.requests()[0].fault.status, 503);
    assert.equal(server.requests()[2].fault, null);
  });

  test('status answers {"error": "injected fault"} and retryAfter sets Retry-After', async () => {
    server.inject({ path: '/session/start', status: 429, retryAfter: '2' });
    const res = await callJson('POST', '/session/start', { session: session() });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '2');
    assert.deepEqual(res.body, { error: 'injected fault' });
    assert.deepEqual(server.state().sessions, {});
  });

  test('method and path must match; the first matching fault wins', async () => {
    server.inject({ path: '/events', method: 'PUT', status: 502 });
    server.inject({ path: '/events', status: 500 });
    server.inject({ path: '/events', status: 504 });
    const other = await callJson('POST', '/session/start', { session: session() });
    assert.equal(other.status, 200);
    const post = await call('POST', '/events', { event: event() });
    assert.equal(post.status, 500);
    const put = await call('PUT', '/events', { event_id: EVENT_ID });
    assert.equal(put.status, 502);
    const next = await call('POST', '/events', { event: event() });
    assert.equal(next.status, 504);
    await Promise.all([post, put, next].map((r) => r.body?.cancel()));
    assert.deepEqual(server.state().faults, []);
  });

  test('body without status: 200 with the raw body, request not processed', async () => {
    server.inject({ path: '/events', body: '{not json' });
    const res = await call('POST', '/events', { event: event() });
    assert.equal(res.status, 200);
    assert.equal(await res.clone().text(), '{not json');
    await assert.rejects(res.json(), SyntaxError);
    assert.deepEqual(server.state().events, {});
  });

  test('hangMs delays the answer without blocking other requests', async () => {
    // The property is the order: the other request is answered while the hung one still waits.
    // A 2 s hang leaves that order plain even on a loaded machine.
    server.inject({ path: '/events', hangMs: 2000 });
    const started = Date.now();
    const slow = callJson('POST', '/events', { event: event() }).then((r) => ({ ...r, at: Date.now() - started }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const fast = await callJson('POST', '/session/start', { session: session() });
    const fastAt = Date.now() - started;
    const slowRes = await slow;
    assert.equal(fast.status, 200);
    assert.ok(fastAt < slowRes.at, `the other request (${fastAt} ms) was answered after the hung one (${slowRes.at} ms)`);
    assert.equal(slowRes.status, 200);
    assert.ok(slowRes.at >= 1990, `hung request answered after ${slowRes.at} ms`);
    assert.equal(Object.keys(server.state().events).length, 1);
  });

  test('hangMs with status answers that status after the wait', async () => {
    server.inject({ path: '/events', hangMs: 100, status: 503 });
    const started = Date.now();
    const res = await call('POST', '/events', { event: event() });
    assert.equal(res.status, 503);
    assert.ok(Date.now() - started >= 95);
    await res.body?.cancel();
  });

  test('hangMs ends early when the client disconnects; the request is not processed', { timeout: 60_000 }, async () => {
    server.inject({ path: '/events', hangMs: 10_000 });
    await assert.rejects(call('POST', '/events', { event: event() }, { signal: AbortSignal.timeout(100) }));
    // Polls until the server has seen the close; the cap only bounds a broken server.
    const deadline = Date.now() + 30_000;
    while (server.requests()[0]?.outcome !== 'client-closed' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const [record] = server.requests();
    assert.equal(record.outcome, 'client-closed');
    assert.equal(record.status, null);
    assert.deepEqual(server.state().events, {});
  });

  test('drop destroys the socket without an answer; nothing is stored', async () => {
    server.inject({ path: '/events', drop: true });
    await assert.rejects(call('POST', '/events', { event: event({ event_id: EVENT_ID }) }), TypeError);
    assert.deepEqual(server.state().events, {});
    const [record] = server.requests();
    assert.equal(record.status, null);
    assert.equal(record.outcome, 'dropped');
    assert.equal(record.fault.drop, true);
  });

  test('dropAfterProcessing stores the event but the answer is lost', async () => {
    server.inject({ path: '/events', dropAfterProcessing: true });
    await assert.rejects(call('POST', '/events', { event: event({ event_id: EVENT_ID }) }), TypeError);
    assert.ok(server.state().events[EVENT_ID]);
    assert.equal(server.requests()[0].status, null);
    // A retry with the same event_id is de-duplicated.
    const retry = await callJson('POST', '/events', { event: event({ event_id: EVENT_ID }) });
    assert.equal(retry.body.event_id, EVENT_ID);
    assert.equal(Object.keys(server.state().events).length, 1);
  });

  test('resetMidResponse sends the status and headers, then cuts the body', async () => {
    server.inject({ path: '/session/start', resetMidResponse: true });
    const res = await call('POST', '/session/start', { session: session({ session_id: SESSION_ID }) });
    assert.equal(res.status, 200);
    await assert.rejects(res.text());
    assert.ok(server.state().sessions[SESSION_ID], 'the request was processed');
    assert.equal(server.requests()[0].outcome, 'reset-mid-response');
  });

  test('invalid faults are refused', () => {
    assert.throws(() => server.inject({ status: 500 }), /fault.path is required/);
    assert.throws(() => server.inject({ path: '/events', count: 0 }), /fault.count/);
    assert.throws(() => server.inject({ path: '/events', retry_after: '1' }), /unknown fault key/);
    assert.throws(() => server.inject({ path: '/events', drop: true, status: 500 }), /fault.drop/);
    assert.deepEqual(server.state().faults, []);
  });
});

describe('recording', { timeout: 60_000 }, () => {
  test('records method, path, real headers, body, raw body, status, seq and time', async () => {
    const before = Date.now();
    const body = { event: event({ event_id: EVENT_ID }) };
    await callJson('POST', '/events?x=1', body);
    await callJson('POST', '/events', undefined, { headers: { authorization: null }, raw: 'not json' });
    const [ok, rejected] = server.requests();
    assert.equal(ok.seq, 1);
    assert.equal(ok.method, 'POST');
    assert.equal(ok.path, '/events');
    assert.equal(ok.headers.authorization, `Bearer ${API_KEY}`);
    assert.equal(ok.headers['content-type'], 'application/json');
    assert.deepEqual(ok.body, body);
    assert.equal(ok.rawBody, JSON.stringify(body));
    assert.equal(ok.status, 200);
    assert.equal(ok.fault, null);
    assert.ok(ok.receivedAt >= before && ok.receivedAt <= Date.now());
    assert.equal(rejected.seq, 2);
    assert.equal(rejected.status, 401);
    assert.equal(rejected.body, null);
    assert.equal(rejected.rawBody, 'not json');
    assert.equal(rejected.headers.authorization, undefined);
  });

  test('requests() returns a copy', async () => {
    await callJson('POST', '/events', { event: event() });
    server.requests()[0].status = 999;
    assert.equal(server.requests()[0].status, 200);
  });

  test('reset clears requests, stored records and pending faults', async () => {
    await callJson('POST', '/session/start', { session: session() });
    await callJson('POST', '/events', { event: event() });
    server.inject({ path: '/events', status: 500 });
    server.reset();
    assert.deepEqual(server.requests(), []);
    assert.deepEqual(server.state(), { sessions: {}, events: {}, faults: [] });
    const after = await callJson('POST', '/events', { event: event() });
    assert.equal(after.status, 200);
    assert.equal(server.requests()[0].seq, 1);
  });
});

describe('admin routes', { timeout: 60_000 }, () => {
  const admin = async (method, path, body) => {
    const res = await fetch(`${server.url}/__admin/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };

  test('faults, requests, state and reset over HTTP without auth', async () => {
    const added = await admin('POST', 'faults', { path: '/events', status: 418 });
    assert.equal(added.status, 200);
    assert.equal(added.body.fault.status, 418);
    const faulted = await callJson('POST', '/events', { event: event() });
    assert.equal(faulted.status, 418);
    await callJson('POST', '/session/start', { session: session({ session_id: SESSION_ID }) });

    const requests = await admin('GET', 'requests');
    assert.deepEqual(requests.body.map((r) => [r.path, r.status]), [['/events', 418], ['/session/start', 200]]);
    const state = await admin('GET', 'state');
    assert.deepEqual(Object.keys(state.body.sessions), [SESSION_ID]);
    assert.deepEqual(state.body.events, {});

    const reset = await admin('POST', 'reset');
    assert.equal(reset.status, 200);
    assert.deepEqual(server.requests(), [], 'admin calls are not recorded and reset cleared the log');
    assert.deepEqual(server.state().sessions, {});
  });

  test('an invalid fault → 400; unknown admin route → 404', async () => {
    const bad = await admin('POST', 'faults', { path: 'events' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /fault.path/);
    const unknown = await admin('GET', 'nothing');
    assert.equal(unknown.status, 404);
  });
});

describe('lifecycle', { timeout: 60_000 }, () => {
  test('close() resolves promptly even with a kept-alive connection and a hung request', { timeout: 60_000 }, async () => {
    const local = await startServer();
    const headers = { authorization: 'Bearer k', 'content-type': 'application/json' };
    const res = await fetch(`${local.url}/events`, { method: 'POST', headers, body: JSON.stringify({ event: event() }) });
    assert.equal(res.status, 200);
    await res.text();
    // close() must not wait for the 60 s hang: any time far below it shows that, on any machine.
    local.inject({ path: '/events', hangMs: 60_000 });
    const body = JSON.stringify({ event: event() });
    const hung = fetch(`${local.url}/events`, { method: 'POST', headers, body, signal: AbortSignal.timeout(50_000) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await local.close();
    assert.ok(Date.now() - started < 20_000, `close took ${Date.now() - started} ms`);
    await assert.rejects(hung);
  });

  test('script mode: first line, masked --print output, clean exit on SIGTERM', { timeout: 60_000 }, async (t) => {
    const script = fileURLToPath(new URL('./server.mjs', import.meta.url));
    const secret = 'script-secret-key-42';
    const child = spawn(process.execPath, [script, '--port', '0', '--print', '--api-key', secret], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => { output += chunk; });
    try {
      while (!output.includes('\n')) await once(child.stdout, 'data', { signal: t.signal });
      const firstLine = output.split('\n')[0];
      assert.match(firstLine, /^listening http:\/\/127\.0\.0\.1:\d+$/);
      const url = firstLine.slice('listening '.length);
      const res = await fetch(`${url}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ event: event({ metadata: { echoed: secret } }) }),
      });
      assert.equal(res.status, 200);
      await res.text();
      while (!output.includes('"echoed"')) await once(child.stdout, 'data', { signal: t.signal });
      assert.match(output, /POST \/events -> 200/);
      assert.match(output, /authorization: Bearer \*\*\*/);
      assert.ok(!output.includes(secret), 'the API key never appears in the output');
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  });
});
