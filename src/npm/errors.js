// HoneyHiveError: what a failed call rejects with (verbose mode) and what `onError` hears of,
// made from the core's failure (src/core/failure.rs): its message, a stable `code`, the HTTP
// `status` where the server answered, whether a later try could succeed (`retryable`), the
// `call`, and for a network failure the runtime's own message as `cause`.

export class HoneyHiveError extends Error {
  constructor({ message, code, status, retryable = false, call, cause }) {
    super(message, cause === undefined ? undefined : { cause: new Error(cause) });
    this.code = code;
    this.status = status;
    this.retryable = retryable;
    this.call = call;
  }
}
// The bundles shorten local names (wasm-pack.toml [js]); the error keeps its own.
Object.defineProperty(HoneyHiveError, "name", { value: "HoneyHiveError" });
HoneyHiveError.prototype.name = "HoneyHiveError";
