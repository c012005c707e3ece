// A module Worker with no wasm, for the cold-start bench: GET /cold makes the call the package's
// Worker makes there (a log without a key, refused before anything is sent), written in plain JS
// as a JS logger would check it. The first request of each Worker, one against the other.
function log(opts) {
  const apiKey = opts.apiKey ?? opts.api_key;
  if (typeof apiKey !== "string" || apiKey === "") {
    return Promise.reject(new Error("HoneyHive: failed to log event: API key is required but not provided."));
  }
  return Promise.resolve(crypto.randomUUID());
}

export default {
  async fetch(request) {
    if (new URL(request.url).pathname === "/cold") {
      await log({ verbose: true }).catch(() => {});
      return new Response("ok");
    }
    return new Response("not found", { status: 404 });
  },
};
