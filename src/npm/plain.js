// The caller's objects as plain data, for the wasm side to read with serde-wasm-bindgen. Reading
// a caller's object may throw (a getter, a Proxy trap, a revoked Proxy); a JS exception must never
// unwind through wasm, which has no unwinding: it would leave Rust's stack pointer and any borrow
// behind. So each object the core reads (a call's options, a client's defaults, `env`, an event,
// a span, an array of them, a server's answer) is first copied here, inside try/catch, one level
// deep: its members' values are kept as they are (payloads are never walked).

/** A member whose reading threw: what it threw, as text. */
export class Unreadable {
  constructor(thrown) {
    this.reason = reason(thrown);
  }
}

/** The largest array copied: more is refused (logBatch takes at most 10 000 events). */
const MAX_ITEMS = 100000;

/**
 * `value` as plain data: an array's items in a new array; an object's enumerable members (its own
 * and inherited, as `value[name]` reads them) in a new object without a prototype, a member whose
 * getter throws as an `Unreadable`; an `Unreadable` when the object itself cannot be read.
 */
export function plain(value) {
  try {
    if (Array.isArray(value)) {
      const length = value.length;
      if (!(length <= MAX_ITEMS)) return new Unreadable(`an array of ${length} items (at most ${MAX_ITEMS})`);
      const items = new Array(length);
      for (let i = 0; i < length; i++) items[i] = value[i];
      return items;
    }
    const copy = Object.create(null);
    for (const name in value) {
      try {
        copy[name] = value[name];
      } catch (thrown) {
        copy[name] = new Unreadable(thrown);
      }
    }
    return copy;
  } catch (thrown) {
    return new Unreadable(thrown);
  }
}

/** A thrown value as text: its message, or itself if it is a string. */
function reason(thrown) {
  try {
    if (typeof thrown === "string") return thrown;
    const message = thrown?.message;
    return typeof message === "string" ? message : "a non-Error value was thrown";
  } catch {
    return "a non-Error value was thrown";
  }
}
