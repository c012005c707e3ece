/**
 * honeyhive-logger-wasm: the HoneyHive logger in Rust/WebAssembly.
 *
 * Four stateless calls over HoneyHive's HTTP API (`start`, `log`, `update`, `logBatch`), `trace`
 * (a function run as a span tree, sent as one batch), `aiSdkIntegration` (the Vercel AI SDK's
 * calls as traces), and a `HoneyHive` client that holds shared defaults for them. Every option may be written in camelCase
 * (`apiKey`) or in the Python reference's snake_case (`api_key`); camelCase wins when both are
 * given. By default a call never throws or rejects: a failure prints one line on
 * `console.error` and resolves to `null` (or `undefined` for `update`). With `verbose: true`
 * it rejects with a {@link HoneyHiveError} that says how to fix the problem, and carries a
 * `code` a program can act on.
 */

/** A queue an outbox can hand messages to. */
export type OutboxQueue =
  | { send(message: OutboxMessage, options?: { contentType?: string; delaySeconds?: number }): unknown; sendBatch?: unknown }
  | { enqueue(message: OutboxMessage, options?: unknown): unknown; listenQueue?: unknown };

/** What an outbox keeps of a request: never a key. */
export interface OutboxMessage {
  v: 1;
  /** A UUID of the message: what a replay given a `Deno.Kv` marks as delivered. */
  id?: string;
  api: "reference" | "v2";
  method: "POST" | "PUT";
  path: string;
  /** How many events it carries. */
  events: number;
  /** Which delivery this is, where the queue does not count them (Deno KV, a custom queue). */
  attempts?: number;
  /** `"gzip"` when the body was compressed to fit the queue. */
  encoding?: "gzip";
  /** The JSON text of the request's body, as it was sent; gzipped: base64 text, or bytes in a `Deno.Kv`. */
  body: string | Uint8Array;
}

