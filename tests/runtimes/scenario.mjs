// The scenario every runtime runs, unchanged: start a session, log a model and a tool event,
// update both, log a batch of 150 full events through a client (two requests; the harness
// makes the server reject event 7 of the first), then one error path in verbose mode (rejects)
// and one in quiet mode (null).
// `options` carries how the runtime passes credentials: { apiKey, serverUrl } or { env }, or
// nothing when the runtime's own environment (process.env, Deno.env) holds HH_API_KEY/HH_API_URL.
// Then a trace: a root span with two children, one of which throws.
// Then the same again on HoneyHive's v2 API: `v2` carries a typed ingestion key and the data
// plane URL ({ ingestionApiKey, dataPlaneUrl } or { env: { HH_INGESTION_API_KEY, HH_DATA_PLANE_URL } }),
// nearer than the runtime's own environment, and no project: the key names it.
/** An event id no server has: updating it is a 404. */
export const UNKNOWN_EVENT = "0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f";

export async function scenario(honeyhive, runtime, options = {}, v2 = {}) {
  const { start, log, update } = honeyhive;
  const project = "runtimes";
  const sessionId = await start({ ...options, project, sessionName: runtime, source: runtime });
  const modelEventId = await log({
    ...options, project, sessionId, source: runtime, eventName: "model-call", eventType: "model",
    inputs: { prompt: "2 + 2?", runtime }, outputs: { text: "4" }, config: { model: "m" }, durationMs: 12,
  });
  const toolEventId = await log({
    ...options, project, sessionId, source: runtime, eventName: "tool-call", eventType: "tool", inputs: { x: 1 },
  });
  const modelUpdate = typeof await update({ ...options, eventId: modelEventId, feedback: { rating: 5 } });
  const sessionUpdate = typeof await update({ ...options, eventId: sessionId, metadata: { done: true } });
  const client = new honeyhive.HoneyHive({ ...options, project, source: runtime });
  const batch = await client.logBatch({
    sessionId,
    events: Array.from({ length: 150 }, (_, i) => ({
      eventName: `batch-${i}`, eventType: "chain", parentId: modelEventId, startTime: 1_700_000_000_000, endTime: 1_700_000_000_000 + i,
    })),
  });
  const batchTaken = batch.filter((id) => typeof id === "string").length;
  const batchLost = batch.flatMap((id, i) => (id === null ? [i] : []));
  let verboseError = "did not reject";
  try {
    await log({ ...options, project, eventName: "", verbose: true });
  } catch (error) {
    verboseError = `${error instanceof Error ? "Error" : typeof error}: ${error.message}`;
  }
  const quietResult = await log({ ...options, project, eventName: "x", eventType: "bogus" });
  // The codes a program acts on: a missing option, a refused connection (port 1), and (below) an
  // HTTP status, each a HoneyHiveError.
  const codeOf = (call) => call.then(() => "did not reject", (e) => `${e instanceof honeyhive.HoneyHiveError ? e.code : "not a HoneyHiveError"} ${e.status ?? "-"}`);
  const codes = {
    missing: await codeOf(log({ ...options, project, eventName: "", verbose: true })),
    network: await codeOf(log({ apiKey: "k-123", project, eventName: "n", serverUrl: "http://127.0.0.1:1", maxRetries: 0, verbose: true })),
  };

  const v2SessionId = await start({ ...v2, sessionName: `${runtime}-v2`, source: runtime, verbose: true });
  const v2EventId = await log({
    ...v2, sessionId: v2SessionId, source: runtime, eventName: "v2-model-call", eventType: "model",
    inputs: { prompt: "2 + 2?" }, outputs: { text: "4" }, verbose: true,
  });
  const v2Update = typeof await update({ ...v2, eventId: v2EventId, metrics: { score: 1 }, verbose: true });
  const v2Batch = await new honeyhive.HoneyHive({ ...v2, source: runtime, verbose: true }).logBatch({
    sessionId: v2SessionId, isSingleSession: true, events: [{ eventName: "v2-a", inputs: { i: 0 } }, { eventName: "v2-b", eventType: "chain" }],
  });
  codes.http = await codeOf(update({ ...v2, eventId: UNKNOWN_EVENT, metrics: { score: 0 }, verbose: true }));
  // A traced request: a root with two children, the second of which throws (rethrown to the
  // caller); the trace starts its own session and is sent as one batch when the root ends.
  let traceError = "did not throw";
  let traceSent;
  const traceResult = await honeyhive.trace(`${runtime}-trace`, async (root) => {
    traceSent = root.sent;
    const answer = await root.trace("model-step", async () => ({ text: "4" }), { eventType: "model", inputs: { prompt: "2 + 2?" } });
    try {
      await root.trace("tool-step", () => {
        throw new Error("tool failed");
      }, { eventType: "tool" });
    } catch (error) {
      traceError = error.message;
    }
    return answer;
  }, { ...options, project, source: runtime, inputs: { runtime } });
  const traceIds = await traceSent;
  return {
    clientClass: honeyhive.HoneyHive.name,
    traceResult, traceError, traceIds,
    runtime, sessionId, modelEventId, toolEventId, modelUpdate, sessionUpdate, batchTaken, batchLost, verboseError, quietResult, codes,
    v2SessionId, v2EventId, v2Update, v2Batch,
  };
}
