// A module Worker that traces an AI SDK call (the real `ai` package, bundled, with its mock
// model): GET /ai runs it with aiSdkIntegration() and answers the text at once; the trace goes
// out through ctx.waitUntil (the integration's waitUntil option). Key and URL from env bindings.
import { generateText, jsonSchema, stepCountIs, tool } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { aiSdkIntegration } from "honeyhive-logger-wasm";
import { weatherCall } from "../ai-scenario.mjs";

export default {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname !== "/ai") return new Response("not found", { status: 404 });
    const integration = aiSdkIntegration({ env, project: "runtimes", source: "workerd", waitUntil: (sending) => ctx.waitUntil(sending) });
    const result = await weatherCall({ generateText, jsonSchema, stepCountIs, tool, MockLanguageModelV4 }, {
      integrations: [integration],
      functionId: "workerd-ai",
    });
    return Response.json({ text: result.text });
  },
};
