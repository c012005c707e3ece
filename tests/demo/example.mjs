// The example `make demo` runs: what a user of the package writes. It reads the API key and
// server from HH_API_KEY / HH_API_URL (the demo points them at the local server).
import { start, log, update } from "honeyhive-logger-wasm";

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

  return { sessionId, modelEventId, toolEventId };
}
