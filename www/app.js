// The www demo: the three calls and a trace from a page, with every request and answer shown,
// and the trace the server took drawn as a waterfall.
import { start, log, update, trace } from "honeyhive-logger-wasm";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
if (params.get("server")) $("server").value = params.get("server");
if (params.get("key")) $("key").value = params.get("key");

let sessionId = null;
let eventId = null;
/** The last batch request and the server's answer to it: { body, answer }. */
let lastBatch = null;

// Show what goes over the wire: wrap the page's fetch (the logger calls globalThis.fetch).
const realFetch = globalThis.fetch.bind(globalThis);
globalThis.fetch = async (url, init = {}) => {
  if (String(url).endsWith(".wasm")) return realFetch(url, init); // the logger's own module
  const entry = document.createElement("li");
  // Whatever form the headers come in (a Headers, pairs, an object), as the names the server sees.
  const headers = Object.fromEntries(new Headers(init.headers ?? {}));
  if (headers.authorization) headers.authorization = headers.authorization.replace(/ .*/, " ***");
  entry.innerHTML = "<strong></strong><pre class=request></pre><pre class=response>…</pre>";
  entry.querySelector("strong").textContent = `${init.method ?? "GET"} ${url}`;
  entry.querySelector(".request").textContent = `${JSON.stringify(headers)}\n${pretty(init.body)}`;
  $("traffic").append(entry);
  try {
    const response = await realFetch(url, init);
    const text = await response.clone().text();
    entry.querySelector(".response").textContent = `HTTP ${response.status}\n${pretty(text)}`;
    if (String(url).endsWith("/events/batch")) lastBatch = { body: parsed(init.body), answer: parsed(text) };
    return response;
  } catch (error) {
    entry.querySelector(".response").textContent = `failed: ${error.message}`;
    throw error;
  }
};

function parsed(text) {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return String(text ?? "");
  }
}

function common() {
  return { serverUrl: $("server").value, apiKey: $("key").value, project: $("project").value, verbose: true };
}

function json(id) {
  try {
    return JSON.parse($(id).value || "{}");
  } catch (error) {
    throw new Error(`${id} is not valid JSON: ${error.message}`);
  }
}

async function act(button, output, fn) {
  button.disabled = true;
  $(output).classList.remove("error");
  try {
    $(output).textContent = await fn();
  } catch (error) {
    $(output).classList.add("error");
    $(output).textContent = error.message;
  } finally {
    button.disabled = false;
  }
}

$("start").addEventListener("click", () =>
  act($("start"), "session-id", async () => {
    sessionId = await start({ ...common(), sessionName: "www demo", source: "browser" });
    $("log").disabled = false;
    return `session ${sessionId}`;
  }),
);

$("log").addEventListener("click", () =>
  act($("log"), "event-id", async () => {
    eventId = await log({
      ...common(),
      sessionId,
      source: "browser",
      eventName: $("event-name").value,
      eventType: $("event-type").value,
      inputs: json("inputs"),
      outputs: json("outputs"),
    });
    $("update").disabled = false;
    return `event ${eventId}`;
  }),
);

$("update").addEventListener("click", () =>
  act($("update"), "update-status", async () => {
    await update({ ...common(), eventId, feedback: json("feedback") });
    return `updated ${eventId}`;
  }),
);

// ---------------------------------------------------------------------------------------------
// A traced request, and the waterfall of what the server took.
// ---------------------------------------------------------------------------------------------
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A request handler, traced: three child spans, the last of which throws. */
async function handleRequest(span) {
  const question = json("inputs").question ?? "What is the capital of France?";
  const docs = await span.trace("retrieve documents", async () => {
    await pause(120);
    return { documents: ["France is a country in Europe.", "Its capital is Paris."] };
  }, { eventType: "tool", inputs: { query: question } });
  const answer = await span.trace("call model", async (model) => {
    await pause(250);
    model.enrich({ metrics: { prompt_tokens: 42, completion_tokens: 7 } });
    return { text: "Paris" };
  }, { eventType: "model", inputs: { question, documents: docs.documents }, config: { model: "demo-1" } });
  try {
    await span.trace("format answer", async () => {
      await pause(60);
      throw new Error("the formatter crashed");
    });
  } catch {
    // The handler goes on; the span keeps the error.
  }
  return answer;
}

$("trace").addEventListener("click", () =>
  act($("trace"), "trace-status", async () => {
    lastBatch = null;
    let sent;
    await trace("handle request", (span) => {
      sent = span.sent;
      return handleRequest(span);
    }, { ...common(), source: "browser", inputs: { path: "/ask" } });
    await sent;
    if (!lastBatch) throw new Error("the trace was not sent");
    const taken = new Set(lastBatch.answer.event_ids ?? []);
    const events = (lastBatch.body.events ?? []).filter((e) => taken.has(e.event_id));
    drawWaterfall(events);
    return `trace of ${events.length} spans, session ${events[0]?.session_id}`;
  }),
);

/** One bar per span on a shared time axis, indented by nesting; errors marked. */
function drawWaterfall(events) {
  const byId = new Map(events.map((e) => [e.event_id, e]));
  const depth = (e) => (byId.has(e.parent_id) ? 1 + depth(byId.get(e.parent_id)) : 0);
  const t0 = Math.min(...events.map((e) => e.start_time));
  const total = Math.max(1, Math.max(...events.map((e) => e.end_time)) - t0);
  const percent = (ms) => `${((100 * ms) / total).toFixed(2)}%`;
  const rows = events.map((e) => {
    const row = document.createElement("button");
    row.type = "button";
    row.className = e.error ? "span failed" : "span";
    row.setAttribute("role", "listitem");
    row.dataset.eventId = e.event_id;
    row.dataset.depth = String(depth(e));
    row.style.setProperty("--depth", row.dataset.depth);
    row.innerHTML = "<span class=label></span><span class=track><span class=bar></span></span><span class=ms></span>";
    row.querySelector(".label").textContent = `${e.error ? "✖ " : ""}${e.event_name} (${e.event_type})`;
    const bar = row.querySelector(".bar");
    bar.style.left = percent(e.start_time - t0);
    bar.style.width = percent(Math.max(e.duration, total / 200));
    row.querySelector(".ms").textContent = `${Math.round(e.duration)} ms`;
    row.addEventListener("click", () => {
      for (const other of $("waterfall").children) other.classList.toggle("selected", other === row);
      row.setAttribute("aria-current", "true");
      const detail = $("span-detail");
      detail.hidden = false;
      detail.textContent = `${e.event_name}\n${e.error ? `error: ${e.error}\n` : ""}inputs: ${JSON.stringify(e.inputs, null, 2)}\noutputs: ${JSON.stringify(e.outputs, null, 2)}`;
    });
    return row;
  });
  $("waterfall").replaceChildren(...rows);
  $("span-detail").hidden = true;
  drawAxis(total);
}

/** The time axis over the bars: 0, a quarter, half, three quarters and all of the trace, in ms. */
function drawAxis(total) {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => {
    const tick = document.createElement("span");
    tick.className = "tick";
    tick.style.left = `${share * 100}%`;
    tick.textContent = `${Math.round(share * total)} ms`;
    return tick;
  });
  const track = document.createElement("span");
  track.className = "track";
  track.append(...ticks);
  $("axis").replaceChildren(document.createElement("span"), track, document.createElement("span"));
}
