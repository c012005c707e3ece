// A module Worker with a queue bound as HH_OUTBOX, and consuming it: GET /produce?server=url
// makes calls against `server` (down: 503s, or refusing connections) with the outbox from env,
// and answers what they resolved to; the queue handler replays each message with the Worker's
// own key and URL (HH_API_KEY, HH_API_URL), acking what it delivered.
import { HoneyHive, replay } from "honeyhive-logger-wasm";
import { produce } from "../outbox-calls.mjs";

export default {
  async fetch(request, env) {
    const params = new URL(request.url).searchParams;
    const honeyhive = new HoneyHive({ env, serverUrl: params.get("server"), project: "outbox", maxRetries: 0, timeoutMs: 2000 });
    const warned = [];
    const warn = console.warn;
    console.warn = (line) => warned.push(String(line));
    try {
      return Response.json({ ...(await produce(honeyhive)), warned });
    } finally {
      console.warn = warn;
    }
  },
  async queue(batch, env) {
    // No retries within a delivery: what HoneyHive does not take yet goes back to the queue.
    await replay(batch, { env, maxRetries: 0 });
  },
};
