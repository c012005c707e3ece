// The fault matrix, portable to every runtime: each case injects faults into its own local
// server through the admin API, makes one call in verbose mode, and observes what happened
// (the server's record of attempts, the call's result or message, the time it took). The
// expectations live here too; tests/runtimes/faults.test.mjs asserts them for each runtime.

import { adminGet, adminPost } from "../server/admin.mjs";

// Time bounds in ms. The upper ends are nominal: faults.test.mjs adds the scheduling slack it
// measures in the same run (the control case below, and its own event loop's lateness).
const ms = (min, max) => ({ min, max });
// A retry's wait: the backoff plus at most 10 % jitter.
const wait = (backoff) => ms(backoff - 20, backoff * 1.1);
const ID = "id";

/** The case without faults: how long one plain call takes on this runtime, now. */
export const CONTROL = "no fault (the control: one plain call)";

/** @type {Array<{name: string, call?: string, faults?: object[], options?: object, expect: object}>} */
export const CASES = [
  {
    name: CONTROL,
    expect: { attempts: 1, result: ID, events: 1 },
  },
  ...[500, 502, 503, 504, 408].map((status) => ({
    name: `${status} then success`,
    faults: [{ path: "/events", status }],
    expect: { attempts: 2, gaps: [wait(1000)], result: ID, events: 1 },
  })),
  {
    name: "429 with Retry-After in seconds",
    faults: [{ path: "/events", status: 429, retryAfter: "2" }],
    expect: { attempts: 2, gaps: [ms(1980, 2200)], result: ID, events: 1 },
  },
  {
    name: "429 with Retry-After as an HTTP date",
    faults: [{ path: "/events", status: 429, retryAfterInMs: 3000 }],
    // The date is at least 3 s ahead, on a whole second. The retry must not come before it
    // (`retriedAt`: ms after the date), and comes at it or when the 1..1.1 s backoff ends, if
    // later; the gap before it depends on when the first attempt came: only its upper end counts.
    expect: { attempts: 2, gaps: [ms(0, 4100)], retriedAt: ms(0, 1100), result: ID, events: 1 },
  },
  {
    name: "hang longer than the per-attempt timeout",
    faults: [{ path: "/events", hangMs: 4000 }],
    options: { timeoutMs: 300 },
    // The call takes ≥ 1.3 s (0.3 s cut + 1 s backoff); the server sees the attempts ≥ 1 s apart
    // (the 0.3 s ran from the client's fetch, before the first attempt arrived).
    expect: { attempts: 2, gaps: [ms(1000, 1500)], result: ID, events: 1, elapsed: ms(1280, 1500) },
  },
  {
    name: "connection reset mid-response",
    faults: [{ path: "/events", resetMidResponse: true }],
    // The first attempt was stored before its answer broke: the retry must not double it.
    expect: { attempts: 2, gaps: [wait(1000)], result: ID, events: 1 },
  },
  // A runtime's HTTP client may itself resend a request at once when a kept-alive connection
  // drops (Deno's does); `transportResends` lets such immediate resends stand beside the waits.
  {
    name: "lost answer (processed, then the connection dropped)",
    faults: [{ path: "/events", dropAfterProcessing: true, count: 2 }],
    expect: { attempts: 3, gaps: [wait(1000), wait(2000)], result: ID, events: 1, transportResends: true },
  },
  {
    name: "dropped connection",
    faults: [{ path: "/events", drop: true }],
    expect: { attempts: 2, gaps: [wait(1000)], result: ID, events: 1, transportResends: true },
  },
  // On the v2 API (`v2`: dataPlaneUrl instead of serverUrl) the same policy holds, with the
  // client-made event_id kept across the attempts.
  {
    name: "v2: 503 then success",
    v2: true,
    faults: [{ path: "/v1/events", status: 503 }],
    expect: { attempts: 2, gaps: [wait(1000)], result: ID, events: 1 },
  },
  {
    name: "v2: lost answer (processed, then the connection dropped)",
    v2: true,
    faults: [{ path: "/v1/events", dropAfterProcessing: true }],
    expect: { attempts: 2, gaps: [wait(1000)], result: ID, events: 1, transportResends: true },
  },
  {
    name: "v2: 401 on update, no retry",
    v2: true,
    call: "update",
    faults: [{ path: "/v1/events/5a3b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", method: "PUT", status: 401, count: 4 }],
    expect: { attempts: 1, message: /HTTP 401/, code: "http_status", status: 401 },
  },
  {
    name: "connection refused",
    refused: true,
    options: { maxRetries: 1 },
    // The runtime's own words for it: Node's cause (ECONNREFUSED), Deno's and workerd's messages.
    expect: { attempts: 0, message: /Network error: .*(ECONNREFUSED|[Cc]onnection refused|connect)/, code: "network", elapsed: ms(980, 1200) },
  },
  {
    // With an outbox, what a later attempt could deliver is queued and the call resolves to its id.
    name: "outbox: connection refused, queued, resolves to its id",
    refused: true,
    outbox: true,
    options: { maxRetries: 1 },
    expect: { attempts: 0, result: "id", elapsed: ms(980, 1500) },
  },
  {
    name: "200 with malformed JSON",
    faults: [{ path: "/events", body: "{not json" }],
    expect: { attempts: 1, message: /event_id not found\..*Its answer: "\{not json"/s, code: "invalid_answer" },
  },
  {
    name: "200 without event_id",
    faults: [{ path: "/events", body: '{"success":true}' }],
    expect: { attempts: 1, message: /event_id not found/ },
  },
  {
    name: "200 without session_id",
    call: "start",
    faults: [{ path: "/session/start", body: '{"success":true}' }],
    expect: { attempts: 1, message: /session_id not found/ },
  },
  ...[
    [400, "It refused the request as invalid"],
    [401, "It refused the key: the API key sent \\(from apiKey\\)"],
    [403, "It refused the key: the API key sent \\(from apiKey\\)"],
    [404, "It does not know what the request names"],
  ].map(([status, cause]) => ({
    name: `${status}: no retry`,
    faults: [{ path: "/events", status, count: 4 }],
    expect: { attempts: 1, message: new RegExp(`HTTP ${status}\\. ${cause}.* Its answer: \\{"error":"injected fault"\\}`, "s"), code: "http_status", status, elapsed: ms(0, 500) },
  })),
  {
    name: "retries exhausted",
    faults: [{ path: "/events", status: 503, count: 10 }],
    options: { maxRetries: 2 },
    expect: { attempts: 3, gaps: [wait(1000), wait(2000)], message: /HTTP 503/, code: "http_status", status: 503 },
  },
  {
    name: "retries exhausted on update",
    call: "update",
    faults: [{ path: "/events", method: "PUT", status: 500, count: 10 }],
    options: { maxRetries: 1 },
    expect: { attempts: 2, gaps: [wait(1000)], message: /HTTP 500/ },
  },
  {
    name: "deadline: no wait begun that would pass it",
    faults: [{ path: "/events", status: 503, count: 10 }],
    options: { deadlineMs: 2500 },
    expect: { attempts: 2, gaps: [wait(1000)], message: /deadline of 2500 ms/, code: "deadline", elapsed: ms(980, 2500) },
  },
  {
    name: "deadline cuts a hanging attempt",
    faults: [{ path: "/events", hangMs: 5000 }],
    options: { deadlineMs: 800 },
    expect: { attempts: 1, message: /deadline of 800 ms/, elapsed: ms(780, 900) },
  },
  {
    // Retry-After makes the wait 30 s: a missed abort cannot hide inside the timing slack.
    name: "abort signal during the wait",
    faults: [{ path: "/events", status: 503, retryAfter: "30", count: 10 }],
    abortAfterMs: 300,
    expect: { attempts: 1, message: /aborted by its signal/, code: "aborted", elapsed: ms(280, 400) },
  },
];

