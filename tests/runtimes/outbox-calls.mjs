// What the outbox tests' producers call while HoneyHive is down, on every runtime: three logs, a
// batch of two, a trace of two spans, and one event of 120 KB of ordinary text. Answers what
// they resolved to.
export async function produce(honeyhive) {
  const logs = [];
  for (let i = 0; i < 3; i++) logs.push(await honeyhive.log({ eventName: `log-${i}`, inputs: { i } }));
  const batch = await honeyhive.logBatch({ events: [{ eventName: "batch-0" }, { eventName: "batch-1" }] });
  let spans;
  await honeyhive.trace("root", async (span) => {
    await span.trace("child", async () => "done");
    spans = span.sent;
  });
  const large = await honeyhive.log({ eventName: "large", inputs: { text: prose(120_000) } });
  return { logs, batch, trace: await spans, large };
}

/** Ordinary text of `chars` characters: words of a small vocabulary in an order that does not repeat. */
export function prose(chars) {
  const words = ["the", "model", "answered", "with", "a", "summary", "of", "customer", "ticket", "about", "billing", "and", "refunds", "in", "three", "sentences"];
  let text = "";
  for (let i = 0; text.length < chars; i++) text += words[(i * 7 + (i >> 3)) % words.length] + (i % 13 === 12 ? ". " : " ");
  return text.slice(0, chars);
}
