// trace(): spans with timing, nesting and errors, sent as one batch request per trace.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HoneyHive, trace, start } from "honeyhive-logger-wasm";
import { KEY, UUID, serverFor, capture } from "./helpers.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A root with two children, the second of which throws; resolves to what the caller saw. */
async function tracedRequest(opts) {
  let handles = {};
  let thrown;
  const result = await trace(
    "handle request",
    async (root) => {
      handles.root = root;
      const answer = await root.trace("call model", async (span) => {
        handles.model = span;
        await sleep(5);
        return "hello";
      }, { eventType: "model", inputs: { prompt: "hi" } });
      try {
        await root.trace("lookup", (span) => {
          handles.tool = span;
          throw new RangeError("no such row");
        }, { eventType: "tool" });
      } catch (error) {
        thrown = error;
      }
      return { answer };
    },
    { inputs: { path: "/chat" }, ...opts },
  );
  return { result, thrown, handles };
}

test("a root trace with two children reaches the server as one batch request, linked", async (t) => {
  const server = await serverFor(t);
  const before = Date.now();
  const { result, thrown, handles } = await tracedRequest({ apiKey: KEY, project: "p", serverUrl: server.url });
  assert.deepEqual(result, { answer: "hello" }, "trace resolves to what fn returned");
  assert.ok(thrown instanceof RangeError && thrown.message === "no such row", "the child's error is rethrown unchanged");
  const ids = await handles.root.sent;
  assert.deepEqual(ids, [handles.root.id, handles.model.id, handles.tool.id]);
  const requests = server.requests();
  assert.equal(requests.length, 1, "one request for the whole trace");
  const [request] = requests;
  assert.deepEqual([request.method, request.path, request.status], ["POST", "/events/batch", 200]);
  assert.equal(request.body.is_single_session, true);
  assert.deepEqual(request.body.session_properties, { session_name: "handle request" });
  const [root, model, tool] = request.body.events;
  assert.ok([root, model, tool].every((e) => e.session_id === handles.root.sessionId && UUID.test(e.event_id)));
  assert.deepEqual([root.event_name, root.event_type, root.parent_id, root.children_ids], ["handle request", "chain", undefined, [model.event_id, tool.event_id]]);
  assert.deepEqual([model.event_type, model.parent_id, model.inputs, model.outputs], ["model", root.event_id, { prompt: "hi" }, { result: "hello" }]);
  assert.deepEqual([tool.event_type, tool.parent_id, tool.error], ["tool", root.event_id, "no such row"]);
  assert.deepEqual([root.inputs, root.outputs], [{ path: "/chat" }, { answer: "hello" }]);
  for (const e of [root, model, tool]) {
    assert.ok(e.start_time >= before && e.end_time >= e.start_time && e.duration === e.end_time - e.start_time, JSON.stringify(e));
  }
  assert.ok(model.duration >= 4, "the model span lasted its sleep");
  assert.ok(model.start_time >= root.start_time && tool.end_time <= root.end_time, "children inside their root");
  assert.ok(model.end_time <= tool.start_time, "siblings in the order they ran");
  assert.equal(Object.keys(server.state().events).length, 3);
});

test("a root that throws records the error, rethrows it, and is still sent", async (t) => {
  const server = await serverFor(t);
  let sent;
  const failure = new Error("upstream down");
  await assert.rejects(
    trace("job", (span) => {
      sent = span.sent;
      throw failure;
    }, { apiKey: KEY, project: "p", serverUrl: server.url }),
    (error) => error === failure,
  );
  await sent;
  const [event] = server.requests()[0].body.events;
  assert.deepEqual([event.event_name, event.error, event.outputs], ["job", "upstream down", {}]);
});

test("sync functions work, and values that are not objects are recorded as { result }", async (t) => {
  const server = await serverFor(t);
  let sent;
  const value = await trace("sum", (span) => {
    sent = span.sent;
    return 1 + 2;
  }, { apiKey: KEY, project: "p", serverUrl: server.url });
  assert.equal(value, 3);
  await sent;
  assert.deepEqual(server.requests()[0].body.events[0].outputs, { result: 3 });
});

