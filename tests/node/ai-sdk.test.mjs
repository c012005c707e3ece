// aiSdkIntegration(): the real `ai` package (7.0.173) with its MockLanguageModelV4, a tool and
// two steps; what reaches the local server is one batch: chain → model, tool, model.
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateText, jsonSchema, registerTelemetry, simulateReadableStream, stepCountIs, streamText, tool } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { HoneyHive, aiSdkIntegration, trace } from "honeyhive-logger-wasm";
import { KEY, serverFor } from "./helpers.mjs";
import { weatherCall } from "../runtimes/ai-scenario.mjs";

/** Polls until the server has `count` requests (the trace is sent after generateText returns). */
async function requests(server, count) {
  for (let waited = 0; server.requests().length < count && waited < 30_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  return server.requests();
}

test("generateText with a tool and two steps becomes one trace: chain, model, tool, model, with usage", async (t) => {
  const server = await serverFor(t);
  const integration = aiSdkIntegration({ apiKey: KEY, project: "ai", serverUrl: server.url });
  const result = await weatherCall({ generateText, jsonSchema, stepCountIs, tool, MockLanguageModelV4 }, { integrations: [integration], functionId: "weather-agent" });
  assert.equal(result.text, "It is sunny in Paris.");
  const [request] = await requests(server, 1);
  assert.deepEqual([request.method, request.path, request.status], ["POST", "/events/batch", 200]);
  const [chain, model1, weather, model2, ...more] = request.body.events;
  assert.equal(more.length, 0);
  assert.deepEqual([chain, model1, weather, model2].map((e) => [e.event_type, e.event_name]),
    [["chain", "weather-agent"], ["model", "mock-weather"], ["tool", "weather"], ["model", "mock-weather"]]);
  assert.deepEqual(chain.children_ids, [model1.event_id, weather.event_id, model2.event_id]);
  assert.ok([model1, weather, model2].every((e) => e.parent_id === chain.event_id && e.session_id === chain.session_id));
  assert.deepEqual(request.body.session_properties, { session_name: "weather-agent" });
  // The model events: messages in, text / tool calls / finish reason out, token usage and the
  // call's latency in metadata (no time to first token: nothing was streamed), none in metrics.
  assert.deepEqual(model1.inputs.messages.map((m) => m.role), ["user"]);
  assert.deepEqual(model1.outputs, { text: "", tool_calls: [{ id: "call-1", name: "weather", input: { city: "Paris" } }], finish_reason: "tool-calls" });
  const { latency_ms, ...usage } = model1.metadata;
  assert.deepEqual(usage, { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, cache_read_input_tokens: 0, reasoning_tokens: 0 });
  // The SDK starts its clock just before it tells of the model call, and the spans' times are
  // whole milliseconds: the latency lies within the chain's span, to the millisecond.
  assert.ok(typeof latency_ms === "number" && latency_ms >= 0 && latency_ms <= chain.duration + 1, `${latency_ms} within ${chain.duration}`);
  assert.equal(model1.metrics, undefined, "nothing in metrics");
  assert.deepEqual(model1.config, { provider: "mock-provider", model: "mock-weather" });
  assert.deepEqual([model2.outputs.text, model2.outputs.finish_reason, model2.metadata.total_tokens], ["It is sunny in Paris.", "stop", 27]);
  assert.deepEqual(model2.inputs.messages.map((m) => m.role), ["user", "assistant", "tool"]);
  // The tool event: its input and output.
  assert.deepEqual([weather.inputs, weather.outputs, weather.metadata.tool_call_id], [{ city: "Paris" }, { city: "Paris", sky: "sunny" }, "call-1"]);
  // The chain: the call's messages, its text, and its total usage beside what it was.
  assert.deepEqual(chain.outputs, { text: "It is sunny in Paris.", finish_reason: "stop" });
  assert.deepEqual(chain.metadata, {
    operation: "ai.generateText", provider: "mock-provider", model: "mock-weather", call_id: chain.metadata.call_id,
    prompt_tokens: 30, completion_tokens: 12, total_tokens: 42, cache_read_input_tokens: 0, reasoning_tokens: 0,
  });
  for (const e of [model1, weather, model2]) assert.ok(e.start_time >= chain.start_time && e.end_time <= chain.end_time, e.event_name);
  assert.ok(model1.end_time <= weather.start_time && weather.end_time <= model2.start_time, "in the order they ran");
});

test("registered globally through a client; a tool that throws and a model that fails are recorded as errors", async (t) => {
  const server = await serverFor(t);
  const client = new HoneyHive({ apiKey: KEY, project: "ai", serverUrl: server.url });
  registerTelemetry(client.aiSdkIntegration());
  t.after(() => (globalThis.AI_SDK_TELEMETRY_INTEGRATIONS = undefined));
  await weatherCall({ generateText, jsonSchema, stepCountIs, tool, MockLanguageModelV4 }, {}, { toolThrows: true });
  const failing = new MockLanguageModelV4({ modelId: "down", doGenerate: async () => { throw new Error("model down"); } });
  await assert.rejects(generateText({ model: failing, prompt: "hi", maxRetries: 0 }), /model down/);
  const [first, second] = await requests(server, 2);
  const toolEvent = first.body.events.find((e) => e.event_type === "tool");
  assert.equal(toolEvent.error, "tool down");
  const [chain, model] = second.body.events;
  assert.deepEqual([chain.event_name, chain.error, model.event_type, model.error], ["ai.generateText", "model down", "model", "model down"]);
});

test("with a span, every call nests under it and goes out with its trace", async (t) => {
  const server = await serverFor(t);
  let sent;
  await trace("handle request", async (span) => {
    sent = span.sent;
    const integration = aiSdkIntegration({ span });
    await weatherCall({ generateText, jsonSchema, stepCountIs, tool, MockLanguageModelV4 }, { integrations: [integration] });
  }, { apiKey: KEY, project: "ai", serverUrl: server.url });
  await sent;
  const requests = server.requests();
  assert.equal(requests.length, 1, "one request: the caller's trace");
  const [root, chain, ...rest] = requests[0].body.events;
  assert.deepEqual([root.event_name, chain.event_name, chain.parent_id, root.children_ids], ["handle request", "ai.generateText", root.event_id, [chain.event_id]]);
  assert.equal(rest.length, 3);
  assert.ok(rest.every((e) => e.parent_id === chain.event_id));
});

test("recordInputs and recordOutputs: false keep messages and answers out", async (t) => {
  const server = await serverFor(t);
  const integration = aiSdkIntegration({ apiKey: KEY, project: "ai", serverUrl: server.url });
  await weatherCall({ generateText, jsonSchema, stepCountIs, tool, MockLanguageModelV4 }, { integrations: [integration], recordInputs: false, recordOutputs: false });
  const [request] = await requests(server, 1);
  const text = JSON.stringify(request.body);
  assert.ok(!text.includes("Paris"), text.slice(0, 400));
  assert.ok(request.body.events.every((e) => Object.keys(e.inputs).length === 0 && Object.keys(e.outputs).length === 0));
  assert.equal(request.body.events[1].metadata.total_tokens, 15, "usage is still recorded");
});

test("the integration has exactly the callbacks its type declares", async () => {
  const { readFileSync } = await import("node:fs");
  const { createRequire } = await import("node:module");
  const packageJson = createRequire(import.meta.url).resolve("honeyhive-logger-wasm/package.json");
  const types = readFileSync(new URL("index.d.ts", `file://${packageJson}`), "utf8");
  const declared = types.match(/export interface AiSdkIntegration \{([^}]*)\}/)?.[1].match(/\b\w+(?=: AiSdkCallback)/g) ?? [];
  const integration = aiSdkIntegration({ apiKey: KEY, project: "p" });
  assert.deepEqual(Object.keys(integration).sort(), [...declared].sort());
  assert.ok(declared.includes("onAbort") && declared.length >= 9, declared.join(" "));
});

