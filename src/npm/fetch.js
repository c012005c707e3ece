// One attempt's round trip as one promise, so that wasm awaits it once: the request made and
// sent with the runtime's `fetch`, its answer read to the end. The init's headers are a `Headers`,
// which a fetch a caller wrapped may `get` or `set`. Whatever a runtime's (or a polyfill's) fetch
// returns, or its response's members throw, ends as this promise's rejection; wasm reads each
// item, by index, by its kind (src/wasm/fetch.rs).
export async function roundTrip(url, method, authorization, body, signal) {
  const headers = new Headers({ Authorization: authorization, "Content-Type": "application/json" });
  const response = await fetch(url, { method, headers, body, signal });
  return [response.status, response.headers.get("retry-after"), await response.text()];
}
