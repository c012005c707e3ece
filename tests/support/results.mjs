// A node:test reporter for `make test`'s summary: writes one JSON object, { passed, failed,
// failures: [{ name, file, error, lines }] }, where `name` is the test's path ("suite › test"),
// `error` the first line of what failed, and `lines` what that test printed (kept by
// tests/support/per-test-output.mjs). Counted are the tests that run code of their own: a suite,
// or a test with subtests, counts only when it fails by itself (a throwing `describe` body).
// A failing `before` hook gives its error to the tests it cancelled; a file that crashes before
// its tests gives the lines it printed on stderr.
import { relative } from "node:path";

const PREFIX = "out: ";
const KEPT_STDERR_LINES = 40;

export default async function* results(source) {
  let passed = 0;
  let failed = 0;
  // Children at nesting n+1 are reported before their parent at nesting n: they wait here.
  const pending = [];
  const seen = [];
  const stderrOf = new Map();
  let last = null;
  for await (const { type, data } of source) {
    if (type === "test:stderr" && data.file) {
      const lines = stderrOf.get(data.file) ?? [];
      lines.push(...String(data.message).split("\n").filter((l) => l.trim()));
      stderrOf.set(data.file, lines.slice(-KEPT_STDERR_LINES));
      continue;
    }
    if (type === "test:diagnostic") {
      if (data.message.startsWith(PREFIX) && last?.nesting === data.nesting) last.entry.lines.push(data.message.slice(PREFIX.length));
      continue;
    }
    if (type !== "test:pass" && type !== "test:fail") continue;

    const n = data.nesting;
    const children = pending[n + 1] ?? [];
    const hadChildren = (seen[n + 1] ?? 0) > 0;
    pending[n + 1] = [];
    seen[n + 1] = 0;
    seen[n] = (seen[n] ?? 0) + 1;
    const own = pending[n] ?? (pending[n] = []);
    const file = data.file ? relative(process.cwd(), data.file) : "";
    const error = type === "test:fail" ? data.details?.error : undefined;
    last = null;

    if (data.details?.type === "suite" || hadChildren) {
      for (const child of children) child.name = `${data.name} › ${child.name}`;
      if (error && failureType(error) === "hookFailed") {
        const cause = `${firstLine(error)} (in a hook of "${data.name}")`;
        for (const child of children) if (/cancelled|did not finish/.test(child.error)) child.error = cause;
      }
      own.push(...children);
      if (error && children.length === 0 && failureType(error) !== "subtestsFailed") {
        failed += 1;
        own.push({ name: data.name, file, error: firstLine(error), lines: [] });
      }
      continue;
    }
    const entry = { name: data.name, file, lines: [] };
    if (error) {
      failed += 1;
      entry.error = firstLine(error);
      // The file itself failed (it crashed before or between its tests): what it printed says why.
      if (data.file && data.name === data.file) {
        entry.lines = stderrOf.get(data.file) ?? [];
        entry.error = entry.lines.find((l) => /Error|error:/.test(l))?.trim() ?? entry.error;
      }
      own.push(entry);
    } else {
      passed += 1;
    }
    last = { nesting: n, entry };
  }
  const failures = pending.flatMap((level) => level ?? []);
  yield JSON.stringify({ passed, failed, failures }) + "\n";
}

function failureType(error) {
  return error?.failureType ?? error?.cause?.failureType;
}

/** The first line that says what failed: the test's own error rather than the runner's wrapper. */
function firstLine(error) {
  const inner = error?.code === "ERR_TEST_FAILURE" && error.cause ? error.cause : error;
  const text = inner instanceof Error || inner?.message ? `${inner.name ?? "Error"}: ${inner.message}` : String(inner ?? "failed");
  const lines = text.split("\n").filter((l) => l.trim());
  // "Expected values to be strictly equal:" says what follows: take the line that shows it.
  return lines[0]?.endsWith(":") && lines[1] ? `${lines[0]} ${lines[1].trim()}` : lines[0] ?? text;
}
