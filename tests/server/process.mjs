// The local server in a process of its own, for load and benchmarks: the client under test then
// does not share its event loop with the server.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const SERVER = fileURLToPath(new URL("./server.mjs", import.meta.url));

/** Starts `server.mjs` in a child process; resolves to { url, stop() } once it listens. */
export function serverProcess() {
  const child = spawn(process.execPath, [SERVER], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolveUrl, reject) => {
    child.once("error", reject);
    child.stdout.once("data", (chunk) => {
      const url = String(chunk).match(/listening (http:\/\/\S+)/)?.[1];
      if (!url) return reject(new Error(`the server said: ${chunk}`));
      resolveUrl({ url, stop: () => child.kill("SIGTERM") });
    });
  });
}
