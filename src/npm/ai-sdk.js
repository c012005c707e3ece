// The Vercel AI SDK's telemetry (ai@7's `Telemetry` interface): each generateText/streamText call
// becomes a trace, sent as one batch when the call ends: a chain span for the call, a model span
// per model call (one a step) and a tool span per tool execution, under the chain. No
// OpenTelemetry: the SDK's lifecycle callbacks, keyed by their `callId`.
//
// Token usage and a model call's performance go in `metadata`, under the keys of HoneyHive's
// canonical schema: HoneyHive adds up a session's tokens and cost from its model events'
// `metadata.prompt_tokens`, `completion_tokens` and `total_tokens` ("Session Aggregations");
// `cache_read_input_tokens`, `reasoning_tokens`, `time_to_first_token_ms` and `latency_ms` are
// the registry's names for the rest (github.com/honeyhiveai/semantic-conventions: tokens,
// token_counts and latency). Tokens per second and the gaps between chunks have no canonical key.
import { Span, close, isObject, open, openedSpan } from "./tracing.js";

/** How many calls one integration keeps open at most (see onStart). */
const MAX_OPEN_CALLS = 1000;
const asObject = (value, key) => (isObject(value) ? value : { [key]: value });

/** `fields` without the members that are not finite numbers (what the SDK or provider did not give). */
function numbers(fields) {
  for (const key of Object.keys(fields)) if (!Number.isFinite(fields[key])) delete fields[key];
  return fields;
}

/** Token usage under HoneyHive's canonical keys. */
const usageOf = (usage) =>
  numbers({
    prompt_tokens: usage?.inputTokens,
    completion_tokens: usage?.outputTokens,
    total_tokens: usage?.totalTokens,
    cache_read_input_tokens: usage?.inputTokenDetails?.cacheReadTokens,
    reasoning_tokens: usage?.outputTokenDetails?.reasoningTokens,
  });

/** A model call's performance: HoneyHive's canonical keys for the time to the first token
 * (streaming calls) and the call's latency; plain names with their unit for the rest. The SDK
 * counts a rate of 0 where it has no token count: no rate is given then. */
function performanceOf(performance, usage) {
  const gaps = performance?.timeBetweenOutputChunksMs;
  return {
    ...numbers({
      time_to_first_token_ms: performance?.timeToFirstOutputMs,
      latency_ms: performance?.responseTimeMs,
      output_tokens_per_second: Number.isFinite(usage?.outputTokens) ? performance?.outputTokensPerSecond : undefined,
    }),
    ...(isObject(gaps) && { time_between_output_chunks_ms: gaps }),
  };
}

/** A model call's answer: its text, the tools it called, why it stopped. */
function answerOf(event) {
  const parts = Array.isArray(event.content) ? event.content : [];
  const text = parts.filter((p) => p?.type === "text").map((p) => p.text).join("");
  const toolCalls = parts.filter((p) => p?.type === "tool-call").map((p) => ({ id: p.toolCallId, name: p.toolName, input: p.input }));
  return { text, ...(toolCalls.length > 0 && { tool_calls: toolCalls }), finish_reason: event.finishReason };
}

/**
 * The integration: `begin(opts, defaults)` starts a trace; `opts.span` (a Span) nests every call
 * under that span instead, in its trace.
 */
