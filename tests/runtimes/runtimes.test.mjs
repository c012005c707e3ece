// The runtime matrix: the same scenario on Node, Deno, workerd, Vercel's edge runtime and
// headless Chromium, each against its own local server, with the package installed from its
// npm pack tarball. A runtime that cannot start fails its test.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "../server/server.mjs";
import { startStatic } from "../server/static.mjs";
import * as hosts from "./hosts.mjs";
import { UNKNOWN_EVENT } from "./scenario.mjs";

const KEY = "hh-runtime-key-4a7c91";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TESTS = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const timings = [];

/** Checks a runtime's report and what the server recorded from it. */
function assertScenario(server, report, runtime) {
  assert.equal(report.runtime, runtime);
  assert.equal(report.clientClass, "HoneyHive", "the client class keeps its name through the bundle's minifying");
  for (const id of [report.sessionId, report.modelEventId, report.toolEventId]) assert.match(id, UUID);
  assert.equal(report.modelUpdate, "undefined", "update resolves to undefined");
  assert.equal(report.sessionUpdate, "undefined");
  assert.match(report.verboseError, /^Error: HoneyHive: failed to log event: Event name is required/);
  assert.equal(report.quietResult, null, "quiet mode resolves to null");
  assert.deepEqual(report.codes, { missing: "missing_option -", network: "network -", http: "http_status 404" }, "the error codes");

  assertV2(server, report, runtime);
  assertTrace(server, report, runtime);
  const all = server.requests().filter((r) => !r.path.startsWith("/v1/") && !isTrace(r, runtime));
  assert.deepEqual(
    all.map((r) => `${r.method} ${r.path} ${r.status}`),
    [
      "POST /session/start 200", "POST /events 200", "POST /events 200", "PUT /events 200", "PUT /events 200",
      "POST /events/batch 500", "POST /events/batch 200",
    ],
    "the error paths sent nothing",
  );
  // The batch: 150 events in requests of 100 and 50, event 7 rejected (a partial failure).
  assert.equal(report.batchTaken, 149);
  assert.deepEqual(report.batchLost, [7]);
  const batches = all.slice(5).map((r) => r.body);
  assert.deepEqual(batches.map((b) => b.events.length), [100, 50]);
  const batchEvent = batches[1].events[0];
  assert.deepEqual([batchEvent.event_name, batchEvent.project, batchEvent.source, batchEvent.session_id, batchEvent.parent_id, batchEvent.duration],
    ["batch-100", "runtimes", runtime, report.sessionId, report.modelEventId, 100], "client defaults and full events");
  const requests = all.slice(0, 5);
  assert.ok(all.every((r) => r.headers.authorization === `Bearer ${KEY}`));
  assert.ok(requests.every((r) => r.headers["content-type"] === "application/json"));
  const [session, model, tool, modelUpdate, sessionUpdate] = requests.map((r) => r.body);
  assert.equal(session.session.session_id, report.sessionId);
  assert.equal(session.session.source, runtime);
  assert.equal(model.event.event_type, "model");
  assert.deepEqual(model.event.inputs, { prompt: "2 + 2?", runtime });
  assert.equal(tool.event.event_type, "tool");
  assert.equal(tool.event.session_id, report.sessionId);
  assert.deepEqual(modelUpdate, { event_id: report.modelEventId, feedback: { rating: 5 } });
  assert.deepEqual(sessionUpdate, { event_id: report.sessionId, metadata: { done: true } });
  const { sessions, events } = server.state();
  assert.deepEqual(sessions[report.sessionId].metadata, { done: true });
  assert.deepEqual(events[report.modelEventId].feedback, { rating: 5 });
  assert.ok(events[report.toolEventId]);
  assert.equal(Object.values(events).filter((e) => e.event_name.startsWith("batch-")).length, 149);
}

/** The request of the scenario's trace: the batch that starts the trace's session. */
const isTrace = (request, runtime) => request.body?.session_properties?.session_name === `${runtime}-trace`;

/** The scenario's trace: one batch request, linked, timed, with the child's error. */
function assertTrace(server, report, runtime) {
  assert.deepEqual([report.traceResult, report.traceError], [{ text: "4" }, "tool failed"], "fn's value returned, the child's error rethrown");
  const traced = server.requests().filter((r) => isTrace(r, runtime));
  assert.deepEqual(traced.map((r) => `${r.method} ${r.path} ${r.status}`), ["POST /events/batch 200"], "one request for the trace");
  const [root, model, tool, ...more] = traced[0].body.events;
  assert.equal(more.length, 0);
  assert.deepEqual(report.traceIds, [root.event_id, model.event_id, tool.event_id], "span.sent resolves to the ids");
  assert.deepEqual([root.event_type, root.parent_id, root.children_ids, root.inputs, root.outputs],
    ["chain", undefined, [model.event_id, tool.event_id], { runtime }, { text: "4" }]);
  assert.deepEqual([model.event_type, model.parent_id, model.inputs, model.outputs], ["model", root.event_id, { prompt: "2 + 2?" }, { text: "4" }]);
  assert.deepEqual([tool.event_type, tool.parent_id, tool.error], ["tool", root.event_id, "tool failed"]);
  for (const e of [root, model, tool]) {
    assert.ok(e.end_time >= e.start_time && e.duration === e.end_time - e.start_time, `times of ${e.event_name}`);
    assert.deepEqual([e.session_id, e.source, e.project], [root.session_id, runtime, "runtimes"]);
  }
  assert.ok(root.start_time <= model.start_time && model.end_time <= tool.start_time && tool.end_time <= root.end_time, "children inside their root, in order");
}

