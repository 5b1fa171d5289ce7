/**
 * Dispatch through a Step Functions Distributed Map: each round writes its tasks to S3, starts one
 * execution of the function's packed state machine (created or updated for p), follows it with
 * DescribeMapRun, stops it on cancel, and reads every child execution back from the ResultWriter manifest
 * as the outcome of one packed invocation. The run's accounting (packed-run.ts) is the direct path's.
 */
import { GetAccountSettingsCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListMapRunsCommand,
  StartExecutionCommand,
  StateMachineAlreadyExists,
  StopExecutionCommand,
  UpdateStateMachineCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import {
  mapDispatchCostUsd,
  parseResultEntries,
  parseResultManifest,
  RETRIED_LAMBDA_ERRORS,
  SFN_LIMITS,
  SFN_PRICE,
  type MapResultEntry,
  type PackedMapInput,
} from '../core/step-functions';
import { initDurationOf, outcomeOfPayload } from '../platform/lambda-invoker';
import type { InvokeOutcome, PayloadLimit } from '../platform/packed-invoker';
import { packBatchInput, type PackedMode } from '../runtime/protocol';
import { abortableSleep } from './poll';
import type { RoundBatch, RoundDispatcher, TaskInput } from './packed-run';
import type { Session } from './session';
import { packedMapInput, packedStateMachine } from './state-machine';

/** An execution a run started: kept in the run's journal, so a resumed client collects it instead of starting again. */
export interface MapExecutionRef {
  executionArn: string;
  /** The tasks it carries (ids). */
  taskIds: string[];
}

export interface MapDispatchOptions {
  sfn: SFNClient;
  s3: S3Client;
  /** The packed function (name or ARN). */
  functionName: string;
  /** Bucket for the tasks and the ResultWriter files, under `propack-runs/<runId>/`. */
  bucket: string;
  runId: string;
  /** The role Step Functions assumes to invoke the function and read and write the bucket. */
  roleArn: string;
  /** Tasks in flight at once (C) and the account's concurrent executions. */
  concurrency: number;
  accountConcurrency: number;
  mode?: PackedMode;
  /** Called as soon as an execution started. */
  onExecution?: (e: MapExecutionRef) => void;
  /** Executions a killed client started: followed and collected before any new one starts. */
  adopt?: readonly MapExecutionRef[];
  /** Time between polls (ms; default 1,000). */
  pollMs?: number;
}

/** What the dispatch did, for the run's summary and its Step Functions bill. */
export interface MapDispatchStats {
  executions: string[];
  /** Child executions whose results were read (each one Lambda invocation, at least). */
  children: number;
}

const DEFAULT_POLL_MS = 1000;
/** Polls in a row that may fail before a followed execution counts as lost. */
const MAX_POLL_FAILURES = 5;

/** The Map's batch limit, for the engine's up-front check of each task's size. */
const MAP_PAYLOAD_LIMIT = (batchInputBytes: number): PayloadLimit => ({
  maxBytes: SFN_LIMITS.maxInputBytesPerBatch,
  extraBytes: batchInputBytes,
  label: "a Step Functions Map batch (the Map's 256 KiB)",
});

function epochS(date: string | Date | undefined, fallback: number): number {
  const ms = date instanceof Date ? date.getTime() : date ? Date.parse(date) : NaN;
  return Number.isFinite(ms) ? ms / 1000 : fallback;
}

/** The task ids a child execution carried (its Input is the batch: `{ Items: [{ id, ... }], BatchInput }`). */
function idsOf(entry: MapResultEntry): string[] {
  try {
    const input = JSON.parse(entry.Input) as { Items?: { id?: unknown }[] };
    return (input.Items ?? []).map((i) => i.id).filter((id): id is string => typeof id === 'string');
  } catch {
    return [];
  }
}

/** The function's errorMessage in a Task failure's Cause (the error payload as JSON text), else the Cause itself. */
function causeMessage(cause: string | undefined): string {
  if (!cause) return 'no cause given';
  try {
    const c = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof c.errorMessage === 'string') return c.errorMessage;
  } catch {
    // Not JSON: Step Functions' own words.
  }
  return cause.slice(0, 300);
}

/**
 * A child's output: lambda:invoke's whole result (`Payload`, `StatusCode`, `LogResult` with LogType Tail), or
 * the payload alone (a definition with `OutputPath: "$.Payload"`, as an older ProPack generated).
 */
function invokeResultOf(output: string): { payload: string; logTail?: string } {
  try {
    const o = JSON.parse(output) as { Payload?: unknown; StatusCode?: unknown; LogResult?: unknown };
    if (typeof o === 'object' && o !== null && 'Payload' in o && typeof o.StatusCode === 'number')
      return {
        payload: typeof o.Payload === 'string' ? o.Payload : JSON.stringify(o.Payload),
        ...(typeof o.LogResult === 'string' ? { logTail: o.LogResult } : {}),
      };
  } catch {
    // Not JSON: the payload alone, as the function returned it.
  }
  return { payload: output };
}