export function aiSdkIntegration(begin, opts = {}, defaults) {
  const calls = new Map();
  if (opts?.span !== undefined && !(opts.span instanceof Span)) {
    throw new TypeError("HoneyHive: aiSdkIntegration({ span }) takes the span a trace() function was given");
  }
  const under = opts?.span === undefined ? undefined : openedSpan(opts.span);

  /** A callback of the SDK for one call, run in the order the SDK called them. */
  const on = (handle) => (event) => {
    const call = calls.get(event?.callId);
    if (!call) return undefined;
    call.queue = call.queue.then(() => handle(call, event)).catch(() => {});
    return call.queue;
  };
  /** Closes what is still open of a call, and the call, with `outcome`. */
  const end = (call, outcome, rootOutcome = outcome) => {
    calls.delete(call.id);
    if (!call.root) return; // its trace could not begin
    for (const span of [call.model, ...call.tools.values()]) if (span) close(span, outcome);
    close(call.root, rootOutcome);
  };

  return {
    onStart(event) {
      const id = event?.callId;
      if (id === undefined || calls.has(id)) return undefined;
      // A call the SDK never ends (a stream nobody reads) is sent as it stands once this many
      // others are open, so that the map cannot grow without bound.
      if (calls.size >= MAX_OPEN_CALLS) {
        const [oldest] = calls.values();
        oldest.queue = oldest.queue.then(() => end(oldest, { error: "abandoned: the AI SDK never ended this call" })).catch(() => {});
        calls.delete(oldest.id);
      }
      const call = { id, tools: new Map(), recordInputs: event.recordInputs !== false, recordOutputs: event.recordOutputs !== false };
      calls.set(id, call);
      call.queue = (async () => {
        const trace = under?.trace ?? (await begin(opts, defaults));
        const options = {
          eventType: "chain",
          recordOutputs: call.recordOutputs,
          ...(call.recordInputs && { inputs: { messages: event.messages } }),
          metadata: { operation: event.operationId, provider: event.provider, model: event.modelId, call_id: id },
        };
        call.trace = trace;
        call.root = open(trace, under?.record.eventId, event.functionId ?? event.operationId ?? "ai", options);
      })().catch(() => calls.delete(id));
      return call.queue;
    },
    ...stepHandlers(on),
    onEnd: on((call, event) => {
      call.root.record.metadata = { ...call.root.options.metadata, ...usageOf(event.totalUsage ?? event.usage) };
      end(call, { error: "the call ended first" }, { value: { text: event.text, finish_reason: event.finishReason } });
    }),
    onError: on((call, event) => end(call, { error: event.error })),
    onAbort: on((call, event) => end(call, { error: `aborted${event.reason === undefined ? "" : `: ${event.reason?.message ?? event.reason}`}` })),
  };
}

/** The SDK's callbacks for a call's steps (each model call, each tool run): each opens its span
 * under the call's root, or closes it. `on` runs a callback in the order of the call's events. */
function stepHandlers(on) {
  return {
    onLanguageModelCallStart: on((call, event) => {
      call.model = open(call.trace, call.root.record.eventId, event.modelId ?? "model", {
        eventType: "model",
        recordOutputs: call.recordOutputs,
        ...(call.recordInputs && { inputs: { messages: event.messages } }),
        config: { provider: event.provider, model: event.modelId },
      });
    }),
    onLanguageModelCallEnd: on((call, event) => {
      if (!call.model) return;
      call.model.record.metadata = { ...usageOf(event.usage), ...performanceOf(event.performance, event.usage) };
      close(call.model, { value: answerOf(event) });
      call.model = undefined;
    }),
    onStepError: on((call, event) => {
      if (call.model) close(call.model, { error: event.error });
      call.model = undefined;
    }),
    onToolExecutionStart: on((call, event) => {
      const toolCall = event.toolCall ?? {};
      call.tools.set(toolCall.toolCallId, open(call.trace, call.root.record.eventId, toolCall.toolName ?? "tool", {
        eventType: "tool",
        recordOutputs: call.recordOutputs,
        ...(call.recordInputs && { inputs: asObject(toolCall.input, "input") }),
        metadata: { tool_call_id: toolCall.toolCallId },
      }));
    }),
    onToolExecutionEnd: on((call, event) => {
      const id = event.toolCall?.toolCallId;
      const span = call.tools.get(id);
      if (!span) return;
      call.tools.delete(id);
      const output = event.toolOutput ?? {};
      close(span, "error" in output ? { error: output.error } : { value: asObject(output.output, "result") });
    }),
  };
}
