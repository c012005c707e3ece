// One attempt's round trip as one promise, so that wasm awaits it once: the request sent with
// the runtime's `fetch`, its answer read to the end. Whatever a runtime's (or a polyfill's)
// fetch returns, or its response's members throw, ends as this promise's rejection; wasm reads
// each item, by index, by its kind (src/wasm/fetch.rs).
export async function roundTrip(url, init) {
  const response = await fetch(url, init);
  return [response.status, response.headers.get("retry-after"), await response.text()];
}
