// What the outbox tests' producers call while HoneyHive is down, on every runtime: three logs, a
// batch of two and a trace of two spans. Answers what they resolved to.
export async function produce(honeyhive) {
  const logs = [];
  for (let i = 0; i < 3; i++) logs.push(await honeyhive.log({ eventName: `log-${i}`, inputs: { i } }));
  const batch = await honeyhive.logBatch({ events: [{ eventName: "batch-0" }, { eventName: "batch-1" }] });
  let spans;
  await honeyhive.trace("root", async (span) => {
    await span.trace("child", async () => "done");
    spans = span.sent;
  });
  return { logs, batch, trace: await spans };
}
