// The example `make demo` runs: what a user of the package writes. The first session goes the
// reference logger's way: the API key and server from HH_API_KEY / HH_API_URL, a project, the
// reference's routes. The second goes the current platform's way: a typed ingestion key and the
// data plane URL (the demo points HH_DATA_PLANE_URL at the local server too), no project, the
// v2 routes. Then a trace (a function run as a tree of spans, sent as one batch) and the two hooks:
// `redact` changes what is sent, `onError` hears of a failure.
import { start, log, update, trace, HoneyHive } from "honeyhive-logger-wasm";

export async function example() {
  const project = "demo-project";

  const sessionId = await start({
    project,
    sessionName: "make-demo",
    source: "demo",
    inputs: { question: "What is the capital of France?" },
    userProperties: { user: "demo-user" },
  });

  const modelEventId = await log({
    project,
    sessionId,
    source: "demo",
    eventName: "answer_question",
    eventType: "model",
    config: { model: "gpt-4o", temperature: 0 },
    inputs: { messages: [{ role: "user", content: "What is the capital of France?" }] },
    outputs: { content: "Paris" },
    metadata: { prompt_tokens: 14, completion_tokens: 1 },
    durationMs: 420,
  });

  const toolEventId = await log({
    project,
    sessionId,
    source: "demo",
    eventName: "lookup_population",
    eventType: "tool",
    inputs: { city: "Paris" },
    outputs: { population: 2102650 },
    durationMs: 35,
  });

  await update({ eventId: modelEventId, feedback: { rating: 5, correct: true }, metrics: { latency_ok: true } });
  await update({ eventId: toolEventId, metadata: { cache: "miss" } });
  await update({ eventId: sessionId, outputs: { answer: "Paris" }, metadata: { status: "complete" } });

  // A client holds the shared options; a batch sends many events in one request.
  const honeyhive = new HoneyHive({ project, source: "demo" });
  const batchIds = await honeyhive.logBatch({
    sessionId,
    events: [
      { eventName: "retrieve_documents", eventType: "tool", inputs: { query: "capital of France" }, parentId: modelEventId,
        startTime: Date.now() - 80, endTime: Date.now() - 45 },
      { eventName: "rerank", eventType: "chain", outputs: { kept: 3 }, metrics: { ndcg: 0.92 } },
    ],
  });

  // The current platform: a typed ingestion key names its project; dataPlaneUrl selects the v2 API.
  const platform = new HoneyHive({ ingestionApiKey: process.env.HH_DEMO_INGESTION_KEY, dataPlaneUrl: process.env.HH_DEMO_DATA_PLANE_URL });
  const v2SessionId = await platform.start({ sessionName: "make-demo-v2", source: "demo" });
  const v2EventId = await platform.log({
    sessionId: v2SessionId, source: "demo", eventName: "answer_question", eventType: "model",
    inputs: { question: "And of Italy?" }, outputs: { content: "Rome" }, durationMs: 380,
  });
  await platform.update({ eventId: v2EventId, feedback: { rating: 5 } });

  // A trace: the root span and its child are sent as one batch when the root returns.
  const traced = await trace(
    "answer_with_sources",
    async (span) => {
      const documents = await span.trace("retrieve", async () => ["doc-1", "doc-2"], { eventType: "tool" });
      span.enrich({ metadata: { documents: documents.length } });
      return "Paris";
    },
    { project, source: "demo", sessionId, inputs: { question: "What is the capital of France?" } },
  );

  // Hooks: `redact` sees each event just before it is sent; what it removes never leaves.
  const loginEventId = await log({
    project, sessionId, source: "demo", eventName: "login", inputs: { user: "ada", password: "hunter2" },
    redact: (event) => ({ ...event, inputs: { ...event.inputs, password: "[redacted]" } }),
  });
  // `onError` hears of a failure, a HoneyHiveError with a code; quiet mode still resolves (to null)
  // and prints one line.
  const heard = [];
  const failed = await log({
    project, sessionId, eventName: "misspelled", eventType: "llm",
    onError: (error) => heard.push(`${error.code}: ${error.message}`),
  });

  return { sessionId, modelEventId, toolEventId, batchIds, v2SessionId, v2EventId, traced, loginEventId, failed, heard };
}
