// A node:test reporter for `make test`'s summary: writes one JSON object, { passed, failed,
// failures: [{ name, file, error, lines }] }, where `error` is the first line of what failed and
// `lines` is what that test printed (kept by tests/support/per-test-output.mjs).
import { relative } from "node:path";

const PREFIX = "out: ";

export default async function* results(source) {
  let passed = 0;
  let failed = 0;
  const failures = [];
  // Tests at nesting n+1 are reported before their suite at nesting n: they wait here for its name.
  const pending = [];
  let last = null;
  for await (const { type, data } of source) {
    if (type === "test:pass" || type === "test:fail") {
      const isSuite = data.details?.type === "suite";
      const children = pending[data.nesting + 1] ?? [];
      pending[data.nesting + 1] = [];
      const own = pending[data.nesting] ?? (pending[data.nesting] = []);
      if (isSuite) {
        for (const child of children) child.name = `${data.name} › ${child.name}`;
        own.push(...children);
        last = null;
        continue;
      }
      const entry = { name: data.name, file: data.file ? relative(process.cwd(), data.file) : "", lines: [] };
      if (type === "test:pass") {
        passed += 1;
      } else {
        failed += 1;
        entry.error = firstLine(data.details?.error);
        own.push(entry);
      }
      last = { nesting: data.nesting, entry };
    } else if (type === "test:diagnostic" && data.message.startsWith(PREFIX) && last?.nesting === data.nesting) {
      last.entry.lines.push(data.message.slice(PREFIX.length));
    }
  }
  for (const level of pending) failures.push(...(level ?? []));
  yield JSON.stringify({ passed, failed, failures }) + "\n";
}

/** The first line that says what failed: the test's own error rather than the runner's wrapper. */
function firstLine(error) {
  const inner = error?.code === "ERR_TEST_FAILURE" && error.cause ? error.cause : error;
  const text = inner instanceof Error || inner?.message ? `${inner.name ?? "Error"}: ${inner.message}` : String(inner ?? "failed");
  const lines = text.split("\n").filter((l) => l.trim());
  // "Expected values to be strictly equal:" says what follows: take the line that shows it.
  return lines[0]?.endsWith(":") && lines[1] ? `${lines[0]} ${lines[1].trim()}` : lines[0] ?? text;
}
