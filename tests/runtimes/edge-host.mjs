// Vercel Edge (edge-runtime): a fetch handler, as an edge route runs, with the API key and
// server from process.env (Vercel's environment variables).
import * as honeyhive from "honeyhive-logger-wasm";
import { scenario } from "./scenario.mjs";

addEventListener("fetch", (event) => {
  const v2 = { ingestionApiKey: process.env.HH_TEST_V2_KEY, dataPlaneUrl: process.env.HH_TEST_V2_URL };
  event.respondWith(scenario(honeyhive, "edge-runtime", {}, v2).then((report) => Response.json(report)));
});
