// `node tests/bench/workerd-ab.mjs [pairs]`: workerd's first request to a Worker built on the
// installed package against a plain-JS Worker's (tests/runtimes), in fresh workerd processes
// (miniflare) taking turns: the median of the pairs' differences, which `make bench`'s cold start
// measures with five samples. docs/performance.md, "Start-up".
import { startWorkerd } from "../runtimes/hosts.mjs";

const PAIRS = Number(process.argv[2] ?? 21);
const server = { url: "http://127.0.0.1:9" }; // nothing answers: the first request is timed, not sent
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const over = [];
for (let i = 0; i < PAIRS; i++) {
  const first = {};
  const order = i % 2 ? ["worker", "js-peer"] : ["js-peer", "worker"];
  for (const worker of order) {
    const running = await startWorkerd(server, "hh-bench-key-0000", { worker });
    try {
      first[worker] = await running.time("http://worker/cold");
    } finally {
      await running.dispose();
    }
  }
  over.push(first.worker - first["js-peer"]);
}
const sorted = [...over].sort((a, b) => a - b);
console.log(`workerd first request, ours - the JS Worker's, ${PAIRS} pairs: median ${median(over).toFixed(1)} ms (from ${sorted[0].toFixed(1)} to ${sorted.at(-1).toFixed(1)})`);
