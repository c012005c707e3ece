// A module Worker: reads HH_API_KEY / HH_API_URL from its env bindings.
// GET /scenario runs the shared scenario and answers its report; GET /wait-until logs an event
// in ctx.waitUntil (and a trace, through its waitUntil option) and answers at once, as a real handler would; GET /fault?case=i&server=url&refused=url
// runs one case of the fault matrix; GET /cold makes one call (for the cold-start bench).
import * as honeyhive from "honeyhive-logger-wasm";
import { scenario } from "../scenario.mjs";
import { CASES, runCase } from "../faults.mjs";

export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === "/scenario") {
      // The v2 part through the `env` option too: the typed key and data plane URL as bindings.
      const v2 = { env: { HH_INGESTION_API_KEY: env.HH_TEST_V2_KEY, HH_DATA_PLANE_URL: env.HH_TEST_V2_URL } };
      return Response.json(await scenario(honeyhive, "workerd", { env }, v2));
    }
    if (pathname === "/fault") {
      const params = new URL(request.url).searchParams;
      const kase = CASES[Number(params.get("case"))];
      return Response.json(await runCase(honeyhive, kase, params.get("server"), env.HH_API_KEY, params.get("refused"), env.HH_OUTBOX));
    }
    if (pathname === "/cold") {
      // For the bench: the first call of an isolate instantiates the module.
      await honeyhive.log({ verbose: true }).catch(() => {});
      return new Response("ok");
    }
    if (pathname === "/wait-until") {
      ctx.waitUntil(honeyhive.log({ env, project: "runtimes", eventName: "in-wait-until", source: "workerd" }));
      // A traced handler: the trace's sending is handed to ctx.waitUntil by the root's option.
      await honeyhive.trace("traced-wait-until", () => "answered", { env, project: "runtimes", source: "workerd", waitUntil: ctx.waitUntil.bind(ctx) });
      return new Response("accepted", { status: 202 });
    }
    return new Response("not found", { status: 404 });
  },
};
