// The hooks every call honours: onError (once per failed call or trace, in quiet mode too, never
// throwing into the caller) and redact (every event, just before it is serialised: what it
// removes is neither sent nor printed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { HoneyHive, log, logBatch, start, trace, update } from "honeyhive-logger-wasm";
import { KEY, serverFor, capture } from "./helpers.mjs";

const SECRET = "card-4242-4242-4242-4242";

/** A redact hook that removes `inputs.card` and marks the event, as a user would write one. */
function dropCard(event) {
  const { card, ...inputs } = event.inputs ?? {};
  return { ...event, inputs, metadata: { ...event.metadata, redacted: card !== undefined } };
}

test("onError hears once of a failed call in quiet mode, which still prints its line and resolves", async (t) => {
  const server = await serverFor(t);
  server.inject({ path: "/events", status: 401 });
  const heard = [];
  const { result, lines } = await capture(() =>
    log({ apiKey: KEY, project: "p", serverUrl: server.url, eventName: "e", onError: (error) => heard.push(error) }),
  );
  assert.equal(result, null);
  assert.deepEqual(lines, [{ stream: "error", text: "HoneyHive: Failed to log event. (HTTP 401)" }]);
  assert.equal(heard.length, 1);
  assert.ok(heard[0] instanceof Error);
  assert.match(heard[0].message, /^HoneyHive: failed to log event: The server answered HTTP 401\./);
  assert.ok(!heard[0].message.includes(KEY));
});

test("onError hears of verbose failures too, and of failures before anything is sent", async (t) => {
  const server = await serverFor(t);
  const heard = [];
  const onError = (error) => heard.push(error.message);
  await assert.rejects(log({ apiKey: KEY, serverUrl: server.url, eventName: "e", verbose: true, onError }), /Project name is required/);
  await update({ apiKey: KEY, serverUrl: server.url, on_error: onError });
  assert.equal(heard.length, 2);
  assert.match(heard[0], /^HoneyHive: failed to log event: Project name is required/);
  assert.match(heard[1], /^HoneyHive: failed to update event: Event ID is required/);
  assert.equal(server.requests().length, 0);
});

test("an onError that throws or rejects never reaches the caller", async (t) => {
  const server = await serverFor(t);
  const base = { apiKey: KEY, serverUrl: server.url, eventName: "e" }; // no project: fails
  const { result, error } = await capture(async () => [
    await log({ ...base, onError: () => { throw new Error("hook broke"); } }),
    await log({ ...base, onError: async () => { throw new Error("hook rejected"); } }),
  ]);
  assert.equal(error, undefined);
  assert.deepEqual(result, [null, null]);
});

test("a client's onError hears of its calls' failures, a batch's and a trace's once each", async (t) => {
  const server = await serverFor(t);
  server.inject({ path: "/events/batch", status: 400, count: 2 });
  const heard = [];
  const client = new HoneyHive({ apiKey: KEY, project: "p", serverUrl: server.url, onError: (e) => heard.push(e.message) });
  let sent;
  await capture(async () => {
    await client.logBatch({ events: [{ eventName: "a" }, { eventName: "b" }] });
    await client.trace("t", (span) => void (sent = span.sent));
    await sent;
    await client.log({ eventName: "ok" });
  });
  assert.deepEqual(heard.map((m) => m.split(":").slice(0, 3).join(":")), [
    "HoneyHive: failed to log a batch: 2 of 2 events were not logged",
    "HoneyHive: failed to send a trace: 1 of 1 events were not logged",
  ]);
});