/** Runs one case against the server at `serverUrl`; the observation. `refusedUrl` is a port
 * the harness closed (not one of fetch's forbidden ports such as 9, which fail without a try). */
export async function runCase(honeyhive, kase, serverUrl, apiKey, refusedUrl, outbox) {
  await adminPost(serverUrl, "reset");
  let retryDate;
  for (const { retryAfterInMs, ...fault } of kase.faults ?? []) {
    if (retryAfterInMs) {
      retryDate = Math.ceil((Date.now() + retryAfterInMs) / 1000) * 1000;
      fault.retryAfter = new Date(retryDate).toUTCString();
    }
    await adminPost(serverUrl, "faults", fault);
  }
  const url = kase.refused ? refusedUrl : serverUrl;
  const options = {
    apiKey,
    ...(kase.v2 ? { dataPlaneUrl: url } : { serverUrl: url }),
    project: "faults",
    eventName: "fault-case",
    eventId: "5a3b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    verbose: true,
    ...(kase.outbox && { outbox }),
    ...kase.options,
  };
  if (kase.abortAfterMs) {
    const controller = new AbortController();
    // Not before the first attempt reached the server: on a busy machine that can take longer
    // than abortAfterMs, and an abort before it would test another case (nothing sent).
    setTimeout(async () => {
      const deadline = Date.now() + 30_000;
      while ((await adminGet(serverUrl, "requests")).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      controller.abort();
    }, kase.abortAfterMs);
    options.signal = controller.signal;
  }
  const began = Date.now();
  let result;
  let message;
  let failure;
  try {
    result = await honeyhive[kase.call ?? "log"](options);
  } catch (error) {
    message = error instanceof Error ? error.message : `not an Error: ${String(error)}`;
    failure = { name: error?.name, code: error?.code, status: error?.status, isClass: error instanceof honeyhive.HoneyHiveError };
  }
  const elapsed = Date.now() - began;
  const requests = await adminGet(serverUrl, "requests");
  const { events } = await adminGet(serverUrl, "state");
  return {
    name: kase.name,
    result: result === undefined ? "undefined" : result,
    message,
    failure,
    elapsed,
    attempts: requests.length,
    gaps: requests.slice(1).map((r, i) => r.receivedAt - requests[i].receivedAt),
    // The runtimes and the servers share the machine's clock.
    retriedAt: retryDate === undefined || requests.length < 2 ? undefined : requests[1].receivedAt - retryDate,
    events: Object.keys(events).length,
    eventIds: requests.map((r) => (kase.v2 ? r.body?.event_id : r.body?.event?.event_id) ?? null),
  };
}

/** Runs every case at once, case i against server i. */
export function runAll(honeyhive, { urls, refused }, apiKey, outbox) {
  return Promise.all(CASES.map((kase, i) => runCase(honeyhive, kase, urls[i], apiKey, refused, outbox)));
}