/** Retried by the engine after the Map's own retries gave up: the function did not run, or its service failed. */
const SERVICE_ERRORS: ReadonlySet<string> = new Set(RETRIED_LAMBDA_ERRORS);

/** One child execution as the outcome of one packed invocation (undefined: aborted, it never finished). */
export function entryOutcome(entry: MapResultEntry): InvokeOutcome | undefined {
  const sentAt = epochS(entry.StartDate, Date.now() / 1000);
  const receivedAt = epochS(entry.StopDate, sentAt);
  if (entry.Status === 'SUCCEEDED') {
    const r = invokeResultOf(entry.Output ?? '');
    return outcomeOfPayload(r.payload, undefined, sentAt, receivedAt, initDurationOf(r.logTail));
  }
  if (entry.Status === 'ABORTED' || entry.Status === 'PENDING') return undefined;
  const error = entry.Error ?? (entry.Status === 'TIMED_OUT' ? 'States.Timeout' : 'States.TaskFailed');
  const message = causeMessage(entry.Cause);
  if (SERVICE_ERRORS.has(error)) return { kind: 'error', message: `${error}: ${message}`, retryable: true };
  if (error === 'States.DataLimitExceeded')
    return {
      kind: 'error',
      message: `${error}: the batch's results are over Step Functions' 256 KiB state limit; return smaller results (write large ones to S3) or lower p`,
      retryable: false,
    };
  if (error === 'States.Timeout') return { kind: 'function-error', errorType: 'Sandbox.Timedout', message, sentAt, receivedAt };
  // A function error: its errorType (Step Functions' Error) and errorMessage, as Lambda reported them.
  return { kind: 'function-error', errorType: error, message, sentAt, receivedAt };
}

/** Polls of an execution on AWS (whose API is throttled per account) and on the embedded platform (ms). */
const POLL_MS = { aws: 1000, local: 250 } as const;

/** A dispatcher over a session's Step Functions and S3 clients, polling as often as its platform allows. */
export function mapDispatcherOf(
  session: Pick<Session, 'sfn' | 's3' | 'target'>,
  o: Omit<MapDispatchOptions, 'sfn' | 's3' | 'pollMs'> & { pollMs?: number },
): MapDispatcher {
  return new MapDispatcher({ sfn: session.sfn, s3: session.s3, pollMs: POLL_MS[session.target.kind], ...o });
}

/** Runs rounds of a packed run as Distributed Map executions. */
export class MapDispatcher implements RoundDispatcher {
  readonly payloadLimit: PayloadLimit;
  readonly stats: MapDispatchStats = { executions: [], children: 0 };
  private rounds = 0;
  private adopted: MapExecutionRef[];
  private readonly machines = new Map<string, string>();
  private readonly batchInput: Record<string, unknown>;

  constructor(private readonly o: MapDispatchOptions) {
    this.batchInput = packBatchInput(o.mode ? { mode: o.mode } : {});
    this.payloadLimit = MAP_PAYLOAD_LIMIT(Buffer.byteLength(JSON.stringify(this.batchInput)) + 32);
    this.adopted = [...(o.adopt ?? [])];
  }

  /** Runs one round: the executions a killed client left first, else a new execution over `tasks`. */
  async round(
    tasks: readonly TaskInput[],
    packingDegree: number,
    signal: AbortSignal,
    onProgress: (done: number, running: number) => void,
  ): Promise<RoundBatch[]> {
    const wanted = new Set(tasks.map((t) => t.id));
    const adopt = this.adopted.filter((e) => e.taskIds.some((id) => wanted.has(id)));
    this.adopted = [];
    const out: RoundBatch[] = [];
    for (const e of adopt) {
      try {
        out.push(...(await this.follow(e.executionArn, e.taskIds, signal, onProgress)));
      } catch {
        // Gone (an embedded platform that stopped with its client forgets its executions): its tasks start anew below.
      }
    }
    if (signal.aborted) return out;
    for (const b of out) for (const id of b.ids) wanted.delete(id);
    if (adopt.length > 0 && wanted.size === 0) return out;
    return [
      ...out,
      ...(await this.start(
        tasks.filter((t) => wanted.has(t.id)),
        packingDegree,
        signal,
        onProgress,
      )),
    ];
  }

