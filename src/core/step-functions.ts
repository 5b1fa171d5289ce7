/**
 * The one Step Functions shape ProPack dispatches through: a Distributed Map over a JSON array of tasks in S3,
 * batched p items per child execution (ItemBatcher), each child invoking the packed function once with its
 * batch, results written to S3 (ResultWriter). The generator, the parser that accepts exactly this shape
 * (the embedded platform runs nothing else), the ResultWriter files, Retry's delays and the price.
 */

/** Step Functions' own limits (Distributed Map). */
export const SFN_LIMITS = {
  /** Child executions running at once, at most (and what MaxConcurrency 0 means). */
  maxConcurrency: 10_000,
  /** ItemBatcher.MaxInputBytesPerBatch, at most (256 KiB). */
  maxInputBytesPerBatch: 262_144,
  /** A state's input or output, at most (256 KiB). */
  maxPayloadBytes: 262_144,
} as const;

/** The errors of a lambda:invoke Task that AWS advises retrying (the function did not run, or its service failed). */
export const RETRIED_LAMBDA_ERRORS = ['Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Lambda.SdkClientException'] as const;

export const ITEM_READER_RESOURCE = 'arn:aws:states:::s3:getObject';
export const RESULT_WRITER_RESOURCE = 'arn:aws:states:::s3:putObject';
export const LAMBDA_INVOKE_RESOURCE = 'arn:aws:states:::lambda:invoke';
const MAP_STATE = 'PackedMap';
const TASK_STATE = 'InvokePacked';

/** One Retry rule of a Task state (ASL field names' meaning; seconds). */
export interface RetryRule {
  errorEquals: string[];
  intervalS: number;
  maxAttempts: number;
  backoffRate: number;
  maxDelayS?: number;
  jitter: 'FULL' | 'NONE';
}

/** Everything the Distributed Map of a packed run is made of. */
export interface PackedMapSpec {
  /** Function name or ARN the Task invokes. */
  functionName: string;
  /** The JSON array of tasks ({ id, payload } objects); absent: each execution's input names it (`PackedMapInput`). */
  items?: { bucket: string; key: string };
  /** Where ResultWriter writes `<prefix>/<map run id>/manifest.json` and the result files; absent: from the input. */
  results?: { bucket: string; prefix: string };
  /** Items per child execution: the packing degree p. */
  packingDegree: number;
  /** Child executions at once (`mapMaxConcurrency`). */
  maxConcurrency: number;
  /** Handed to every batch beside its items (what marks the batch as a packed event). */
  batchInput: Record<string, unknown>;
  /** Bytes of one batch's items, at most (default and ceiling 256 KiB). */
  maxInputBytesPerBatch?: number;
  /**
   * `Tail`: each invocation also returns the last 4 KB of its log (lambda:invoke's `LogResult`), whose REPORT
   * line carries a cold start's billed Init Duration. The child's output is then lambda:invoke's whole result
   * (`Payload`, `StatusCode`, `LogResult`); without it, `OutputPath: "$.Payload"` keeps only the payload.
   */
  logType?: 'Tail';
  /** Task retries on the errors that mean the function did not run (default `DEFAULT_RETRY`). */
  retry?: RetryRule[];
}

/**
 * The input of an execution of a definition whose items and results locations are not fixed: one state
 * machine then serves every run of a function at one p, each execution naming its own objects.
 */
export interface PackedMapInput {
  items: { bucket: string; key: string };
  results: { bucket: string; prefix: string };
}

/** The JSONPath references a definition uses for locations taken from the execution input. */
const INPUT_PATHS = {
  items: { 'Bucket.$': '$.items.bucket', 'Key.$': '$.items.key' },
  results: { 'Bucket.$': '$.results.bucket', 'Prefix.$': '$.results.prefix' },
} as const;

/** Retry on throttling and service errors: 1 s, doubling, full jitter, at most 30 s apart, 8 attempts. */
export const DEFAULT_RETRY: RetryRule[] = [
  { errorEquals: [...RETRIED_LAMBDA_ERRORS], intervalS: 1, maxAttempts: 8, backoffRate: 2, maxDelayS: 30, jitter: 'FULL' },
];

/** Child executions at once: one per instance ceil(C/p), within the account's concurrency and the Map's 10,000. */
export function mapMaxConcurrency(concurrency: number, packingDegree: number, accountConcurrency: number): number {
  return Math.max(1, Math.min(Math.ceil(concurrency / packingDegree), accountConcurrency, SFN_LIMITS.maxConcurrency));
}

