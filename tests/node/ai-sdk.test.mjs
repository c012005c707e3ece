// aiSdkIntegration(): the real `ai` package (7.0.173) with its MockLanguageModelV4, a tool and
// two steps; what reaches the local server is one batch: chain → model, tool, model.
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateText, jsonSchema, registerTelemetry, stepCountIs, tool } from "ai";
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
  // The model events: messages in, text / tool calls / finish reason out, token usage in metrics.
  assert.deepEqual(model1.inputs.messages.map((m) => m.role), ["user"]);
  assert.deepEqual(model1.outputs, { text: "", tool_calls: [{ id: "call-1", name: "weather", input: { city: "Paris" } }], finish_reason: "tool-calls" });
  assert.deepEqual(model1.metrics, { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 });
  assert.deepEqual(model1.config, { provider: "mock-provider", model: "mock-weather" });
  assert.deepEqual([model2.outputs.text, model2.outputs.finish_reason, model2.metrics.total_tokens], ["It is sunny in Paris.", "stop", 27]);
  assert.deepEqual(model2.inputs.messages.map((m) => m.role), ["user", "assistant", "tool"]);
  // The tool event: its input and output.
  assert.deepEqual([weather.inputs, weather.outputs, weather.metadata.tool_call_id], [{ city: "Paris" }, { city: "Paris", sky: "sunny" }, "call-1"]);
  // The chain: the call's messages, its text and total usage.
  assert.deepEqual([chain.outputs, chain.metrics], [{ text: "It is sunny in Paris.", finish_reason: "stop" }, { prompt_tokens: 30, completion_tokens: 12, total_tokens: 42 }]);
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
  assert.equal(request.body.events[1].metrics.total_tokens, 15, "usage is still recorded");
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
