// The scenario every runtime runs, unchanged: start a session, log a model and a tool event,
// update both, log a batch of 150 full events through a client (two requests; the harness
// makes the server reject event 7 of the first), then one error path in verbose mode (rejects)
// and one in quiet mode (null).
// `options` carries how the runtime passes credentials: { apiKey, serverUrl } or { env }, or
// nothing when the runtime's own environment (process.env, Deno.env) holds HH_API_KEY/HH_API_URL.
export async function scenario(honeyhive, runtime, options = {}) {
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
  return {
    runtime, sessionId, modelEventId, toolEventId, modelUpdate, sessionUpdate, batchTaken, batchLost, verboseError, quietResult,
  };
}