/** The state machine definition (ASL, JSONPath) of a packed run. */
export function packedMapDefinition(s: PackedMapSpec): Record<string, unknown> {
  const rules = s.retry ?? DEFAULT_RETRY;
  return {
    Comment: `ProPack: ${s.packingDegree} tasks per invocation of ${s.functionName}, ${s.maxConcurrency} at once`,
    StartAt: MAP_STATE,
    States: {
      [MAP_STATE]: {
        Type: 'Map',
        ItemReader: {
          Resource: ITEM_READER_RESOURCE,
          ReaderConfig: { InputType: 'JSON' },
          Parameters: s.items ? { Bucket: s.items.bucket, Key: s.items.key } : INPUT_PATHS.items,
        },
        ItemBatcher: {
          MaxItemsPerBatch: s.packingDegree,
          MaxInputBytesPerBatch: Math.min(s.maxInputBytesPerBatch ?? SFN_LIMITS.maxInputBytesPerBatch, SFN_LIMITS.maxInputBytesPerBatch),
          BatchInput: s.batchInput,
        },
        MaxConcurrency: s.maxConcurrency,
        // Every task is accounted for by ProPack from the results: a failed child must not stop the others.
        ToleratedFailurePercentage: 100,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: TASK_STATE,
          States: {
            [TASK_STATE]: {
              Type: 'Task',
              Resource: LAMBDA_INVOKE_RESOURCE,
              Parameters: { FunctionName: s.functionName, 'Payload.$': '$', ...(s.logType ? { LogType: s.logType } : {}) },
              ...(s.logType ? {} : { OutputPath: '$.Payload' }),
              Retry: rules.map((r) => ({
                ErrorEquals: r.errorEquals,
                IntervalSeconds: r.intervalS,
                MaxAttempts: r.maxAttempts,
                BackoffRate: r.backoffRate,
                ...(r.maxDelayS !== undefined ? { MaxDelaySeconds: r.maxDelayS } : {}),
                JitterStrategy: r.jitter,
              })),
              End: true,
            },
          },
        },
        ResultWriter: {
          Resource: RESULT_WRITER_RESOURCE,
          Parameters: s.results ? { Bucket: s.results.bucket, Prefix: s.results.prefix } : INPUT_PATHS.results,
        },
        End: true,
      },
    },
  };
}

/** A definition that is not the packed-run shape; the message names the first field that differs. */
export class AslShapeError extends Error {
  override readonly name = 'AslShapeError';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field(o: Record<string, unknown>, key: string, path: string): Record<string, unknown> {
  const v = o[key];
  if (!isObject(v)) throw new AslShapeError(`${path}.${key} must be an object`);
  return v;
}

function str(o: Record<string, unknown>, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') throw new AslShapeError(`${path}.${key} must be a non-empty string`);
  return v;
}

function int(o: Record<string, unknown>, key: string, path: string, min: number, max: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw new AslShapeError(`${path}.${key} must be an integer from ${min} to ${max}`);
  return v;
}

function num(o: Record<string, unknown>, key: string, path: string, min: number, fallback: number): number {
  const v = o[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min)
    throw new AslShapeError(`${path}.${key} must be a number of at least ${min}`);
  return v;
}

/** The single state of a States object, by its StartAt. */
function onlyState(o: Record<string, unknown>, path: string): { name: string; state: Record<string, unknown> } {
  const name = str(o, 'StartAt', path);
  const states = field(o, 'States', path);
  const names = Object.keys(states);
  if (names.length !== 1) throw new AslShapeError(`${path}.States must hold exactly one state, found ${names.length}`);
  if (names[0] !== name) throw new AslShapeError(`${path}.StartAt names "${name}", which is not a state`);
  const state = field(states, name, `${path}.States`);
  if (state.End !== true) throw new AslShapeError(`${path}.States.${name}.End must be true`);
  // A state may switch itself to JSONata, whose fields (Arguments, Output) this parser would not see.
  if (state.QueryLanguage !== undefined && state.QueryLanguage !== 'JSONPath')
    throw new AslShapeError(`${path}.States.${name}.QueryLanguage must be JSONPath`);
  return { name, state };
}

function parseRetry(v: unknown, path: string): RetryRule[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new AslShapeError(`${path} must be an array`);
  return v.map((r: unknown, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(r)) throw new AslShapeError(`${at} must be an object`);
    const errors = r.ErrorEquals;
    if (!Array.isArray(errors) || errors.length === 0 || !errors.every((e) => typeof e === 'string'))
      throw new AslShapeError(`${at}.ErrorEquals must be a non-empty array of error names`);
    const jitter = r.JitterStrategy ?? 'NONE';
    if (jitter !== 'FULL' && jitter !== 'NONE') throw new AslShapeError(`${at}.JitterStrategy must be "FULL" or "NONE"`);
    return {
      errorEquals: errors as string[],
      intervalS: num(r, 'IntervalSeconds', at, 1, 1),
      maxAttempts: r.MaxAttempts === undefined ? 3 : int(r, 'MaxAttempts', at, 0, 99_999_999),
      backoffRate: num(r, 'BackoffRate', at, 1, 2),
      ...(r.MaxDelaySeconds !== undefined ? { maxDelayS: num(r, 'MaxDelaySeconds', at, 1, 1) } : {}),
      jitter,
    };
  });
}

