// `make www`: serves the browser demo (www/) and the package next to the local HoneyHive-
// compatible server, and prints the address to open. The page is on PORT (make www sets it from
// WWW_PORT, default 8080), the server on API_PORT (default: any free port). Stops on Ctrl-C.
import { resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "../server/server.mjs";
import { startStatic } from "../server/static.mjs";

const tests = resolve(dirname(fileURLToPath(import.meta.url)), "..");
try {
  const api = await startServer({ print: true, port: Number(process.env.API_PORT || 0), portHint: "another: make www API_PORT=<n>" });
  const files = await startStatic(
    { "/pkg/": resolve(tests, "node_modules/honeyhive-logger-wasm"), "/": resolve(tests, "../www") },
    { port: Number(process.env.PORT || 8080), portHint: "another: make www WWW_PORT=<n>" },
  ).catch(async (error) => {
    await api.close();
    throw error;
  });
  const query = new URLSearchParams({ server: api.url, key: "hh-demo-key" });
  console.log(`Local HoneyHive-compatible server: ${api.url}`);
  console.log(`Open the demo: ${files.url}/?${query}\n`);
  const stop = async () => {
    await Promise.all([api.close(), files.close()]);
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (error) {
  console.error(`make www: ${error.message}`);
  process.exit(1);
}