/** A Cloudflare Queues message, as a consumer's `MessageBatch` holds it. */
export interface QueueMessage {
  body: unknown;
  attempts?: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/**
 * Delivers what an outbox kept, with the keys and URL of `opts` (and `env`), never the
 * message's: a Cloudflare `MessageBatch` (`queue: (batch, env) => replay(batch, { env })`): each
 * message is acked once delivered, or when no retry can cure it (reported), and retried with a
 * delay when a later delivery could; or one message (Deno KV: `kv.listenQueue((m) => replay(m,
 * { outbox: kv }))`, a custom queue). Given its queue as `outbox`, a message a later delivery
 * could mend goes back to it with its delivery counted (and a `Deno.Kv` marks what was delivered,
 * skipping it when delivered again); without, it rejects so that the queue delivers it again.
 * A key the server refuses (401, 403) and options that fail are mended later: kept, never forgotten.
 */
export function replay(incoming: { messages: readonly QueueMessage[] } | unknown, opts?: CommonOptions): Promise<void>;

/**
 * The kind of a failure, stable across versions:
 * - `missing_option`: a required option is missing (the key, the project, `eventName`,
 *   `eventId`, `events`);
 * - `invalid_option`: an option is of the wrong kind or shape, or reading it threw;
 * - `http_status`: the server answered with a status that is not a success (see `status`);
 * - `network`: the request got no answer: refused, reset, DNS, CORS (see `cause`);
 * - `permission`: the runtime refused the request (Deno without `--allow-net`);
 * - `timeout`: an attempt got no answer within `timeoutMs`;
 * - `aborted`: the caller's `signal` aborted the call;
 * - `deadline`: the call could not succeed within `deadlineMs`, or within what the logger
 *   waits for a server that asks to retry later;
 * - `hook`: the `redact` hook threw or did not give an event back;
 * - `not_serializable`: a payload cannot be written as JSON (a cycle, a BigInt);
 * - `invalid_answer`: the server's success answer lacks the id;
 * - `no_randomness`: the runtime has no `crypto.getRandomValues`;
 * - `partial_failure`: some events of a batch or trace were not logged (see `eventIds`);
 * - `bad_message`: a message handed to {@link replay} that it must not send (unreadable, of
 *   another format version, or not a request this logger makes);
 * - `module_load`: the package's `.wasm` could not be loaded;
 * - `nested_call`: a call made from hooks (`onError`, `redact`, `toJSON`) that call the logger,
 *   8 deep: refused, so that such hooks cannot loop.
 */
export type ErrorCode =
  | "missing_option" | "invalid_option" | "http_status" | "network" | "permission" | "timeout"
  | "aborted" | "deadline" | "hook" | "not_serializable" | "invalid_answer" | "no_randomness"
  | "partial_failure" | "bad_message" | "module_load" | "nested_call";

/** What a failed call rejects with (verbose mode) and what `onError` hears of. */
export class HoneyHiveError extends Error {
  name: "HoneyHiveError";
  /** The kind of failure. */
  code: ErrorCode;
  /** The HTTP status, where the server answered. */
  status?: number;
  /** Whether the same call could succeed later, unchanged. */
  retryable: boolean;
  /** The call that failed. */
  call: "start" | "log" | "update" | "logBatch" | "trace" | "replay";
  /** For a network failure: an `Error` of the runtime's own message (keys masked). */
  cause?: Error;
}

/** A JSON object: inputs, outputs, config, metadata and the like. */
export type JsonObject = { [key: string]: unknown };

/** The kinds of event; case does not matter, it is sent lower-case. */
export type EventType = "model" | "tool" | "chain";

/** Options every call takes. */
export interface CommonOptions {
  /**
   * HoneyHive API key. Falls back to `env.HH_API_KEY`, then the HH_API_KEY environment variable.
   * This or {@link ingestionApiKey} is required. A typed key (`hh_ingst_…`, `hh_fgdp_…`) is checked
   * for its shape, names its project (`project` becomes optional) and, with no URL given, sends
   * to the data plane's v2 API.
   */
  apiKey?: string;
  /** Same as `apiKey`. */
  api_key?: string;
  /**
   * HoneyHive ingestion key (`hh_ingst_…`), for requests that create sessions and write events:
   * every call of this package. Falls back to `env.HH_INGESTION_API_KEY`, then
   * HH_INGESTION_API_KEY. Where both keys are found, the nearer source wins (the call's options,
   * a client's defaults, `env`, the environment), and in the same one, this key.
   */
  ingestionApiKey?: string;
  /** Same as `ingestionApiKey`. */
  ingestion_api_key?: string;
  /**
   * The reference logger's API (its routes: `/session/start`, `/events`, `/events/batch`); default
   * `https://api.honeyhive.ai`, or `env.HH_API_URL` / HH_API_URL. A trailing `/` is fine.
   */
  serverUrl?: string;
  /** Same as `serverUrl`. */
  server_url?: string;
  /**
   * HoneyHive's data plane: selects the v2 API (`/v1/sessions`, `/v1/events`, …) at this URL, or
   * `env.HH_DATA_PLANE_URL` / HH_DATA_PLANE_URL. With a typed key and no URL anywhere it is
   * `https://api.dp1.us.honeyhive.ai`. Giving it beside `serverUrl` in the same place is an error.
   */
  dataPlaneUrl?: string;
  /** Same as `dataPlaneUrl`. */
  data_plane_url?: string;
  /** Reject with a full message on failure and print each request (the API key masked). Default false. */
  verbose?: boolean;
  /**
   * Called once with a {@link HoneyHiveError} for every call (or trace) that fails, in quiet mode too: the
   * message is the one verbose mode rejects with, the API key masked. What it throws, or a
   * promise it returns rejects with, never reaches the caller.
   */
  onError?: (error: HoneyHiveError) => unknown;
  /** Same as `onError`. */
  on_error?: (error: HoneyHiveError) => unknown;
  /**
   * Where to hand the requests HoneyHive could not take when a later attempt could (the network,
   * a timeout, 408/429/5xx, the deadline): a Cloudflare Queue producer binding, a `Deno.Kv`, or
   * any object with `send(message)`. The call then resolves as success would, to its ids, and
   * {@link replay} delivers them later. Default: `env.HH_OUTBOX`; `false` turns it off.
   */
  outbox?: OutboxQueue | false;
  /**
   * Runs on every event a request carries, just before it is sent (the session of `start`, the
   * event of `log`, the changes of `update`, each event of a batch or a trace), as the API will
   * receive it (snake_case members), and a batch's `session_properties`: return the event to
   * send, changed or not. What it removes is never sent, nor printed in verbose mode. If it
   * throws, that request is not sent and the call fails; a batch or trace sends nothing more.
   */
  redact?: (event: JsonObject) => JsonObject;
  /** Environment bindings to read HH_API_KEY, HH_INGESTION_API_KEY, HH_PROJECT, HH_SOURCE, HH_API_URL and HH_DATA_PLANE_URL from, e.g. a Worker's `env`. */
  env?: object;
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
  /**
   * Project name. Falls back to `env.HH_PROJECT`, then HH_PROJECT. Required on the reference's
   * API with an untyped key; a typed key names its project, and the v2 API never takes it.
   */
  project?: string;
  /** Session name; defaults to the project name (none is sent when no project is given). */
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
  sessionId?: string | null;
  /** Same as `sessionId`. */
  session_id?: string | null;
}

/** The members of one event, for {@link log} and for each of {@link LogBatchOptions.events}. */
export interface EventFields {
  /**
   * Project name. Falls back to `env.HH_PROJECT`, then HH_PROJECT. Required on the reference's
   * API with an untyped key; a typed key names its project, and the v2 API never takes it.
   */
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
  sessionId?: string | null;
  /** Same as `sessionId`. */
  session_id?: string | null;
  /** The event's id (a UUID); made here when absent, and kept across retries either way. */
  eventId?: string | null;
  /** Same as `eventId`. */
  event_id?: string | null;
  /** The parent event's id (a UUID); the API defaults it to the session. */
  parentId?: string | null;
  /** Same as `parentId`. */
  parent_id?: string | null;
  /** Ids (UUIDs) of child events. */
  childrenIds?: string[];
  /** Same as `childrenIds`. */
  children_ids?: string[];
  /** What went wrong, if the event failed. */
  error?: string | null;
  /** When the event started, Unix ms; default now. */
  startTime?: number;
  /** Same as `startTime`. */
  start_time?: number;
  /** When the event ended, Unix ms. */
  endTime?: number;
  /** Same as `endTime`. */
  end_time?: number;
  /** Duration in ms, ≥ 0. Absent: `endTime − startTime` when both are given, else 10 (0 also means 10, as in the reference). */
  durationMs?: number;
  /** Same as `durationMs`. */
  duration_ms?: number;
  /** User feedback (ratings, ground truth...). */
  feedback?: JsonObject;
  /** Computed metrics. */
  metrics?: JsonObject;
  /** User properties. */
  userProperties?: JsonObject;
  /** Same as `userProperties`. */
  user_properties?: JsonObject;
}

/**
 * A required option, in one spelling or the other (or both: camelCase wins). Options left
 * optional here may still come from elsewhere (the key and project from `env`).
 */
export type OneSpelling<Camel extends string, Snake extends string, T> =
  | ({ [K in Camel]?: T } & { [K in Snake]: T })
  | ({ [K in Camel]: T } & { [K in Snake]?: T });

/** Options of {@link log}: an event, whose name is required. */
export type LogOptions = CommonOptions & EventFields & OneSpelling<"eventName", "event_name", string>;

/** Session members of a batch, as the API takes them. */
export interface SessionProperties {
  session_name?: string;
  user_properties?: JsonObject;
  metadata?: JsonObject;
  [member: string]: unknown;
}

/**
 * Options of {@link logBatch}. Any event member given here (project, source, sessionId,
 * eventType...) is the default of every event that does not give it.
 */
export interface LogBatchOptions extends CommonOptions, EventFields {
  /** The events, 1 to 10000; each is built and checked as {@link log} builds its event. */
  events: EventFields[];
  /** All events share one session: sent as `is_single_session` (the v2 API: `single_session`). */
  isSingleSession?: boolean;
  /** Same as `isSingleSession`. */
  is_single_session?: boolean;
  /** Sent as `session_properties`. */
  sessionProperties?: SessionProperties;
  /** Same as `sessionProperties`. */
  session_properties?: SessionProperties;
}

/** The ids of a batch's events, in order: `null` for an event the server did not take. */
export type BatchIds = Array<string | null>;

/** The error a verbose {@link logBatch} (or a trace) rejects with when events were not logged. */
export interface BatchError extends HoneyHiveError {
  /** Per event, in order: its id when the server took it, else `null`. */
  eventIds: BatchIds;
  /** What went wrong, per failed request or event. */
  errors: string[];
}

/** Options of {@link update}, the event id required. */
export type UpdateOptions = UpdateFields & OneSpelling<"eventId", "event_id", string>;

/** The members of an update. Members left out are not sent. */
export interface UpdateFields extends CommonOptions {
  /** The id to update: a session id from {@link start} or an event id from {@link log}. Required. */
  eventId?: string | null;
  /** Same as `eventId`. */
  event_id?: string | null;
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
 * Starts a session: `POST {serverUrl}/session/start`, or `POST {dataPlaneUrl}/v1/sessions` on the v2 API.
 * @returns the session id, or `null` after a quiet failure.
 */
export function start(opts: StartOptions): Promise<string | null>;

/**
 * Logs an event: `POST {serverUrl}/events`, or `POST {dataPlaneUrl}/v1/events` on the v2 API. The event carries an `event_id` made here and kept
 * across retries, so a retried request never creates a second event.
 * @returns the event id, or `null` after a quiet failure.
 */
export function log(opts: LogOptions): Promise<string | null>;

/**
 * Updates an event or a session by its id: `PUT {serverUrl}/events`, or
 * `PUT {dataPlaneUrl}/v1/events/{event_id}` on the v2 API.
 */
export function update(opts: UpdateOptions): Promise<void>;

/**
 * Logs many events with `POST {serverUrl}/events/batch` (the v2 API: `POST {dataPlaneUrl}/v1/events/batch`), 100 per request (fewer when a request
 * would pass 4 MiB), one request after another.
 * @returns the event ids in order, `null` for an event the server did not take; `null` after a
 * quiet failure of every event. In verbose mode a partial failure rejects with a {@link BatchError}.
 */
export function logBatch(opts: LogBatchOptions): Promise<BatchIds | null>;

/** The members of a span's event a traced function may set: what {@link EventFields} has, but the
 * name (the `name` argument), ids, parent, children and times, which the trace records. */
export type SpanFields = Omit<EventFields,
  | "eventName" | "event_name" | "sessionId" | "session_id" | "eventId" | "event_id" | "childrenIds" | "children_ids"
  | "startTime" | "start_time" | "endTime" | "end_time" | "durationMs" | "duration_ms" | "error">;

/** Options of one span: its event's members; `eventType` defaults to `"chain"`. */
export interface SpanOptions extends SpanFields {
  /** Record the function's result as the span's `outputs` (an object as it is, anything else as
   * `{ result }`). Default true. */
  recordOutputs?: boolean;
}

/** How many traces are sent: decided once per trace, at its root. */
export interface Sampling {
  /**
   * The share of traces sent, from 0 to 1 (default 1: every trace). It is decided once per
   * trace, at its root, and every span follows: a trace is sent whole or not at all. A trace left
   * out still runs its function and returns its value, but builds no body and makes no request;
   * its `span.sent` resolves to `[]`. `start`, `log`, `update` and `logBatch` are always sent.
   *
   * HoneyHive's totals (a session's tokens and cost, counts of events) add up only the traces
   * sent: at 0.25 they are about a quarter of the whole; divide by the rate to estimate it.
   * A trace left out is not checked either (its options are read when it is sent), and its
   * spans' ids name no event: `span.sampled` says which traces were kept.
   *
   * Anything but a number from 0 to 1 is reported as `invalid_option` when the trace ends (its
   * function still runs), and that trace is not sent.
   */
  sampleRate?: number;
  /** Same as `sampleRate`. */
  sample_rate?: number;
}

/** Options of a root {@link trace}: where and how the trace is sent, and its root span's members. */
export interface TraceOptions extends CommonOptions, SpanOptions, Sampling {
  /** The session the trace's events go to (a UUID from {@link start}); without it, the trace
   * starts a session of its own, in the same request. */
  sessionId?: string | null;
  /** Same as `sessionId`. */
  session_id?: string | null;
  /** The name of the session a trace starts; default the root span's name. */
  sessionName?: string;
  /** Same as `sessionName`. */
  session_name?: string;
  /** Called once, as the root span starts, with the promise of the trace's sending: pass
   * `ctx.waitUntil.bind(ctx)` in a Worker, so the runtime waits for it. */
  waitUntil?: (sending: Promise<unknown>) => void;
}

/** Options of a child span ({@link Span.trace}): project, source and parent are its trace's. */
export type ChildSpanOptions = Omit<SpanOptions, "project" | "source" | "parentId" | "parent_id">;

/** Events a traced function may add to its span. */
export interface SpanEnrichment {
  metadata?: JsonObject;
  metrics?: JsonObject;
  feedback?: JsonObject;
  config?: JsonObject;
  inputs?: JsonObject;
  outputs?: JsonObject;
  userProperties?: JsonObject;
  user_properties?: JsonObject;
}

/** The handle a traced function gets. No ambient state: pass it on to trace children. */
export interface Span {
  /** This span's event id (a UUIDv4). */
  readonly id: string;
  /** The session the trace's events go to. */
  readonly sessionId: string;
  /** Whether the trace is sent: false when sampling left it out ({@link Sampling.sampleRate}),
   * and then no event has this span's id. */
  readonly sampled: boolean;
  /** Settles once the whole trace has been sent: to the event ids (`null` for one the server
   * did not take), `[]` for a trace sampling left out ({@link Sampling.sampleRate}), `null` after
   * a quiet failure; in verbose mode a failure rejects (and is printed). Give it to `ctx.waitUntil` where the runtime must be kept alive for it. */
  readonly sent: Promise<BatchIds | null>;
  /** Runs `fn` as a child span: its `parent_id` is this span's id, and this span lists it in
   * `children_ids`. Resolves to what `fn` returns; rethrows what it throws. */
  trace<T>(name: string, fn: (span: Span) => T | PromiseLike<T>, opts?: ChildSpanOptions): Promise<Awaited<T>>;
  /** Merges these members into the span's event (over what its options gave). After the
   * trace was sent it records nothing, and says so on `console.warn`. */
  enrich(fields: SpanEnrichment): void;
}

/**
 * Runs `fn(span)` as a root span and sends the trace it makes (it and every child span) as one
 * batch request when it ends: `POST {serverUrl}/events/batch`, or `POST {dataPlaneUrl}/v1/events/batch`
 * on the v2 API. Each span becomes an event with `start_time`, `end_time`, `duration`,
 * `parent_id`, `children_ids`, `outputs` (what `fn` returned) and `error` (the message of what
 * it threw). Resolves to what `fn` returns, without waiting for the sending (see
 * {@link Span.sent}); what `fn` throws is rethrown unchanged. A failure to send is reported as
 * any failed call is: one line, or in verbose mode a rejection of `span.sent`.
 *
 * A child span still running when its root ends is sent closed at the root's end, with an
 * `error` saying it was unfinished; a child opened after that is sent on its own when it ends.
 */
export function trace<T>(name: string, fn: (span: Span) => T | PromiseLike<T>, opts?: TraceOptions): Promise<Awaited<T>>;

/** Options of {@link aiSdkIntegration}: where and how its traces are sent. */
export interface AiSdkIntegrationOptions
  extends CommonOptions, Sampling, Pick<TraceOptions, "project" | "source" | "sessionId" | "session_id" | "sessionName" | "session_name" | "waitUntil"> {
  /** Nest every call under this span: it goes out with the span's trace (no trace of its own),
   * and that trace's sampling decides for it. */
  span?: Span;
}

/** One lifecycle callback of the AI SDK's telemetry. */
export type AiSdkCallback = (event: unknown) => PromiseLike<void> | void;

/** A telemetry integration for the Vercel AI SDK (`ai` 7's `Telemetry` interface). */
export interface AiSdkIntegration {
  onStart: AiSdkCallback;
  onLanguageModelCallStart: AiSdkCallback;
  onLanguageModelCallEnd: AiSdkCallback;
  onStepError: AiSdkCallback;
  onToolExecutionStart: AiSdkCallback;
  onToolExecutionEnd: AiSdkCallback;
  onEnd: AiSdkCallback;
  onError: AiSdkCallback;
  onAbort: AiSdkCallback;
}

/**
 * A telemetry integration for the Vercel AI SDK (`ai` 7): register it with
 * `registerTelemetry(aiSdkIntegration(opts))`, or pass it per call in
 * `telemetry: { integrations: [...] }`. Each `generateText` / `streamText` call becomes one trace:
 * a chain event for the call (its messages, text, finish reason and total token usage), a model
 * event per model call (model id, messages, text, tool calls, finish reason) and a tool event per
 * tool execution (input, output or error), under the chain, sent as one batch when the call ends.
 *
 * Usage and performance go in `metadata`, under HoneyHive's canonical keys, where its session
 * totals add them up: `prompt_tokens`, `completion_tokens`, `total_tokens` (and
 * `cache_read_input_tokens`, `reasoning_tokens` when the provider gives them) on each model event,
 * totalled on the chain; on each model event `latency_ms` (the model call's response time),
 * `time_to_first_token_ms` and `output_tokens_per_second` (after the first token) for streamed
 * calls, and `time_between_output_chunks_ms` (`{ min, p10, median, avg, p90, max }`) when it
 * streamed two chunks or more. The SDK's `recordInputs` / `recordOutputs: false` are honoured.
 * No OpenTelemetry is involved.
 */
export function aiSdkIntegration(opts?: AiSdkIntegrationOptions): AiSdkIntegration;

/** Defaults a {@link HoneyHive} client gives every call (`sampleRate`: its traces and AI SDK calls). */
export type ClientDefaults = CommonOptions & EventFields & Sampling;

/**
 * A client holding shared defaults (key, project, source, server, env, verbose, retry options);
 * each call's own options win over them. It keeps no other state: no queue, no timer.
 *
 * @example
 * // In a Worker: the key and project from its env bindings.
 * const honeyhive = new HoneyHive({ env });
 */
export class HoneyHive {
  constructor(defaults?: ClientDefaults);
  /** {@link start} with the client's defaults. */
  start(opts?: StartOptions): Promise<string | null>;
  /** {@link log} with the client's defaults (which may name the event). */
  log(opts?: CommonOptions & EventFields): Promise<string | null>;
  /** {@link update} with the client's defaults. */
  update(opts?: UpdateFields): Promise<void>;
  /** {@link logBatch} with the client's defaults. */
  logBatch(opts: LogBatchOptions): Promise<BatchIds | null>;
  /** {@link trace} with the client's defaults (for where and how it is sent). */
  trace<T>(name: string, fn: (span: Span) => T | PromiseLike<T>, opts?: TraceOptions): Promise<Awaited<T>>;
  /** {@link aiSdkIntegration} with the client's defaults. */
  aiSdkIntegration(opts?: AiSdkIntegrationOptions): AiSdkIntegration;
  /** {@link replay} with the client's defaults. */
  replay(incoming: { messages: readonly QueueMessage[] } | unknown, opts?: CommonOptions): Promise<void>;
}