/**
 * Reads a definition (ASL text) back into the spec it was generated from, or throws AslShapeError naming
 * the first field that is not the packed-run shape. `FunctionName` may be a name or an ARN.
 */
export function parsePackedMapDefinition(text: string): PackedMapSpec {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    throw new AslShapeError('the definition is not JSON (ProPack runs JSONPath ASL only)');
  }
  if (!isObject(root)) throw new AslShapeError('the definition must be a JSON object');
  if (root.QueryLanguage !== undefined && root.QueryLanguage !== 'JSONPath') throw new AslShapeError('$.QueryLanguage must be JSONPath');
  const { name, state: map } = onlyState(root, '$');
  const at = `$.States.${name}`;
  if (map.Type !== 'Map') throw new AslShapeError(`${at}.Type must be "Map"`);
  // Both reshape every item before batching: the function would not get the { id, payload } tasks.
  for (const key of ['ItemSelector', 'Parameters'])
    if (map[key] !== undefined) throw new AslShapeError(`${at}.${key} must not be set: the batch's Items are the tasks as written`);
  const reader = field(map, 'ItemReader', at);
  if (reader.Resource !== ITEM_READER_RESOURCE) throw new AslShapeError(`${at}.ItemReader.Resource must be "${ITEM_READER_RESOURCE}"`);
  if (field(reader, 'ReaderConfig', `${at}.ItemReader`).InputType !== 'JSON')
    throw new AslShapeError(`${at}.ItemReader.ReaderConfig.InputType must be "JSON"`);
  const readerParams = field(reader, 'Parameters', `${at}.ItemReader`);
  const batcher = field(map, 'ItemBatcher', at);
  const batchInput = batcher.BatchInput ?? {};
  if (!isObject(batchInput)) throw new AslShapeError(`${at}.ItemBatcher.BatchInput must be an object`);
  const processor = field(map, 'ItemProcessor', at);
  const config = field(processor, 'ProcessorConfig', `${at}.ItemProcessor`);
  if (config.Mode !== 'DISTRIBUTED') throw new AslShapeError(`${at}.ItemProcessor.ProcessorConfig.Mode must be "DISTRIBUTED"`);
  const { name: taskName, state: task } = onlyState(processor, `${at}.ItemProcessor`);
  const tat = `${at}.ItemProcessor.States.${taskName}`;
  if (task.Type !== 'Task') throw new AslShapeError(`${tat}.Type must be "Task"`);
  if (task.Resource !== LAMBDA_INVOKE_RESOURCE) throw new AslShapeError(`${tat}.Resource must be "${LAMBDA_INVOKE_RESOURCE}"`);
  const params = field(task, 'Parameters', tat);
  if (params['Payload.$'] !== '$') throw new AslShapeError(`${tat}.Parameters must pass the whole batch: "Payload.$": "$"`);
  if (task.OutputPath !== undefined && task.OutputPath !== '$.Payload') throw new AslShapeError(`${tat}.OutputPath must be "$.Payload"`);
  const logType = params.LogType;
  if (logType !== undefined && logType !== 'Tail' && logType !== 'None')
    throw new AslShapeError(`${tat}.Parameters.LogType must be "Tail" or "None"`);
  if (logType === 'Tail' && task.OutputPath !== undefined)
    throw new AslShapeError(`${tat}: LogType "Tail" needs the whole lambda:invoke result, so no OutputPath`);
  const writer = field(map, 'ResultWriter', at);
  if (writer.Resource !== RESULT_WRITER_RESOURCE)
    throw new AslShapeError(`${at}.ResultWriter.Resource must be "${RESULT_WRITER_RESOURCE}"`);
  const writerParams = field(writer, 'Parameters', `${at}.ResultWriter`);
  const items = fromInput(readerParams, INPUT_PATHS.items)
    ? undefined
    : { bucket: str(readerParams, 'Bucket', `${at}.ItemReader.Parameters`), key: str(readerParams, 'Key', `${at}.ItemReader.Parameters`) };
  const results = fromInput(writerParams, INPUT_PATHS.results)
    ? undefined
    : {
        bucket: str(writerParams, 'Bucket', `${at}.ResultWriter.Parameters`),
        prefix: typeof writerParams.Prefix === 'string' ? writerParams.Prefix : '',
      };
  const maxConcurrency = map.MaxConcurrency === undefined ? 0 : int(map, 'MaxConcurrency', at, 0, SFN_LIMITS.maxConcurrency);
  return {
    functionName: str(params, 'FunctionName', `${tat}.Parameters`),
    ...(items ? { items } : {}),
    ...(results ? { results } : {}),
    packingDegree: int(batcher, 'MaxItemsPerBatch', `${at}.ItemBatcher`, 1, 100_000_000),
    maxConcurrency: maxConcurrency === 0 ? SFN_LIMITS.maxConcurrency : maxConcurrency,
    batchInput,
    maxInputBytesPerBatch:
      batcher.MaxInputBytesPerBatch === undefined
        ? SFN_LIMITS.maxInputBytesPerBatch
        : int(batcher, 'MaxInputBytesPerBatch', `${at}.ItemBatcher`, 1, SFN_LIMITS.maxInputBytesPerBatch),
    retry: parseRetry(task.Retry, `${tat}.Retry`),
    ...(logType === 'Tail' ? { logType } : {}),
  };
}

