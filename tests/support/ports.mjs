// Addresses for tests that need a connection to fail.
import { startServer } from "../server/server.mjs";

/**
 * A URL whose port refuses connections: one a server of ours listened on, then closed. (Not a
 * fixed port such as 9: fetch forbids it outright, "bad port", and nothing is ever tried.)
 */
export async function refusedUrl() {
  const server = await startServer();
  await server.close();
  return server.url;
}
