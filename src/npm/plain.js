// A caller's objects as plain data, for the wasm side to read member by member. Reading a
// caller's object may throw (a getter, a Proxy trap, a revoked Proxy); a JS exception must never
// unwind through wasm, which has no unwinding: it would leave Rust's stack pointer and any borrow
// behind. So each object the core reads (a call's options, a client's defaults, `env`, an event,
// a span, an array of them, an outbox's message) is read here, inside try/catch, one level deep:
// its members' values are kept as they are (payloads are never walked). An object of options is
// read by the options' names alone, each value's kind told here.

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
    for (const name in value) flat.push(name, read(value, name));
    return flat;
  } catch (thrown) {
    return new Unreadable(thrown);
  }
}

/** `value[name]`, or an `Unreadable` of what reading it threw. */
function read(value, name) {
  try {
    return value[name];
  } catch (thrown) {
    return new Unreadable(thrown);
  }
}

/** The names of the options, by index (src/core/options/layer.rs `SPELLINGS`), handed over once. */
let optionNames = null;
let namesGiven = null;

/**
 * An object of options' members that have an option's name, as one array: first the pairs (the
 * name's index in `names`, the value's kind) in a `Uint16Array`, then the values in that order.
 * Only those members are read; a member whose getter throws is an `Unreadable`; an `Unreadable`
 * when the object itself cannot be read. The kinds are those src/wasm/payload.rs reads.
 */
export function namedMembers(value, names) {
  if (namesGiven !== names) {
    optionNames = new Map(names.map((name, index) => [name, index]));
    namesGiven = names;
  }
  try {
    const found = [null];
    const described = [];
    for (const name in value) {
      const index = optionNames.get(name);
      if (index === undefined) continue;
      const member = read(value, name);
      described.push(index, kind(member));
      found.push(member);
    }
    found[0] = Uint16Array.from(described);
    return found;
  } catch (thrown) {
    return new Unreadable(thrown);
  }
}

/** A value's kind, as src/wasm/payload.rs numbers them; `instanceof` of a hostile Proxy may throw. */
function kind(value) {
  switch (typeof value) {
    case "undefined":
      return 0;
    case "boolean":
      return 1;
    case "number":
      return 2;
    case "string":
      return 3;
    case "function":
      return 6;
    case "bigint":
      return 8;
    case "symbol":
      return 9;
  }
  if (value === null) return 0;
  try {
    if (value instanceof Unreadable) return 7;
    return value instanceof Array ? 5 : 4;
  } catch {
    return 4;
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