/** Whether `params` takes its locations from the input (exactly `paths`); other `.$` references are refused. */
function fromInput(params: Record<string, unknown>, paths: Readonly<Record<string, string>>): boolean {
  const dynamic = Object.keys(params).filter((k) => k.endsWith('.$'));
  if (dynamic.length === 0) return false;
  for (const [k, v] of Object.entries(paths))
    if (params[k] !== v) throw new AslShapeError(`Parameters."${k}" must be "${v}" (ProPack reads only its own input paths)`);
  if (dynamic.length !== Object.keys(paths).length)
    throw new AslShapeError(`Parameters may reference only ${Object.values(paths).join(', ')}`);
  return true;
}

/**
 * The items and results locations of one execution: the definition's own, else the execution input's
 * (`PackedMapInput`); throws a one-line reason when the input lacks them.
 */
export function mapLocations(spec: PackedMapSpec, inputText: string | undefined): PackedMapInput {
  let input: unknown = {};
  if (!spec.items || !spec.results) {
    try {
      input = JSON.parse(inputText ?? '{}');
    } catch {
      throw new AslShapeError('the execution input is not JSON');
    }
  }
  const from = (k: 'items' | 'results', leaf: 'key' | 'prefix'): Record<string, string> => {
    const v = isObject(input) ? input[k] : undefined;
    if (!isObject(v) || typeof v.bucket !== 'string' || v.bucket === '' || typeof v[leaf] !== 'string')
      throw new AslShapeError(`the execution input has no ${k}.bucket and ${k}.${leaf} strings`);
    return v as Record<string, string>;
  };
  const items = spec.items ?? { bucket: from('items', 'key').bucket, key: from('items', 'key').key };
  const results = spec.results ?? { bucket: from('results', 'prefix').bucket, prefix: from('results', 'prefix').prefix };
  return { items, results };
}

/** Errors no wildcard retries: Step Functions fails the state at once (an oversized payload, a runtime fault). */
const TERMINAL_ERRORS: ReadonlySet<string> = new Set(['States.DataLimitExceeded', 'States.Runtime']);

/** True when an ErrorEquals name matches `error`: itself, or a wildcard that covers it. */
function errorMatches(name: string, error: string): boolean {
  if (name === error) return true;
  if (TERMINAL_ERRORS.has(error)) return false;
  if (name === 'States.ALL') return true;
  // In a Task's Retry, States.TaskFailed is a wildcard for every error except a timeout.
  return name === 'States.TaskFailed' && error !== 'States.Timeout';
}

