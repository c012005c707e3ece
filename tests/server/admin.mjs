// The tests' client for the local server's admin API (/__admin/...), portable to every runtime
// of the matrix. A failed admin call names its cause (the runtime's `error.cause`: a code such as
// ECONNREFUSED or UND_ERR_SOCKET and its message), so a broken harness never hides as "fetch failed".

/** `GET /__admin/<what>` (state, requests, faults), parsed. */
export function adminGet(serverUrl, what) {
  return adminCall(serverUrl, "GET", what);
}

/** `POST /__admin/<action>` (reset, faults) with a JSON body, parsed. */
export function adminPost(serverUrl, action, body = {}) {
  return adminCall(serverUrl, "POST", action, body);
}

async function adminCall(serverUrl, method, action, body) {
  const what = `${method} ${serverUrl}/__admin/${action}`;
  let response;
  try {
    response = await fetch(`${serverUrl}/__admin/${action}`, {
      method,
      ...(body !== undefined && { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new Error(`${what} failed: ${describe(error)}`, { cause: error });
  }
  const text = await response.text();
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** An error and its chain of causes, on one line. */
function describe(error) {
  const parts = [];
  for (let e = error, depth = 0; e && depth < 4; e = e.cause, depth++) {
    parts.push([e.code, e.message ?? String(e)].filter(Boolean).join(" "));
  }
  return parts.join(" <- ");
}
