// The AI SDK call the tests trace, on Node and in the workerd Worker: generateText with the
// SDK's MockLanguageModelV4 and one tool, in two steps (a tool call, then the answer). `ai` holds
// the SDK's exports the caller imported ({ generateText, jsonSchema, stepCountIs, tool,
// MockLanguageModelV4 }); `telemetry` is the call's telemetry option.
const usage = (input, output) => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: output, text: output, reasoning: 0 },
});

export function weatherCall(ai, telemetry, { toolThrows = false } = {}) {
  const model = new ai.MockLanguageModelV4({
    modelId: "mock-weather",
    doGenerate: [
      {
        content: [{ type: "tool-call", toolCallId: "call-1", toolName: "weather", input: JSON.stringify({ city: "Paris" }) }],
        finishReason: { unified: "tool-calls", raw: "tool_calls" },
        usage: usage(10, 5),
        warnings: [],
      },
      { content: [{ type: "text", text: "It is sunny in Paris." }], finishReason: { unified: "stop", raw: "stop" }, usage: usage(20, 7), warnings: [] },
    ],
  });
  const weather = ai.tool({
    description: "The weather in a city",
    inputSchema: ai.jsonSchema({ type: "object", properties: { city: { type: "string" } }, required: ["city"] }),
    execute: async ({ city }) => {
      if (toolThrows) throw new Error("tool down");
      return { city, sky: "sunny" };
    },
  });
  return ai.generateText({ model, prompt: "What is the weather in Paris?", tools: { weather }, stopWhen: ai.stepCountIs(3), telemetry });
}