/**
 * The rule that retries `error` (the first in ASL order whose ErrorEquals matches; `States.ALL` and
 * `States.TaskFailed` are wildcards, neither matches States.DataLimitExceeded or States.Runtime), or undefined.
 */
export function retryRuleFor(rules: readonly RetryRule[], error: string): RetryRule | undefined {
  return rules.find((r) => r.errorEquals.some((name) => errorMatches(name, error)));
}

/** Seconds before retry number `retry` (1-based) under `rule`; `random` in [0, 1) draws the full jitter. */
export function retryDelayS(rule: RetryRule, retry: number, random: number): number {
  const raw = rule.intervalS * rule.backoffRate ** (retry - 1);
  const capped = rule.maxDelayS !== undefined ? Math.min(raw, rule.maxDelayS) : raw;
  return rule.jitter === 'FULL' ? random * capped : capped;
}

/** ResultWriter's `manifest.json`: where the result files of one Map Run are. */
export interface MapResultManifest {
  DestinationBucket: string;
  MapRunArn: string;
  ResultFiles: Record<'SUCCEEDED' | 'FAILED' | 'PENDING', { Key: string; Size: number }[]>;
}

/** One child execution in a ResultWriter file (`Input` and `Output` are JSON text, as AWS writes them). */
export interface MapResultEntry {
  ExecutionArn: string;
  Name?: string;
  Status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING';
  StartDate: string;
  StopDate?: string;
  Input: string;
  Output?: string;
  Error?: string;
  Cause?: string;
}

/** Parses a manifest; throws one line naming what is missing. */
export function parseResultManifest(text: string): MapResultManifest {
  const m: unknown = JSON.parse(text);
  if (!isObject(m) || !isObject(m.ResultFiles) || typeof m.DestinationBucket !== 'string')
    throw new TypeError('the ResultWriter manifest has no DestinationBucket or ResultFiles');
  const files = m.ResultFiles;
  const list = (k: string): { Key: string; Size: number }[] => {
    const v = files[k] ?? [];
    if (!Array.isArray(v) || !v.every((f) => isObject(f) && typeof f.Key === 'string'))
      throw new TypeError(`the ResultWriter manifest's ResultFiles.${k} is not a list of { Key, Size }`);
    return v as { Key: string; Size: number }[];
  };
  return {
    DestinationBucket: m.DestinationBucket,
    MapRunArn: typeof m.MapRunArn === 'string' ? m.MapRunArn : '',
    ResultFiles: { SUCCEEDED: list('SUCCEEDED'), FAILED: list('FAILED'), PENDING: list('PENDING') },
  };
}

/** Parses a result file (a JSON array of child executions); entries without an ARN, status and input are refused. */
export function parseResultEntries(text: string): MapResultEntry[] {
  const v: unknown = JSON.parse(text);
  if (!Array.isArray(v)) throw new TypeError('a ResultWriter file is not a JSON array');
  v.forEach((e: unknown, i) => {
    if (!isObject(e) || typeof e.ExecutionArn !== 'string' || typeof e.Status !== 'string' || typeof e.Input !== 'string')
      throw new TypeError(`ResultWriter entry ${i} has no ExecutionArn, Status or Input`);
  });
  return v as MapResultEntry[];
}

/**
 * Step Functions' price as data, with the day it was read. Standard workflows bill per state transition;
 * a Distributed Map bills one transition per child execution it starts, and each child's states (every
 * Task attempt, retries included) bill theirs.
 */
export const SFN_PRICE = {
  transitionUsd: 0.025 / 1000,
  read: '2026-12-01',
  source: 'AWS Step Functions pricing, Standard workflows, us-east-1 ($0.025 per 1,000 state transitions; free tier not counted)',
} as const;

/** Transitions of the parent execution itself: its start and the Map state. */
const PARENT_TRANSITIONS = 2;

/**
 * Cost (USD) of dispatching through the Map: `executions` parent executions (default 1), `children` child
 * executions and `taskAttempts` Task attempts in them.
 */
export function mapDispatchCostUsd(
  children: number,
  taskAttempts: number,
  price: { transitionUsd: number } = SFN_PRICE,
  executions = 1,
): number {
  return (PARENT_TRANSITIONS * executions + children + taskAttempts) * price.transitionUsd;
}