/** The scenario's v2 part: the four calls on the v2 routes, with the typed key, bare bodies and
 * no project, each accepted by the server's checks against the published schemas. */
function assertV2(server, report, runtime) {
  for (const id of [report.v2SessionId, report.v2EventId]) assert.match(id, UUID);
  assert.equal(report.v2Update, "undefined");
  assert.equal(report.v2Batch.length, 2);
  const v2 = server.requests().filter((r) => r.path.startsWith("/v1/"));
  assert.deepEqual(
    v2.map((r) => `${r.method} ${r.path} ${r.status}`),
    ["POST /v1/sessions 200", "POST /v1/events 200", `PUT /v1/events/${report.v2EventId} 200`, "POST /v1/events/batch 200",
      `PUT /v1/events/${UNKNOWN_EVENT} 404`],
  );
  assert.ok(v2.every((r) => r.headers.authorization === `Bearer ${hosts.V2_KEY}`), "the ingestion key");
  const [session, event, update, batch] = v2.map((r) => r.body);
  assert.deepEqual(v2.at(-1).body, { metrics: { score: 0 } }, "the update of an unknown event, answered 404");
  assert.deepEqual([session.session_id, session.session_name, session.source], [report.v2SessionId, `${runtime}-v2`, runtime]);
  assert.deepEqual([event.event_id, event.session_id, event.event_type, event.inputs], [report.v2EventId, report.v2SessionId, "model", { prompt: "2 + 2?" }]);
  assert.deepEqual(update, { metrics: { score: 1 } });
  assert.deepEqual([batch.single_session, batch.events.map((e) => e.event_name)], [true, ["v2-a", "v2-b"]]);
  assert.ok([session, event, ...batch.events].every((body) => !("project" in body) && !("session" in body) && !("event" in body)), "bare, without project");
  assert.deepEqual(server.state().events[report.v2EventId].metrics, { score: 1 });
}

async function timed(t, name, version, fn) {
  const began = performance.now();
  try {
    return await fn();
  } finally {
    timings.push({ runtime: name, version: await version, ms: Math.round(performance.now() - began) });
  }
}

async function serverFor(t) {
  const server = await startServer();
  t.after(() => server.close());
  // The scenario's batch meets a partial failure.
  server.inject({ path: "/events/batch", rejectEvents: [7] });
  return server;
}

