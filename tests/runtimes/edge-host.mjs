// Vercel Edge (edge-runtime): a fetch handler, as an edge route runs, with the API key and
// server from process.env (Vercel's environment variables).
import * as honeyhive from "honeyhive-logger-wasm";
import { scenario } from "./scenario.mjs";

addEventListener("fetch", (event) => {
  event.respondWith(scenario(honeyhive, "edge-runtime").then((report) => Response.json(report)));
});