test("recordOutputs: false keeps the result out; enrich merges into the span's event", async (t) => {
  const server = await serverFor(t);
  let sent;
  await trace("secretive", async (span) => {
    sent = span.sent;
    span.enrich({ metadata: { user: "u1" }, metrics: { tokens: 12 }, feedback: { ok: true }, userProperties: { plan: "pro" } });
    span.enrich({ metadata: { region: "eu" }, outputs: { note: "enriched" } });
    return { secret: "s3cr3t" };
  }, { apiKey: KEY, project: "p", serverUrl: server.url, recordOutputs: false, metadata: { team: "a" } });
  await sent;
  const [event] = server.requests()[0].body.events;
  assert.deepEqual(event.metadata, { team: "a", user: "u1", region: "eu" });
  assert.deepEqual([event.metrics, event.feedback, event.user_properties, event.outputs], [{ tokens: 12 }, { ok: true }, { plan: "pro" }, { note: "enriched" }]);
  assert.ok(!JSON.stringify(server.requests()).includes("s3cr3t"));
});

test("a trace in a session of the caller's starts none, and nests three deep", async (t) => {
  const server = await serverFor(t);
  const sessionId = await start({ apiKey: KEY, project: "p", serverUrl: server.url });
  let sent;
  await trace("outer", (a) => {
    sent = a.sent;
    assert.equal(a.sessionId, sessionId);
    return a.trace("middle", (b) => b.trace("inner", (c) => c.id));
  }, { apiKey: KEY, project: "p", serverUrl: server.url, sessionId });
  await sent;
  const request = server.requests()[1];
  assert.equal(request.body.is_single_session, undefined);
  assert.equal(request.body.session_properties, undefined);
  const [outer, middle, inner] = request.body.events;
  assert.deepEqual([outer.children_ids, middle.children_ids, inner.children_ids], [[middle.event_id], [inner.event_id], undefined]);
  assert.deepEqual([middle.parent_id, inner.parent_id], [outer.event_id, middle.event_id]);
  assert.deepEqual(inner.outputs, { result: inner.event_id }, "span.id is the id the event is sent with");
  assert.ok([outer, middle, inner].every((e) => e.session_id === sessionId));
});

test("waitUntil gets the promise of the sending as the root starts", async (t) => {
  const server = await serverFor(t);
  const waited = [];
  await trace("worker fetch", () => "ok", { apiKey: KEY, project: "p", serverUrl: server.url, waitUntil: (p) => waited.push(p) });
  assert.equal(waited.length, 1);
  assert.equal((await waited[0]).length, 1);
  assert.equal(server.requests().length, 1);
});

test("a child still running when its root ends is sent closed and marked; one opened later is sent on its own", async (t) => {
  const server = await serverFor(t);
  let release;
  let late;
  let sent;
  await trace("root", (root) => {
    sent = root.sent;
    root.trace("background", () => new Promise((resolve) => (release = resolve)));
    late = () => root.trace("after", () => "late");
    return "done";
  }, { apiKey: KEY, project: "p", serverUrl: server.url });
  await sent;
  const first = server.requests()[0].body.events;
  assert.equal(first.length, 2);
  assert.match(first[1].error, /^unfinished/);
  assert.equal(first[1].end_time, first[0].end_time);
  release();
  assert.equal(await late(), "late");
  for (let i = 0; i < 100 && server.requests().length < 2; i++) await sleep(20);
  const second = server.requests()[1].body;
  assert.equal(second.events.length, 1);
  assert.deepEqual([second.events[0].event_name, second.events[0].parent_id, second.events[0].session_id], ["after", first[0].event_id, first[0].session_id]);
  assert.equal(second.is_single_session, undefined, "the late span goes to the trace's session, which exists");
});

