// The caller's objects as plain data, for the wasm side to read member by member. Reading
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
 * An object's enumerable members (its own and inherited, as `value[name]` reads them) as one flat
 * array of names and values, `[name, value, name, value, ...]`, a member whose getter throws as an
 * `Unreadable`; an `Unreadable` when the object itself cannot be read.
 */
export function members(value) {
  try {
    const flat = [];
    for (const name in value) {
      let member;
      try {
        member = value[name];
      } catch (thrown) {
        member = new Unreadable(thrown);
      }
      flat.push(name, member);
    }
    return flat;
  } catch (thrown) {
    return new Unreadable(thrown);
  }
}

/** An array's items in a new array; an `Unreadable` when it cannot be read or is too long. */
export function items(value) {
  try {
    const length = value.length;
    if (!(length <= MAX_ITEMS)) return new Unreadable(`an array of ${length} items (at most ${MAX_ITEMS})`);
    const copy = new Array(length);
    for (let i = 0; i < length; i++) copy[i] = value[i];
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
