// A static file server for browser tests and the www demo: serves folders under URL prefixes
// from 127.0.0.1, with the right MIME types (application/wasm for .wasm). Node built-ins only.
import http from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { listen } from "./server.mjs";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".png": "image/png",
};

/** Serves `mounts` ({ "/prefix/": "/abs/dir" }) on 127.0.0.1; returns { url, close() }.
 * `portHint` completes the message of a port in use (see http.mjs `listen`). */
export async function startStatic(mounts, { port = 0, portHint } = {}) {
  const server = http.createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const prefix = Object.keys(mounts).find((p) => path.startsWith(p));
    if (!prefix) return notFound(res);
    const root = mounts[prefix];
    const file = normalize(join(root, path.slice(prefix.length) || "index.html"));
    if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) return notFound(res);
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(body);
    } catch {
      notFound(res);
    }
  });
  await listen(server, "127.0.0.1", port, portHint);
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}

function notFound(res) {
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("not found");
}