test("redact runs on every event of every call: what it removes is not sent, nor printed in verbose mode", async (t) => {
  const server = await serverFor(t);
  const opts = { apiKey: KEY, project: "p", serverUrl: server.url, redact: dropCard, verbose: true };
  const inputs = { card: SECRET, item: "book" };
  let sent;
  const { error, lines } = await capture(async () => {
    const sessionId = await start({ ...opts, inputs });
    const eventId = await log({ ...opts, sessionId, eventName: "pay", inputs });
    await update({ ...opts, eventId, metadata: { note: SECRET }, redact: ({ metadata, ...changes }) => changes });
    await logBatch({ ...opts, sessionId, events: [{ eventName: "b1", inputs }, { eventName: "b2" }], sessionProperties: { inputs } });
    await trace("checkout", (span) => {
      sent = span.sent;
      return span.trace("charge", () => "charged", { inputs });
    }, { ...opts, inputs });
    await sent;
  });
  assert.equal(error, undefined);
  const requests = server.requests();
  assert.equal(requests.length, 5);
  assert.ok(!JSON.stringify(requests).includes(SECRET), "not in any request");
  assert.ok(lines.length >= 5 && lines.every((l) => !l.text.includes(SECRET)), "not in any printed line");
  const [session, event, changes, batch, traced] = requests.map((r) => r.body);
  assert.deepEqual([session.session.inputs, session.session.metadata], [{ item: "book" }, { redacted: true }]);
  assert.deepEqual([event.event.inputs, event.event.metadata], [{ item: "book" }, { redacted: true }]);
  assert.equal(changes.metadata, undefined, "update's changes are an event too");
  assert.deepEqual(batch.events.map((e) => e.metadata.redacted), [true, false]);
  assert.deepEqual(batch.session_properties, { inputs: { item: "book" }, metadata: { redacted: true } }, "a batch's session properties too");
  assert.deepEqual(traced.events.map((e) => [e.event_name, e.inputs, e.metadata.redacted]), [["checkout", { item: "book" }, true], ["charge", { item: "book" }, true]]);
});

test("a redact hook that throws or gives nothing back fails the call, and nothing is sent", async (t) => {
  const server = await serverFor(t);
  const base = { apiKey: KEY, project: "p", serverUrl: server.url, eventName: "e", inputs: { card: SECRET } };
  const quiet = await capture(() => log({ ...base, redact: () => { throw new Error("redactor down"); } }));
  assert.deepEqual([quiet.result, quiet.lines], [null, [{ stream: "error", text: "HoneyHive: Failed to log event. (the redact hook failed)" }]]);
  await assert.rejects(log({ ...base, verbose: true, redact: () => {} }), /The redact hook failed: it returned nothing, not the event/);
  await assert.rejects(log({ ...base, verbose: true, redact: async (e) => e }), /it returned a promise/);
  await assert.rejects(log({ ...base, verbose: true, redact: "no" }), /Option `redact` must be a function; got a string/);
  assert.equal(server.requests().length, 0);
});

test("a call made inside onError runs while the failed call reports, and both settle", async (t) => {
  const server = await serverFor(t);
  server.inject({ path: "/events", status: 401 });
  let inner;
  const { result, error } = await capture(() =>
    log({
      apiKey: KEY, project: "p", serverUrl: server.url, eventName: "outer",
      // The outer call's future is still running (src/wasm/exports.rs): this log() reads its
      // options and spawns a future of its own.
      onError: () => {
        inner = log({ apiKey: KEY, project: "p", serverUrl: server.url, eventName: "from onError" });
      },
    }),
  );
  assert.equal(error, undefined);
  assert.equal(result, null, "the outer call failed quietly");
  assert.match(await inner, /^[0-9a-f-]{36}$/, "the inner call was logged");
  assert.deepEqual(server.requests().map((r) => r.body.event.event_name), ["outer", "from onError"]);
});

test("a console that throws cannot stop a verbose call from settling", async (t) => {
  const server = await serverFor(t);
  const original = console.log;
  console.log = () => {
    throw new Error("console broke");
  };
  try {
    const id = await log({ apiKey: KEY, project: "p", serverUrl: server.url, eventName: "e", verbose: true });
    assert.match(id, /^[0-9a-f-]{36}$/);
  } finally {
    console.log = original;
  }
  assert.equal(server.requests().length, 1);
});
