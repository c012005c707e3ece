// Addresses for tests that need a connection to fail.
import { startServer } from "../server/server.mjs";

let handedOut = 0;

/**
 * A URL whose port refuses connections: one a server of ours listened on, then closed. (Not a
 * fixed port such as 9: fetch forbids it outright, "bad port", and nothing is ever tried.) Its
 * path is its own (`/refused-N`): the logger's circuit breaker keeps a server that failed by its
 * URL for 30 s, and a later test's server may be given the same port; the path keeps the two
 * apart, and each refused URL apart from the others.
 */
export async function refusedUrl() {
  const server = await startServer();
  await server.close();
  return `${server.url}/refused-${++handedOut}`;
}
