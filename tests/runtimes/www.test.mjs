// The www demo in headless Chromium: a person's clicks through start, log and update, checked
// against what the local server recorded and what the page shows; a traced request drawn as a
// waterfall. Saves screenshots.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "../server/server.mjs";
import { startStatic } from "../server/static.mjs";
import { launchChromium } from "./hosts.mjs";

const TESTS = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SCREENSHOT = resolve(TESTS, "../target/www-demo.png");
const TRACE_SCREENSHOT = resolve(TESTS, "../target/www-trace.png");
const KEY = "hh-www-key-0b5e2d";

/** The demo page in Chromium, pointed at a local server of its own; all closed when `t` ends. */
async function openDemo(t, height) {
  const server = await startServer({ apiKey: KEY });
  t.after(() => server.close());
  const files = await startStatic({ "/pkg/": resolve(TESTS, "node_modules/honeyhive-logger-wasm"), "/": resolve(TESTS, "../www") });
  t.after(() => files.close());
  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1000, height } });
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  // Nothing the page asks for on load is missing (a favicon's 404 shows in the console).
  page.on("response", (r) => r.status() >= 400 && !r.url().startsWith(server.url) && pageErrors.push(`${r.status()} ${r.url()}`));
  await page.goto(`${files.url}/?${new URLSearchParams({ server: server.url, key: KEY })}`);
  return { server, page, pageErrors };
}

test("the www demo starts a session, logs an event and updates it", async (t) => {
  const { server, page, pageErrors } = await openDemo(t, 1400);
  await page.click("#start");
  await page.waitForSelector("#session-id:has-text('session ')");
  await page.fill("#event-name", "capital_city");
  await page.selectOption("#event-type", "tool");
  await page.fill("#inputs", '{"country": "France"}');
  await page.fill("#outputs", '{"city": "Paris"}');
  await page.click("#log");
  await page.waitForSelector("#event-id:has-text('event ')");
  await page.fill("#feedback", '{"rating": 4, "note": "good"}');
  await page.click("#update");
  await page.waitForSelector("#update-status:has-text('updated ')");
  mkdirSync(dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  const sessionId = (await page.textContent("#session-id")).replace("session ", "");
  const eventId = (await page.textContent("#event-id")).replace("event ", "");
  const requests = server.requests();
  assert.deepEqual(requests.map((r) => `${r.method} ${r.path} ${r.status}`), [
    "POST /session/start 200",
    "POST /events 200",
    "PUT /events 200",
  ]);
  assert.equal(requests[0].body.session.session_id, sessionId);
  assert.equal(requests[0].body.session.source, "browser");
  assert.deepEqual(requests[1].body.event.inputs, { country: "France" });
  assert.deepEqual(requests[1].body.event.outputs, { city: "Paris" });
  assert.equal(requests[1].body.event.event_type, "tool");
  assert.equal(requests[1].body.event.session_id, sessionId);
  assert.deepEqual(requests[2].body, { event_id: eventId, feedback: { rating: 4, note: "good" } });
  assert.deepEqual(server.state().events[eventId].feedback, { rating: 4, note: "good" });

  const traffic = await page.$$eval("#traffic li", (items) => items.map((li) => li.textContent));
  assert.equal(traffic.length, 3, "the page shows each request with its answer");
  assert.match(traffic[1], /POST .*\/events/);
  assert.match(traffic[1], /HTTP 200/);
  assert.ok(traffic.every((text) => !text.includes(KEY)), "the page never shows the API key");
  for (const text of traffic) {
    // The headers the request carried, the key masked: a page that lost them would show `{}`.
    const shown = JSON.parse(text.slice(text.indexOf("{"), text.indexOf("}") + 1));
    assert.deepEqual(shown, { authorization: "Bearer ***", "content-type": "application/json" });
  }
  assert.deepEqual(pageErrors, []);
});

test("the www demo traces a request and draws the trace the server took as a waterfall", async (t) => {
  const { server, page, pageErrors } = await openDemo(t, 1600);
  await page.click("#trace");
  await page.waitForSelector("#trace-status:has-text('trace of 4 spans')");

  // What the server took: one batch request, the root and its three children.
  const requests = server.requests();
  assert.deepEqual(requests.map((r) => `${r.method} ${r.path} ${r.status}`), ["POST /events/batch 200"]);
  const events = requests[0].body.events;
  const [root] = events;
  // One bar per span, in the order the server took them, indented by nesting, the error marked.
  const bars = await page.$$eval("#waterfall .span", (rows) => rows.map((row) => ({
    id: row.dataset.eventId,
    depth: Number(row.dataset.depth),
    failed: row.classList.contains("failed"),
    label: row.querySelector(".label").textContent,
    left: parseFloat(row.querySelector(".bar").style.left),
    width: parseFloat(row.querySelector(".bar").style.width),
  })));
  assert.deepEqual(bars.map((b) => b.id), events.map((e) => e.event_id), "a bar per span the server took");
  assert.deepEqual(bars.map((b) => [b.depth, b.failed, b.label]), [
    [0, false, "handle request (chain)"],
    [1, false, "retrieve documents (tool)"],
    [1, false, "call model (model)"],
    [1, true, "✖ format answer (chain)"],
  ]);
  assert.deepEqual(root.children_ids, events.slice(1).map((e) => e.event_id));
  assert.equal(events[3].error, "the formatter crashed");
  // A shared time axis: the root spans it; the children follow each other, each inside it.
  assert.deepEqual([bars[0].left, Math.round(bars[0].width)], [0, 100]);
  for (const [i, e] of events.entries()) {
    const expected = (100 * (e.start_time - root.start_time)) / root.duration;
    assert.ok(Math.abs(bars[i].left - expected) < 0.01, `${e.event_name}: left ${bars[i].left}% for ${expected}%`);
  }
  assert.ok(bars[1].left < bars[2].left && bars[2].left < bars[3].left, "in the order they ran");
  assert.ok(bars[2].width > bars[1].width, "the model call (250 ms) is longer than the retrieval (120 ms)");

  // Click a bar: its inputs and outputs.
  await page.click(`#waterfall .span[data-event-id="${events[2].event_id}"]`);
  const detail = await page.textContent("#span-detail");
  assert.match(detail, /^call model\ninputs: \{/);
  assert.match(detail, /"question": "What is the capital of France\?"/);
  assert.match(detail, /outputs: \{\n {2}"text": "Paris"\n\}/);
  await page.click(`#waterfall .span[data-event-id="${events[3].event_id}"]`);
  assert.match(await page.textContent("#span-detail"), /^format answer\nerror: the formatter crashed\n/);
  const selected = await page.$$eval("#waterfall .span.selected", (rows) => rows.map((row) => row.dataset.eventId));
  assert.deepEqual(selected, [events[3].event_id], "the clicked bar, and it alone, is highlighted");
  const ticks = await page.$$eval("#axis .tick", (ticks) => ticks.map((tick) => tick.textContent));
  assert.equal(ticks.length, 5);
  assert.equal(ticks[0], "0 ms");
  assert.match(ticks[4], /^\d+ ms$/);
  assert.ok(Number.parseInt(ticks[4], 10) >= 300, `the axis spans the trace: ${ticks[4]}`);

  mkdirSync(dirname(TRACE_SCREENSHOT), { recursive: true });
  await page.screenshot({ path: TRACE_SCREENSHOT, fullPage: true });
  assert.deepEqual(pageErrors, []);
});
