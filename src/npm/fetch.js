// One attempt's round trip as one promise, so that wasm awaits it once: the request made and
// sent with the runtime's `fetch`, its answer read to the end. The init is an object literal, as
// a JS logger writes it: fetch makes its own `Headers` of it either way. Whatever a runtime's (or
// a polyfill's) fetch returns, or its response's members throw, ends as this promise's rejection;
// wasm reads each item, by index, by its kind (src/wasm/fetch.rs).
export async function roundTrip(url, method, authorization, body, signal) {
  const headers = { Authorization: authorization, "Content-Type": "application/json" };
  const response = await fetch(url, { method, headers, body, signal });
  return [response.status, response.headers.get("retry-after"), await response.text()];
}