  /** Starts one execution over `tasks` and follows it to its results. */
  private async start(
    tasks: readonly TaskInput[],
    packingDegree: number,
    signal: AbortSignal,
    onProgress: (done: number, running: number) => void,
  ): Promise<RoundBatch[]> {
    const wanted = tasks.map((t) => t.id);
    const round = ++this.rounds;
    // A resumed run counts its rounds from 1 again: the time keeps their folders and execution names apart.
    const part = `round-${round}-${Date.now()}`;
    const input = packedMapInput(this.o.bucket, this.o.runId, part);
    try {
      await this.o.s3.send(
        new PutObjectCommand({
          Bucket: input.items.bucket,
          Key: input.items.key,
          Body: JSON.stringify(tasks.map((t) => ({ id: t.id, payload: t.payload }))),
          ContentType: 'application/json',
        }),
        { abortSignal: signal },
      );
      const machine = await this.machine(packingDegree, tasks.length);
      const started = await this.o.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: machine,
          name: `${this.o.runId}-${part}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(-80),
          input: JSON.stringify(input),
        }),
      );
      const arn = started.executionArn as string;
      this.stats.executions.push(arn);
      this.o.onExecution?.({ executionArn: arn, taskIds: wanted });
      return await this.follow(arn, wanted, signal, onProgress);
    } catch (e) {
      if (signal.aborted) return [];
      const err = e as Error;
      const retryable = err.name !== 'AccessDeniedException' && err.name !== 'InvalidDefinition' && err.name !== 'InvalidArn';
      return [
        { ids: [...wanted], outcome: { kind: 'error', message: `Step Functions: ${err.name}: ${err.message}`.split('\n')[0], retryable } },
      ];
    }
  }

  /** The function's state machine for p (created, or updated to today's definition), by ARN. */
  private async machine(packingDegree: number, tasks: number): Promise<string> {
    const m = packedStateMachine({
      functionName: this.o.functionName,
      concurrency: Math.min(this.o.concurrency, tasks),
      packingDegree,
      accountConcurrency: this.o.accountConcurrency,
      ...(this.o.mode ? { mode: this.o.mode } : {}),
    });
    const name = m.name;
    const known = this.machines.get(name);
    if (known) return known;
    const definition = JSON.stringify(m.definition);
    let arn: string;
    try {
      const made = await this.o.sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: this.o.roleArn, type: 'STANDARD' }));
      arn = made.stateMachineArn as string;
    } catch (e) {
      if (!(e instanceof StateMachineAlreadyExists)) throw e;
      // Made by an earlier version of ProPack or with another role: bring it up to this definition.
      arn = machineArnOf(e.message) ?? (await this.arnFromExisting(name));
      await this.o.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition, roleArn: this.o.roleArn }));
    }
    this.machines.set(name, arn);
    return arn;
  }

  /** The ARN of a state machine by name: Step Functions' ARN layout with the region and account of the run's role. */
  private async arnFromExisting(name: string): Promise<string> {
    const region = await this.o.sfn.config.region();
    const account = /^arn:[^:]+:iam::(\d{12}):/.exec(this.o.roleArn)?.[1];
    if (!account) throw new Error(`state machine ${name} exists, and its ARN cannot be derived from the role ${this.o.roleArn}`);
    return `arn:aws:states:${region}:${account}:stateMachine:${name}`;
  }

  /** Follows an execution until it ends (stopping it on cancel) and reads its children back. */
  private async follow(
    arn: string,
    ids: readonly string[],
    signal: AbortSignal,
    onProgress: (done: number, running: number) => void,
  ): Promise<RoundBatch[]> {
    let mapRunArn: string | undefined;
    let stopped = false;
    let failures = 0;
    for (;;) {
      if (signal.aborted && !stopped) {
        stopped = true;
        await this.o.sfn
          .send(new StopExecutionCommand({ executionArn: arn, cause: 'cancelled by the ProPack client' }))
          .catch(() => undefined);
      }
      try {
        const ex = await this.o.sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
        if (ex.status === 'ABORTED')
          mapRunArn ??= (await this.o.sfn.send(new ListMapRunsCommand({ executionArn: arn }))).mapRuns?.[0]?.mapRunArn;
        if (ex.status === 'ABORTED' && mapRunArn) {
          // Stopped: the children in flight still finish and ResultWriter writes them once the Map Run ends.
          const run = await this.o.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
          if (run.status !== 'RUNNING') return await this.collect(arn, abortedOutput(ex.input, mapRunArn), ex.status, ids);
        } else if (ex.status !== 'RUNNING' && ex.status !== 'PENDING_REDRIVE')
          return await this.collect(arn, ex.output, ex.status, ids, ex.error, ex.cause);
        mapRunArn ??= (await this.o.sfn.send(new ListMapRunsCommand({ executionArn: arn }))).mapRuns?.[0]?.mapRunArn;
        if (mapRunArn) {
          const c = (await this.o.sfn.send(new DescribeMapRunCommand({ mapRunArn }))).itemCounts;
          if (c) onProgress((c.succeeded ?? 0) + (c.failed ?? 0) + (c.timedOut ?? 0), c.running ?? 0);
        }
        failures = 0;
      } catch (e) {
        // A lost poll (network, throttled API) is tried again; a run of them, or an unknown execution, ends the follow.
        if ((e as Error).name === 'ExecutionDoesNotExist' || ++failures > MAX_POLL_FAILURES) throw e;
      }
      // Polling is the API's only way to follow a Map Run; the cancel signal cuts the wait short.
      await abortableSleep(this.o.pollMs ?? DEFAULT_POLL_MS, stopped ? undefined : signal);
    }
  }

  /** Reads the ResultWriter manifest of a finished execution into one batch per child execution. */
  private async collect(
    arn: string,
    output: string | undefined,
    status: string | undefined,
    ids: readonly string[],
    error?: string,
    cause?: string,
  ): Promise<RoundBatch[]> {
    const details = parseOutput(output);
    if (!details) {
      if (status === 'ABORTED') return [];
      const why = `Step Functions execution ${arn.split(':').pop() ?? arn} ${status?.toLowerCase() ?? 'ended'}: ${error ?? 'no error'}: ${cause ?? 'no results were written'}`;
      return [{ ids: [...ids], outcome: { kind: 'error', message: why.split('\n')[0], retryable: true } }];
    }
    const manifest = parseResultManifest(await this.text(details.bucket, details.key));
    const out: RoundBatch[] = [];
    for (const f of [...manifest.ResultFiles.SUCCEEDED, ...manifest.ResultFiles.FAILED]) {
      for (const entry of parseResultEntries(await this.text(manifest.DestinationBucket || details.bucket, f.Key))) {
        this.stats.children++;
        const outcome = entryOutcome(entry);
        if (outcome) out.push({ ids: idsOf(entry), outcome });
      }
    }
    return out;
  }

  /** What Step Functions bills for the dispatch so far (USD): each child execution and its Task (retries inside the Map not seen). */
  costUsd(): number {
    const executions = this.stats.executions.length;
    return executions === 0 ? 0 : mapDispatchCostUsd(this.stats.children, this.stats.children, SFN_PRICE, executions);
  }

  private async text(bucket: string, key: string): Promise<string> {
    const res = await this.o.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await res.Body?.transformToString('utf8')) ?? '';
  }
}

/**
 * Where a stopped Map Run's ResultWriter put its manifest (a stopped execution has no output naming it):
 * `<results prefix>/<map run id>/manifest.json`, the prefix from the execution's input.
 */
function abortedOutput(input: string | undefined, mapRunArn: string): string | undefined {
  try {
    const results = (JSON.parse(input ?? '') as Partial<PackedMapInput>).results;
    if (typeof results?.bucket !== 'string' || typeof results.prefix !== 'string') return undefined;
    const id = mapRunArn.split(':').pop() ?? '';
    const key = `${results.prefix.replace(/\/+$/, '')}/${id}/manifest.json`.replace(/^\//, '');
    return JSON.stringify({ ResultWriterDetails: { Bucket: results.bucket, Key: key } });
  } catch {
    return undefined;
  }
}

/** Where a finished Distributed Map wrote its manifest (its output's ResultWriterDetails). */
function parseOutput(output: string | undefined): { bucket: string; key: string } | undefined {
  try {
    const o = JSON.parse(output ?? '') as { ResultWriterDetails?: { Bucket?: unknown; Key?: unknown } };
    const d = o.ResultWriterDetails;
    return typeof d?.Bucket === 'string' && typeof d.Key === 'string' ? { bucket: d.Bucket, key: d.Key } : undefined;
  } catch {
    return undefined;
  }
}

/** The ARN a StateMachineAlreadyExists message names ("State Machine Already Exists: 'arn:...'"), if any. */
function machineArnOf(message: string): string | undefined {
  return /arn:[^'"\s]+:stateMachine:[A-Za-z0-9_-]+/.exec(message)?.[0];
}

/** Lambda's default account concurrency, when the account's own cannot be read. */
const DEFAULT_ACCOUNT_CONCURRENCY = 1000;

/** The account's concurrent executions (GetAccountSettings), else Lambda's default of 1,000. */
export async function accountConcurrencyOf(lambda: LambdaClient): Promise<number> {
  try {
    const s = await lambda.send(new GetAccountSettingsCommand({}));
    return s.AccountLimit?.ConcurrentExecutions ?? DEFAULT_ACCOUNT_CONCURRENCY;
  } catch {
    // The embedded platform and restricted roles do not answer it; the Map's Retry absorbs a lower limit.
    return DEFAULT_ACCOUNT_CONCURRENCY;
  }
}
