// The www demo in headless Chromium: a person's clicks through start, log and update, checked
// against what the local server recorded and what the page shows. Saves a screenshot.
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
const KEY = "hh-www-key-0b5e2d";

test("the www demo starts a session, logs an event and updates it", async (t) => {
  const server = await startServer({ apiKey: KEY });
  t.after(() => server.close());
  const files = await startStatic({ "/pkg/": resolve(TESTS, "node_modules/honeyhive-logger-wasm"), "/": resolve(TESTS, "../www") });
  t.after(() => files.close());
  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));

  await page.goto(`${files.url}/?${new URLSearchParams({ server: server.url, key: KEY })}`);
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
  assert.deepEqual(pageErrors, []);
});