/** A model whose stream starts `delayMs` late, then streams "Hello, world" in three chunks. */
function lateStreamingModel(delayMs) {
  const usage = { inputTokens: { total: 12, noCache: 8, cacheRead: 4, cacheWrite: 0 }, outputTokens: { total: 9, text: 6, reasoning: 3 } };
  return new MockLanguageModelV4({
    modelId: "mock-stream",
    doStream: async () => ({
      stream: simulateReadableStream({
        initialDelayInMs: delayMs,
        chunkDelayInMs: 5,
        chunks: [
          { type: "stream-start", warnings: [] },
          { type: "text-start", id: "t" },
          { type: "text-delta", id: "t", delta: "Hello" },
          { type: "text-delta", id: "t", delta: ", " },
          { type: "text-delta", id: "t", delta: "world" },
          { type: "text-end", id: "t" },
          { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage },
        ],
      }),
    }),
  });
}

test("streamText: the model event carries usage in metadata and a time to first token no earlier than the stream's first chunk", async (t) => {
  const server = await serverFor(t);
  const DELAY = 150;
  const integration = aiSdkIntegration({ apiKey: KEY, project: "ai", serverUrl: server.url });
  const result = streamText({ model: lateStreamingModel(DELAY), prompt: "Say hello", telemetry: { integrations: [integration], functionId: "hello" } });
  assert.equal(await result.text, "Hello, world");
  const [request] = await requests(server, 1);
  const [chain, model, ...more] = request.body.events;
  assert.deepEqual([chain.event_name, model.event_type, more.length], ["hello", "model", 0]);
  const { time_to_first_token_ms: ttft, latency_ms, output_tokens_per_second, time_between_output_chunks_ms: gaps, ...usage } = model.metadata;
  assert.deepEqual(usage, { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21, cache_read_input_tokens: 4, reasoning_tokens: 3 });
  // The first chunk comes DELAY ms after the stream starts (a timer fires no earlier than asked,
  // to the millisecond it rounds to); the whole call took longer than its first token.
  assert.ok(ttft >= DELAY - 1, `time to first token ${ttft} ms, the stream's first chunk at ${DELAY} ms`);
  assert.ok(latency_ms > ttft && latency_ms <= model.duration + 1, `latency ${latency_ms} ms, first token ${ttft} ms, span ${model.duration} ms`);
  assert.ok(output_tokens_per_second > 0 && Number.isFinite(output_tokens_per_second), String(output_tokens_per_second));
  assert.ok(gaps.min >= 0 && gaps.max >= gaps.min && typeof gaps.median === "number", JSON.stringify(gaps));
  assert.equal(model.metrics, undefined, "nothing in metrics");
  assert.deepEqual([chain.metadata.prompt_tokens, chain.metadata.completion_tokens, chain.metadata.total_tokens], [12, 9, 21]);
  assert.deepEqual(model.outputs, { text: "Hello, world", finish_reason: "stop" });
});

test("sampleRate 0: an AI SDK call runs as always and sends nothing; a client's rate applies to its integration", async (t) => {
  const server = await serverFor(t);
  const ai = { generateText, jsonSchema, stepCountIs, tool, MockLanguageModelV4 };
  const integration = aiSdkIntegration({ apiKey: KEY, project: "ai", serverUrl: server.url, sampleRate: 0 });
  assert.equal((await weatherCall(ai, { integrations: [integration] })).text, "It is sunny in Paris.");
  const client = new HoneyHive({ apiKey: KEY, project: "ai", serverUrl: server.url, sample_rate: 0 });
  assert.equal((await weatherCall(ai, { integrations: [client.aiSdkIntegration()] })).text, "It is sunny in Paris.");
  const streamed = streamText({ model: lateStreamingModel(0), prompt: "Say hello", telemetry: { integrations: [integration] } });
  assert.equal(await streamed.text, "Hello, world");
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(server.requests().length, 0);
  // The same calls at the default rate are sent: the two above were left out, not lost.
  await weatherCall(ai, { integrations: [client.aiSdkIntegration({ sampleRate: 1 })] });
  assert.equal((await requests(server, 1)).length, 1);
});