test("the client's defaults say where a trace goes; the current platform takes it as one v2 batch", async (t) => {
  const server = await serverFor(t);
  const client = new HoneyHive({ apiKey: KEY, dataPlaneUrl: server.url });
  let sent;
  await client.trace("v2 root", (span) => {
    sent = span.sent;
    return span.trace("v2 child", () => ({ ok: true }), { eventType: "tool" });
  }, { inputs: { q: 1 } });
  await sent;
  const [request] = server.requests();
  assert.deepEqual([request.method, request.path, request.status], ["POST", "/v1/events/batch", 200]);
  assert.equal(request.body.single_session, true);
  assert.deepEqual(request.body.events.map((e) => [e.event_name, e.event_type, e.project]), [["v2 root", "chain", undefined], ["v2 child", "tool", undefined]]);
});

test("a trace that cannot be sent says so once, quietly; verbose rejects span.sent and prints it", async (t) => {
  const server = await serverFor(t);
  server.inject({ path: "/events/batch", status: 401, count: 10 });
  let sent;
  const quiet = await capture(async () => {
    const value = await trace("q", (span) => ((sent = span.sent), 7), { apiKey: KEY, project: "p", serverUrl: server.url });
    return [value, await sent];
  });
  assert.deepEqual(quiet.result, [7, null], "the caller still gets fn's value");
  assert.deepEqual(quiet.lines, [{ stream: "error", text: "HoneyHive: Failed to send a trace. (1 of 1 events not logged: HTTP 401)" }]);

  const verbose = await capture(async () => {
    await trace("v", (span) => ((sent = span.sent), 7), { apiKey: KEY, serverUrl: server.url, verbose: true });
    return sent;
  });
  assert.match(verbose.error?.message ?? "", /^HoneyHive: failed to send a trace: Project name is required/);
  assert.ok(verbose.lines.some((l) => l.stream === "error" && l.text.startsWith("HoneyHive: failed to send a trace")));
  assert.ok(!verbose.lines.some((l) => l.text.includes(KEY)) && !verbose.error.message.includes(KEY));
});

test("a bad span option is reported for that span; the function still runs", async (t) => {
  const server = await serverFor(t);
  let sent;
  const { result, lines } = await capture(async () => {
    const value = await trace("r", (span) => {
      sent = span.sent;
      return span.trace("c", () => "ran", { eventType: "agent" });
    }, { apiKey: KEY, project: "p", serverUrl: server.url });
    return [value, await sent];
  });
  assert.deepEqual(result, ["ran", null]);
  assert.deepEqual(lines, [{ stream: "error", text: "HoneyHive: Failed to send a trace. (span 1: invalid event type)" }]);
  assert.equal(server.requests().length, 0);
});

test("trace without a function is a TypeError at once", async () => {
  await assert.rejects(trace("x", "not a function", {}), TypeError);
});

test("a waitUntil that throws is told, and the function still runs and its trace is still sent", async (t) => {
  const server = await serverFor(t);
  let sent;
  const { result, lines } = await capture(async () => {
    const value = await trace("r", (span) => ((sent = span.sent), "ran"), {
      apiKey: KEY, project: "p", serverUrl: server.url, waitUntil: () => { throw new TypeError("Illegal invocation"); },
    });
    return [value, (await sent).length];
  });
  assert.deepEqual(result, ["ran", 1]);
  assert.deepEqual(lines.map((l) => l.stream), ["error"]);
  assert.match(lines[0].text, /^HoneyHive: the trace's waitUntil threw \(Illegal invocation\)/);
});

test("a late span's own sending goes to waitUntil too; enrich after the trace was sent says it records nothing", async (t) => {
  const server = await serverFor(t);
  const waited = [];
  let late;
  let root;
  const { lines } = await capture(async () => {
    await trace("root", (span) => {
      root = span;
      late = () => span.trace("after", () => "late");
    }, { apiKey: KEY, project: "p", serverUrl: server.url, waitUntil: (p) => waited.push(p) });
    await root.sent;
    root.enrich({ metadata: { too: "late" } });
    await late();
    assert.equal(waited.length, 2, "the trace's sending, then the late span's");
    assert.equal((await waited[1]).length, 1);
  });
  assert.deepEqual(lines, [{ stream: "warn", text: 'HoneyHive: span.enrich() on "root" after its trace was sent: not recorded.' }]);
  assert.deepEqual(server.requests().map((r) => r.body.events.map((e) => e.event_name)), [["root"], ["after"]]);
});
