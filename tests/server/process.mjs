// The local server in a process of its own, for load and benchmarks: the client under test then
// does not share its event loop with the server.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const SERVER = fileURLToPath(new URL("./server.mjs", import.meta.url));

/** Starts `server.mjs` in a child process; resolves to { url, stop() } once it listens. */
export function serverProcess() {
  // stdin is a pipe that closes when this process ends: the server then ends too (a test that
  // crashes cannot leave it running, holding the test runner's output open).
  const child = spawn(process.execPath, [SERVER, "--exit-with-parent"], { stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolveUrl, reject) => {
    child.once("error", reject);
    child.stdout.once("data", (chunk) => {
      const url = String(chunk).match(/listening (http:\/\/\S+)/)?.[1];
      if (!url) return reject(new Error(`the server said: ${chunk}`));
      resolveUrl({ url, stop: () => child.kill("SIGTERM") });
    });
  });
}
