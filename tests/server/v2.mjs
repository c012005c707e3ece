// The local server's v2 routes (HoneyHive's data plane, `/v1/...`): each request body is checked
// against the published schema itself, `schemas/data_plane_openapi.yaml` (honeyhiveai/
// honeyhive-openapi, OpenAPI 3.1, info.version 1.9.0, MIT), with Ajv's JSON Schema 2020-12
// validator, rather than by hand-written rules. The routes store what they accept in the same
// store as the reference's routes, so one session can be followed across both.
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import Ajv2020 from "ajv/dist/2020.js";
import YAML from "yaml";

const SPEC_FILE = new URL("./schemas/data_plane_openapi.yaml", import.meta.url);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The data plane's OpenAPI description, parsed once. */
export const spec = YAML.parse(readFileSync(SPEC_FILE, "utf8"));

const ajv = new Ajv2020({ strict: false, allErrors: false });
ajv.addSchema({ $id: "dp", components: spec.components });
const check = Object.fromEntries(
  ["StartSessionRequest", "PostEventRequest", "UpdateEventRequest", "PostEventBatchRequest", "SessionEventBatchRequest"].map(
    (name) => [name, ajv.compile({ $ref: `dp#/components/schemas/${name}` })],
  ),
);

/** The first problem Ajv found with `body` against `schema`, as a readable line; null if it conforms. */
function problemWith(schema, body) {
  const validate = check[schema];
  if (validate(body)) return null;
  const [error] = validate.errors ?? [];
  const where = error?.instancePath ? error.instancePath.slice(1).replaceAll("/", ".") : "body";
  const extra = error?.params?.additionalProperty ? ` (${error.params.additionalProperty})` : "";
  return `${where} ${error?.message ?? "does not match"}${extra}: ${schema} in the data plane's OpenAPI`;
}

/**
 * The v2 routes over the server's store and helpers (a batch is stored as the reference's is); `route(path)` gives the handlers of a path
 * ({ POST, PUT }, each `(store, body, fault, context)` as the reference's routes have), or undefined.
 */
export function v2Routes({ storeEvent, storeBatch, sessionStartResponse, reply }) {
  const invalid = (error) => reply(400, { error });

  function startSession(store, body) {
    const problem = problemWith("StartSessionRequest", body);
    if (problem) return invalid(problem);
    // As the API: a session_id that is not a UUID is replaced by one the server makes.
    const sessionId = UUID.test(body.session_id ?? "") ? body.session_id : randomUUID();
    if (!store.sessions.has(sessionId)) store.sessions.set(sessionId, { ...body, session_id: sessionId, api: "v2" });
    return reply(200, sessionStartResponse(store.sessions.get(sessionId)));
  }

  function createEvent(store, body) {
    const problem = problemWith("PostEventRequest", body);
    if (problem) return invalid(problem);
    return reply(200, { event_id: storeEvent(store, { ...body, api: "v2" }), success: true });
  }

  function updateEvent(store, body, eventId) {
    const problem = problemWith("UpdateEventRequest", body);
    if (problem) return invalid(problem);
    const record = store.sessions.get(eventId) ?? store.events.get(eventId);
    if (!record) return reply(404, { error: `no session or event with id ${eventId}` });
    for (const [name, value] of Object.entries(body)) {
      const merge = value !== null && typeof value === "object" && !Array.isArray(value);
      record[name] = merge ? { ...(record[name] ?? {}), ...value } : value;
    }
    // As the API: "Event updated", with no body.
    return { ...reply(200, null), text: "" };
  }

  function createEventBatch(store, body, fault, _context, sessionFromPath) {
    const problem = problemWith(sessionFromPath ? "SessionEventBatchRequest" : "PostEventBatchRequest", body);
    if (problem) return invalid(problem);
    // The path's session overrides each event's own.
    const decorate = (event) => ({ ...event, ...(sessionFromPath && { session_id: sessionFromPath }), api: "v2" });
    return storeBatch(store, body.events, fault, { single: body.single_session, sessionId: sessionFromPath, decorate });
  }

  const fixed = {
    "/v1/sessions": { POST: startSession },
    "/v1/events": { POST: createEvent },
    "/v1/events/batch": { POST: createEventBatch },
  };

  return {
    route(path) {
      if (fixed[path]) return fixed[path];
      const event = /^\/v1\/events\/([^/]+)$/.exec(path);
      if (event) {
        const id = decodeURIComponent(event[1]);
        return { PUT: (store, body) => (UUID.test(id) ? updateEvent(store, body, id) : invalid(`event_id ${id} in the path is not a UUID`)) };
      }
      const session = /^\/v1\/sessions\/([^/]+)\/events\/batch$/.exec(path);
      if (session) {
        const id = decodeURIComponent(session[1]);
        return { POST: (store, body, fault) => (UUID.test(id) ? createEventBatch(store, body, fault, {}, id) : invalid(`session_id ${id} in the path is not a UUID`)) };
      }
      return undefined;
    },
  };
}