describe("runtime matrix", () => {
  after(() => {
    console.log("runtime timings (build + start + scenario):");
    for (const { runtime, version, ms } of timings) console.log(`  ${runtime.padEnd(13)} ${String(ms).padStart(6)} ms  ${version}`);
  });

  test("Node: ESM import, env from process.env", async (t) => {
    const server = await serverFor(t);
    const report = await timed(t, "node", process.version, () => hosts.runNode(server, KEY));
    assertScenario(server, report, "node");
  });

  test("Deno: npm package, narrow permissions, env from Deno.env", async (t) => {
    const server = await serverFor(t);
    const report = await timed(t, "deno", hosts.denoVersion(), () => hosts.runDeno(server, KEY));
    assertScenario(server, report, "deno");
  });

  test("Deno without --allow-read: the module cannot load, and calls report it as any failure", async () => {
    const { stdout, stderr } = await hosts.denoWithoutRead();
    const report = JSON.parse(stdout.trim().split("\n").at(-1));
    assert.equal(report.quiet, null, "quiet mode resolves to null");
    assert.match(report.verbose, /^HoneyHive: failed to log event: the WebAssembly module could not be loaded \(.*--allow-read/);
    assert.match(stderr, /HoneyHive: Failed to log event\. \(could not load the WebAssembly module\)/);
    assert.equal(report.code, "module_load");
  });

  test("Deno without --allow-net or --allow-env: the call says which flag to add, and is not retried", async (t) => {
    const server = await serverFor(t);
    const { stdout } = await hosts.denoWithoutNetOrEnv(server.url);
    const report = JSON.parse(stdout.trim().split("\n").at(-1));
    assert.equal(report.net.isClass, true, "a HoneyHiveError");
    assert.deepEqual([report.net.code, report.net.retryable], ["permission", false]);
    assert.match(report.net.message, /--allow-net/);
    assert.ok(report.net.elapsed < 900, `no retry waited: it took ${report.net.elapsed} ms`);
    assert.equal(server.requests().length, 0, "nothing reached the server");
    assert.equal(report.env.code, "missing_option");
    assert.match(report.env.message, /API key is required.*--allow-env/s);
  });

  test("workerd: a module Worker with env bindings, and a log in ctx.waitUntil", async (t) => {
    const server = await serverFor(t);
    const { worker, report, waitUntil } = await timed(t, "workerd", `workerd ${hosts.workerdVersion()}`, async () => {
      const worker = await hosts.startWorkerd(server, KEY);
      const scenario = await worker.fetch("http://worker/scenario");
      const report = await scenario.json();
      const waitUntil = await worker.fetch("http://worker/wait-until");
      await waitUntil.text();
      return { worker, report, waitUntil };
    });
    t.after(() => worker.dispose());
    assert.equal(waitUntil.status, 202, "the handler answered before the log finished");
    // The waitUntil log lands after the answer: poll for it (the cap only bounds a lost log).
    const deadline = Date.now() + 30_000;
    let background;
    while (!(background = server.requests().find((r) => r.body?.event?.event_name === "in-wait-until")) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(background, "the log in ctx.waitUntil reached the server");
    const tracedWait = (r) => r.body?.session_properties?.session_name === "traced-wait-until";
    while (!server.requests().some(tracedWait) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const traced = server.requests().find(tracedWait);
    assert.ok(traced, "the trace sent in ctx.waitUntil (its waitUntil option) reached the server");
    assert.deepEqual([traced.status, traced.body.events[0].outputs], [200, { result: "answered" }]);
    assert.equal(background.status, 200);
    assert.equal(background.headers.authorization, `Bearer ${KEY}`, "the key came from the Worker's env");
    // Check the scenario's five requests apart from the background one.
    const scenarioRequests = server.requests().filter((r) => r.body?.event?.event_name !== "in-wait-until" && !tracedWait(r));
    assertScenario({ requests: () => scenarioRequests, state: () => server.state() }, report, "workerd");
  });

  test("workerd: an AI SDK call (ai 7, mock model, one tool) traced by aiSdkIntegration, sent in ctx.waitUntil", async (t) => {
    const server = await serverFor(t);
    const worker = await hosts.startWorkerd(server, KEY, { worker: "ai-worker" });
    t.after(() => worker.dispose());
    const answer = await (await worker.fetch("http://worker/ai")).json();
    assert.deepEqual(answer, { text: "It is sunny in Paris." });
    const deadline = Date.now() + 30_000;
    while (server.requests().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const requests = server.requests();
    assert.deepEqual(requests.map((r) => `${r.method} ${r.path} ${r.status}`), ["POST /events/batch 200"], "one request for the call");
    assert.equal(requests[0].headers.authorization, `Bearer ${KEY}`, "the key from the Worker's env");
    const [chain, model, tool, answerModel] = requests[0].body.events;
    assert.deepEqual([chain, model, tool, answerModel].map((e) => `${e.event_type} ${e.event_name}`),
      ["chain workerd-ai", "model mock-weather", "tool weather", "model mock-weather"]);
    assert.deepEqual(chain.children_ids, [model.event_id, tool.event_id, answerModel.event_id]);
    const usage = [model.metadata.prompt_tokens, model.metadata.completion_tokens, model.metadata.total_tokens];
    assert.deepEqual([usage, tool.outputs, answerModel.outputs.text], [[10, 5, 15], { city: "Paris", sky: "sunny" }, "It is sunny in Paris."]);
    assert.ok(requests[0].body.events.every((e) => e.source === "workerd" && e.project === "runtimes"));
  });

  test("Vercel edge runtime: wasm compilation forbidden, ?module binding, env from process.env", async (t) => {
    const server = await serverFor(t);
    const report = await timed(t, "edge-runtime", `edge-runtime ${hosts.edgeRuntimeVersion()}`, () => hosts.runEdge(server, KEY));
    assertScenario(server, report, "edge-runtime");
  });

  describe("Chromium", () => {
    let browser, files;
    before(async () => {
      browser = await hosts.launchChromium();
      files = await startStatic({
        "/pkg/": resolve(TESTS, "node_modules/honeyhive-logger-wasm"),
        "/runtimes/": resolve(TESTS, "runtimes"),
      });
    });
    after(async () => {
      await browser?.close();
      await files?.close();
    });

    test("headless Chromium: import map, .wasm fetched, API on another origin (CORS)", async (t) => {
      const server = await serverFor(t);
      const report = await timed(t, "chromium", `Chromium ${browser.version()}`, () => hosts.runChromium(browser, files.url, server, KEY));
      assertScenario(server, report, "chromium");
    });
  });
});
