// When the WebAssembly module cannot be loaded, the core cannot report the failure: this does,
// as the core would (one quiet line, or a rejection in verbose mode; and the onError hook), with
// the code `module_load`. Options are read as the core reads them: the call's own, else the
// client's.
import { HoneyHiveError } from "./errors.js";

/** What each call does, as its messages say. */
const ACTIONS = { start: "start session", log: "log event", update: "update event", logBatch: "log a batch", trace: "send a trace" };

/** An option as the core reads it: the call's own, else the client's; undefined if unreadable. */
function option(opts, defaults, camel, snake = camel) {
  try {
    const own = opts?.[camel] ?? opts?.[snake];
    return own ?? defaults?.[camel] ?? defaults?.[snake];
  } catch {
    return undefined;
  }
}

/** Reports that `call` ("log", "trace") failed because the module could not be loaded: throws in
 * verbose mode, else prints the quiet line and returns `quietResult`. */
export function unloaded(call, error, opts, defaults, quietResult) {
  const action = ACTIONS[call];
  const reason = `the WebAssembly module could not be loaded (${error?.message ?? error})`;
  const failure = new HoneyHiveError({
    message: `HoneyHive: failed to ${action}: ${reason}. Deploy the .wasm beside the package's JS, readable (Deno: --allow-read).`,
    code: "module_load",
    retryable: false,
    call,
  });
  const onError = option(opts, defaults, "onError", "on_error");
  if (typeof onError === "function") {
    try {
      onError(failure)?.then?.(undefined, () => {});
    } catch {
      // The hook's own failure never reaches the caller.
    }
  }
  if (option(opts, defaults, "verbose") === true) throw failure;
  console.error(`HoneyHive: Failed to ${action}. (could not load the WebAssembly module)`);
  return quietResult;
}
