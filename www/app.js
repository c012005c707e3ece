// The www demo: the three calls from a page, with every request and answer shown.
import { start, log, update } from "honeyhive-logger-wasm";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
if (params.get("server")) $("server").value = params.get("server");
if (params.get("key")) $("key").value = params.get("key");

let sessionId = null;
let eventId = null;

// Show what goes over the wire: wrap the page's fetch (the logger calls globalThis.fetch).
const realFetch = globalThis.fetch.bind(globalThis);
globalThis.fetch = async (url, init = {}) => {
  if (String(url).endsWith(".wasm")) return realFetch(url, init); // the logger's own module
  const entry = document.createElement("li");
  const headers = { ...(init.headers ?? {}) };
  if (headers.Authorization) headers.Authorization = "Bearer ***";
  entry.innerHTML = "<strong></strong><pre class=request></pre><pre class=response>…</pre>";
  entry.querySelector("strong").textContent = `${init.method ?? "GET"} ${url}`;
  entry.querySelector(".request").textContent = `${JSON.stringify(headers)}\n${pretty(init.body)}`;
  $("traffic").append(entry);
  try {
    const response = await realFetch(url, init);
    const text = await response.clone().text();
    entry.querySelector(".response").textContent = `HTTP ${response.status}\n${pretty(text)}`;
    return response;
  } catch (error) {
    entry.querySelector(".response").textContent = `failed: ${error.message}`;
    throw error;
  }
};

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
