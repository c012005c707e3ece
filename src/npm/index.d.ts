/**
 * honeyhive-logger-wasm: the HoneyHive logger in Rust/WebAssembly.
 *
 * Three stateless calls over HoneyHive's HTTP API. Every option may be written in camelCase
 * (`apiKey`) or in the Python reference's snake_case (`api_key`); camelCase wins when both are
 * given. By default a call never throws or rejects: a failure prints one line on
 * `console.error` and resolves to `null` (or `undefined` for `update`). With `verbose: true`
 * it rejects with an `Error` that says how to fix the problem.
 */

/** A JSON object: inputs, outputs, config, metadata and the like. */
export type JsonObject = { [key: string]: unknown };

/** The kinds of event; case does not matter, it is sent lower-case. */
export type EventType = "model" | "tool" | "chain";

/** Options every call takes. */
export interface CommonOptions {
  /** HoneyHive API key. Falls back to `env.HH_API_KEY`, then the HH_API_KEY environment variable. Required. */
  apiKey?: string;
  /** Same as `apiKey`. */
  api_key?: string;
  /** API server; default `https://api.honeyhive.ai`, or `env.HH_API_URL` / HH_API_URL. A trailing `/` is fine. */
  serverUrl?: string;
  /** Same as `serverUrl`. */
  server_url?: string;
  /** Reject with a full message on failure and print each request (the API key masked). Default false. */
  verbose?: boolean;
  /** Environment bindings to read HH_API_KEY, HH_PROJECT, HH_SOURCE and HH_API_URL from, e.g. a Worker's `env`. */
  env?: { readonly [name: string]: unknown };
  /** Retries after the first attempt, 0 to 10 (default 3). Only network errors, timeouts, 408, 429 and 5xx are retried. */
  maxRetries?: number;
  /** Same as `maxRetries`. */
  max_retries?: number;
  /** Time limit of each attempt in milliseconds, 1 to 600000 (default 5000). */
  timeoutMs?: number;
  /** Same as `timeoutMs`. */
  timeout_ms?: number;
  /** Time limit of the whole call, attempts and waits included, in milliseconds (1 to 600000). No limit by default beyond the attempts' own. */
  deadlineMs?: number;
  /** Same as `deadlineMs`. */
  deadline_ms?: number;
  /** Cancels the call, including any wait between retries. */
  signal?: AbortSignal;
  /** Ignored: TLS belongs to the runtime (see the README). Verbose mode says so. */
  caBundlePath?: string;
  /** Same as `caBundlePath`. */
  ca_bundle_path?: string;
  /** Ignored: TLS belongs to the runtime (see the README). Verbose mode says so. */
  verify?: boolean;
}

/** Options of {@link start}. */
export interface StartOptions extends CommonOptions {
  /** Project name. Falls back to `env.HH_PROJECT`, then HH_PROJECT. Required. */
  project?: string;
  /** Session name; defaults to the project name. */
  sessionName?: string;
  /** Same as `sessionName`. */
  session_name?: string;
  /** Where the code runs; default `env.HH_SOURCE`, HH_SOURCE, else `"dev"`. */
  source?: string;
  /** Session configuration (model names, experiment versions...). Default `{}`. */
  config?: JsonObject;
  /** Session inputs. Default `{}`. */
  inputs?: JsonObject;
  /** Session metadata. Default `{}`. */
  metadata?: JsonObject;
  /** User properties. Default `{}`. */
  userProperties?: JsonObject;
  /** Same as `userProperties`. */
  user_properties?: JsonObject;
  /** A UUID for the session; a new UUIDv4 when absent. */
  sessionId?: string;
  /** Same as `sessionId`. */
  session_id?: string;
}

/** Options of {@link log}. */
export interface LogOptions extends CommonOptions {
  /** Project name. Falls back to `env.HH_PROJECT`, then HH_PROJECT. Required. */
  project?: string;
  /** Where the code runs; default `env.HH_SOURCE`, HH_SOURCE, else `"dev"`. */
  source?: string;
  /** Name of the event. Required, non-empty. */
  eventName?: string;
  /** Same as `eventName`. */
  event_name?: string;
  /** `"model"`, `"tool"` (default) or `"chain"`, in any case. */
  eventType?: EventType | Uppercase<EventType> | Capitalize<EventType>;
  /** Same as `eventType`. */
  event_type?: EventType | Uppercase<EventType> | Capitalize<EventType>;
  /** Event configuration. Default `{}`. */
  config?: JsonObject;
  /** Event inputs. Default `{}`. */
  inputs?: JsonObject;
  /** Event outputs. Default `{}`. */
  outputs?: JsonObject;
  /** Event metadata. Default `{}`. */
  metadata?: JsonObject;
  /** The session (a UUID from {@link start}); without it the event goes to a new session of its own. */
  sessionId?: string;
  /** Same as `sessionId`. */
  session_id?: string;
  /** Duration in milliseconds, ≥ 0; 0 or absent sends 10, as the reference does. */
  durationMs?: number;
  /** Same as `durationMs`. */
  duration_ms?: number;
}

/** Options of {@link update}. Members left out are not sent. */
export interface UpdateOptions extends CommonOptions {
  /** The id to update: a session id from {@link start} or an event id from {@link log}. Required. */
  eventId?: string;
  /** Same as `eventId`. */
  event_id?: string;
  /** Metadata to merge. */
  metadata?: JsonObject;
  /** User feedback (ratings, ground truth...). */
  feedback?: JsonObject;
  /** Computed metrics. */
  metrics?: JsonObject;
  /** Configuration. */
  config?: JsonObject;
  /** Outputs. */
  outputs?: JsonObject;
  /** User properties. */
  userProperties?: JsonObject;
  /** Same as `userProperties`. */
  user_properties?: JsonObject;
  /** Duration in milliseconds, ≥ 0. */
  durationMs?: number;
  /** Same as `durationMs`. */
  duration_ms?: number;
}

/**
 * Starts a session: `POST {serverUrl}/session/start`.
 * @returns the session id, or `null` after a quiet failure.
 */
export function start(opts: StartOptions): Promise<string | null>;

/**
 * Logs an event: `POST {serverUrl}/events`. The event carries an `event_id` made here and kept
 * across retries, so a retried request never creates a second event.
 * @returns the event id, or `null` after a quiet failure.
 */
export function log(opts: LogOptions): Promise<string | null>;

/**
 * Updates an event or a session by its id: `PUT {serverUrl}/events`.
 */
export function update(opts: UpdateOptions): Promise<void>;
