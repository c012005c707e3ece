// The declarations are strict: each line marked @ts-expect-error must be a type error (tsc
// fails on a marker that is not), and the others must type-check.
import { HoneyHive, aiSdkIntegration, log, logBatch, start, trace, update, type BatchError, type BatchIds, type EventType, type Span, type AiSdkIntegration } from "honeyhive-logger-wasm";

const id: string | null = await start({ apiKey: "k", project: "p", session_name: "snake", userProperties: { a: 1 } });
const eventId: string | null = await log({ eventName: "e", eventType: "MODEL", event_type: "tool", sessionId: id, inputs: { deep: { ok: [1] } } });
// The id is required (a string): a call's `null` result must be checked first.
const nothing: void = eventId === null ? undefined : await update({ eventId, metrics: { m: 1 }, duration_ms: 3 });
// @ts-expect-error update without eventId (in either spelling)
await update({ metrics: { m: 1 } });
// @ts-expect-error log without eventName (in either spelling)
await log({ inputs: {} });
const ids: BatchIds | null = await logBatch({ events: [{ eventName: "a" }], isSingleSession: true, sessionProperties: { session_name: "s" } });
const client = new HoneyHive({ env: { HH_API_KEY: "k" }, maxRetries: 1, verbose: true });
const fromClient: string | null = await client.log({ eventName: "e", childrenIds: ["x"], error: null, startTime: 1, endTime: 2 });
const platform = new HoneyHive({ ingestionApiKey: "hh_ingst_…", dataPlaneUrl: "https://api.dp1.us.honeyhive.ai" });
const v2: string | null = await platform.log({ eventName: "e", ingestion_api_key: "k", data_plane_url: "http://127.0.0.1:8787" });
const type: EventType = "chain";
const failure = (e: unknown) => (e as BatchError).eventIds satisfies BatchIds;
const traced: { text: string } = await trace("root", async (span: Span) => {
  const n: number = await span.trace("child", () => 1, { eventType: "model", inputs: { q: 1 }, recordOutputs: false });
  span.enrich({ metrics: { n }, user_properties: { plan: "pro" } });
  const sent: Promise<BatchIds | null> = span.sent;
  void [sent, span.id satisfies string, span.sessionId satisfies string];
  return { text: "ok" };
}, { apiKey: "k", sessionName: "s", waitUntil: (p: Promise<unknown>) => void p });
const fromClientTrace: number = await client.trace("t", () => 2);
void [nothing, ids, fromClient, v2, type, failure, traced, fromClientTrace];

// (The integration's assignability to ai's Telemetry is shown by tests/node/ai-sdk.test.mjs: ai's
// own declarations need @types/node, which this check of the browser-facing types leaves out.)
const aiIntegrations: AiSdkIntegration[] = [client.aiSdkIntegration(), aiSdkIntegration({ apiKey: "k", waitUntil: (p) => void p })];
void aiIntegrations;
const hooked = new HoneyHive({ onError: (e: Error) => console.warn(e.message), redact: ({ inputs, ...event }) => event });
void hooked;
// @ts-expect-error: redact gives the event back
await log({ eventName: "e", redact: () => undefined });
// @ts-expect-error: an integration takes a span, not its id
aiSdkIntegration({ span: "id" });
// @ts-expect-error: a span's id is made by the trace, not given
await trace("x", () => 1, { eventId: "id" });
// @ts-expect-error: enrich takes payload objects
await trace("x", (span) => span.enrich({ metadata: "m" }));

// @ts-expect-error: the event type is a union, not any string
await log({ eventName: "e", eventType: "llm" });
// @ts-expect-error: payloads are objects
await log({ eventName: "e", inputs: "text" });
// @ts-expect-error: durations are numbers
await log({ eventName: "e", durationMs: "10" });
// @ts-expect-error: logBatch needs events
await logBatch({ project: "p" });
// @ts-expect-error: start resolves to a string or null, not a number
const wrong: number = await start({});
// @ts-expect-error: the signal is an AbortSignal
await update({ eventId: "x", signal: true });
// @ts-expect-error: options are an object
await start("key");
// @ts-expect-error: the data plane URL is a string
await log({ eventName: "e", dataPlaneUrl: new URL("http://x") });
void wrong;
