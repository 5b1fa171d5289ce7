/**
 * The packed-invocation protocol shared by the runtime (inside the function) and the engine (client).
 * Times are epoch seconds (fractional, millisecond precision) on the instance's clock.
 */

/** Property that marks an event or response as ProPack's. */
export const PACKED_MARKER = '__propack';
/** Protocol version this runtime speaks. */
export const PROTOCOL_VERSION = 1;

/** How the tasks of one packed invocation share the instance. */
export type PackedMode = 'async' | 'threads';

/** One task inside a packed invocation; `payload` is what the user handler receives as its event. */
export interface PackedTask {
  id: string;
  payload: unknown;
}

/** Where the runtime also writes its response (asynchronous Event invocations are collected from S3). */
export interface ResultSink {
  bucket: string;
  key: string;
}

/** Body of a packed request event. */
export interface PackedRequest {
  v: typeof PROTOCOL_VERSION;
  tasks: PackedTask[];
  /** Default: the mode the function was wrapped with, else `async`. */
  mode?: PackedMode;
  /** Concurrent tasks: threads mode default = the instance's vCPUs; async mode default = all tasks. */
  poolSize?: number;
  resultSink?: ResultSink;
}

/** A packed request event as sent to the function. */
export interface PackedEvent {
  [PACKED_MARKER]: PackedRequest;
}

/** Why a task failed: an error class name and its message. */
export interface TaskError {
  type: string;
  message: string;
  /** false: running the task again cannot help (e.g. its result is not JSON); the engine fails it at once. */
  retryable?: false;
}

export type TaskStatus = 'ok' | 'error' | 'not-run';

/** Outcome of one task. `not-run` tasks never started (deadline) and are safe to dispatch again. */
export interface PackedTaskResult {
  id: string;
  status: TaskStatus;
  result?: unknown;
  error?: TaskError;
  /** Epoch seconds; for not-run tasks both equal the time the runtime gave up on them. */
  startedAt: number;
  endedAt: number;
}

/** The execution environment that ran a packed invocation. */
export interface InstanceInfo {
  /** Stable for the life of the instance (module load). */
  id: string;
  /** True only for the first invocation after the module loaded. */
  cold: boolean;
  vcpus: number;
  memoryMb: number;
}

/** Body of a packed response. */
export interface PackedResponseBody {
  v: typeof PROTOCOL_VERSION;
  instance: InstanceInfo;
  /** Epoch seconds: handler entry and return. */
  startedAt: number;
  endedAt: number;
  /** Same order as the request's tasks. */
  tasks: PackedTaskResult[];
  /** Set when writing the response to the request's result sink failed. */
  sinkError?: TaskError;
}

/** A packed response as returned by the function (and written to the result sink). */
export interface PackedResponse {
  [PACKED_MARKER]: PackedResponseBody;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A Step Functions Distributed Map batch (ItemBatcher): the batch's tasks in `Items`, the packed options in
 * `BatchInput.__propack` (built by `packBatchInput`). The runtime reads it as the packed event
 * `{ __propack: { ...BatchInput.__propack, tasks: Items } }`.
 */
export interface PackedBatchEvent {
  Items: PackedTask[];
  BatchInput: { [PACKED_MARKER]: PackedBatchInput };
}

/** What a Map's ItemBatcher.BatchInput carries: a packed request without its tasks (they are the batch's Items). */
export type PackedBatchInput = Omit<PackedRequest, 'tasks' | 'resultSink'>;

/** True when `event`'s BatchInput carries the packed marker: a Map batch of ProPack's (an `Items` event without it is the user's own). */
export function isPackedBatchEvent(event: unknown): event is PackedBatchEvent {
  return isObject(event) && isObject(event.BatchInput) && PACKED_MARKER in event.BatchInput;
}

/** True when `event` carries the packed marker, itself or in a Map batch's BatchInput (its shape is validated by `parsePackedRequest`). */
export function isPackedEvent(event: unknown): event is PackedEvent | PackedBatchEvent {
  return isObject(event) && (PACKED_MARKER in event || isPackedBatchEvent(event));
}

/** True when `value` is a packed response (what the engine gets back). */
export function isPackedResponse(value: unknown): value is PackedResponse {
  return isObject(value) && isObject(value[PACKED_MARKER]) && Array.isArray(value[PACKED_MARKER].tasks);
}

/**
 * Validates a packed request, a packed event's or a Map batch's; throws a TypeError naming the first bad
 * field as the event spells it (`__propack.tasks[2].id`, `Items[3].id`, `BatchInput.__propack.mode`).
 */
export function parsePackedRequest(event: PackedEvent | PackedBatchEvent): PackedRequest {
  // The marker on the event itself wins: a packed event is never read as a batch.
  if (PACKED_MARKER in event) return validateRequest(event[PACKED_MARKER], PACKED_MARKER, `${PACKED_MARKER}.tasks`);
  const input: unknown = event.BatchInput[PACKED_MARKER];
  const at = `BatchInput.${PACKED_MARKER}`;
  if (isObject(input)) {
    if (input.tasks !== undefined) throw new TypeError(`${at}.tasks must not be set: a batch's tasks are its Items`);
    // One BatchInput is shared by every batch of the Map: one sink key would have every batch overwrite it.
    if (input.resultSink !== undefined) throw new TypeError(`${at}.resultSink must not be set: a Map's results go to its ResultWriter`);
  }
  return validateRequest(isObject(input) ? { ...input, tasks: event.Items } : input, at, 'Items');
}

function validateRequest(req: unknown, at: string, tasksAt: string): PackedRequest {
  if (!isObject(req)) throw new TypeError(`${at} must be an object`);
  if (req.v !== PROTOCOL_VERSION) throw new TypeError(`${at}.v must be ${PROTOCOL_VERSION}, got ${String(req.v)}`);
  if (!Array.isArray(req.tasks)) throw new TypeError(`${tasksAt} must be an array`);
  req.tasks.forEach((t: unknown, i) => {
    if (!isObject(t) || typeof t.id !== 'string') throw new TypeError(`${tasksAt}[${i}].id must be a string`);
  });
  if (req.mode !== undefined && req.mode !== 'async' && req.mode !== 'threads') {
    throw new TypeError(`${at}.mode must be "async" or "threads"`);
  }
  if (req.poolSize !== undefined && !(Number.isInteger(req.poolSize) && (req.poolSize as number) >= 1)) {
    throw new TypeError(`${at}.poolSize must be a positive integer`);
  }
  const sink = req.resultSink;
  if (sink !== undefined && !(isObject(sink) && typeof sink.bucket === 'string' && typeof sink.key === 'string')) {
    throw new TypeError(`${at}.resultSink must be { bucket, key }`);
  }
  return req as unknown as PackedRequest;
}

/** Builds a packed request event (used by the engine and tests). */
export function packEvent(tasks: PackedTask[], options: Omit<PackedRequest, 'v' | 'tasks'> = {}): PackedEvent {
  return { [PACKED_MARKER]: { v: PROTOCOL_VERSION, tasks, ...options } };
}

/** Builds a Map's ItemBatcher.BatchInput: what marks each batch of `Items` as one packed invocation (engine and tests). */
export function packBatchInput(options: Omit<PackedBatchInput, 'v'> = {}): PackedBatchEvent['BatchInput'] {
  return { [PACKED_MARKER]: { v: PROTOCOL_VERSION, ...options } };
}

/** Epoch seconds with millisecond precision from a `Date.now()` value in ms. */
export function epochSeconds(ms: number = Date.now()): number {
  return ms / 1000;
}
