/**
 * Executes C tasks packed p per invocation and accounts for every one of them. Guarantees:
 * every task ends succeeded or failed-with-reason; a task is final once (a late or repeated result is
 * counted as a duplicate and ignored); failed and not-run tasks are retried a bounded number of times in
 * new batches; 429s back off with full jitter and never consume an attempt; cancellation stops dispatch
 * at once, aborts requests in flight and fails the unfinished tasks as "cancelled".
 */
import { setMaxListeners } from 'node:events';
import { estimateClockOffset } from '../core/clock';
import { backoffMs, planBatches } from '../core/plan';
import { RetryCauseTally, summarizeRun, type InvocationRecord, type RunMetrics, type TaskOutcome } from '../core/run-metrics';
import type { Architecture } from '../core/types';
import { clockNowS } from '../core/timeline';
import { SYNC_PAYLOAD_LIMIT_BYTES, type InvokeOutcome, type PackedInvoker, type PayloadLimit } from '../platform/packed-invoker';
import { packEvent, type PackedMode } from '../runtime/protocol';
import { abortableSleep } from './poll';

export interface TaskInput {
  id: string;
  payload: unknown;
}

export interface RunProgress {
  succeeded: number;
  failed: number;
  total: number;
  inFlight: number;
  throttles: number;
}

export interface PackedRunOptions {
  invoker: PackedInvoker;
  functionName: string;
  fn: { memoryMb: number; architecture: Architecture; region: string };
  tasks: readonly TaskInput[];
  packingDegree: number;
  mode?: PackedMode;
  /** Invocations that may carry one task, first included (default 3). */
  maxAttempts?: number;
  /** 429s one batch may meet before its tasks fail (default 50). */
  maxThrottles?: number;
  /** Invocations in flight at once (default: every batch at once, as a fan-out does). */
  maxInFlight?: number;
  signal?: AbortSignal;
  onProgress?: (p: RunProgress) => void;
  /** Called once per task when it becomes final (the run journal persists these). */
  onTaskFinal?: (o: TaskOutcome) => void;
  /** Jitter source in [0, 1); seed it for reproducible runs. */
  random?: () => number;
  /** Backoff base and cap (ms). */
  backoff?: { baseMs: number; capMs: number };
  /**
   * Dispatch in rounds through a service that batches and invokes by itself (a Step Functions Distributed
   * Map) instead of one invocation per batch from here; `invoker` then only lends its timeline.
   */
  rounds?: RoundDispatcher;
}

/** One batch a round ran: the tasks it carried (by id) and what its invocation came back with. */
export interface RoundBatch {
  ids: string[];
  outcome: InvokeOutcome;
}

/** Runs every queued task once per round, batched p per invocation by the service it dispatches to. */
export interface RoundDispatcher {
  /** How large one batch may be (bytes of JSON). */
  readonly payloadLimit: PayloadLimit;
  /**
   * Runs `tasks` p per invocation and returns each batch's outcome; tasks it returns nothing for count as
   * not run. On `signal` it stops the round and returns what finished. `onProgress(done, running)` counts tasks.
   */
  round(
    tasks: readonly TaskInput[],
    packingDegree: number,
    signal: AbortSignal,
    onProgress: (done: number, running: number) => void,
  ): Promise<RoundBatch[]>;
}

export interface PackedRunResult {
  outcomes: TaskOutcome[];
  invocations: InvocationRecord[];
  metrics: RunMetrics;
  /** Results that arrived for tasks already final (ignored, never double counted). */
  duplicates: number;
  cancelled: boolean;
  /** Invocations that failed, by cause (each retried or failed-with-reason; none is lost). */
  failures: InvocationFailures;
  /** Instance-minus-client clock offset used to place instance times on the client clock (s). */
  clockOffsetS: number;
}

/** Failed invocations of a run by cause: the instance crashed, timed out, the handler failed, or the request did. */
export interface InvocationFailures {
  crashes: number;
  timeouts: number;
  functionErrors: number;
  requestErrors: number;
}

interface TaskState {
  input: TaskInput;
  /** Invocations that ran this task (not-run and throttled ones are given back). */
  attempts: number;
  /** Every dispatch, given back or not: bounds a task that is never reached before the deadline. */
  dispatches: number;
  /** Its instance crashed while it ran beside others: from then on it runs alone, so it cannot take others down. */
  solo?: boolean;
  final?: TaskOutcome;
}

interface RawInvocation {
  instanceId: string;
  cold: boolean;
  tasks: number;
  sentAt: number;
  receivedAt: number;
  startedAt?: number;
  endedAt?: number;
  /** INIT duration (s) the platform reported for this cold start; billed with the duration. */
  initS?: number;
}

/** Function errors after which the instance is gone with every task it ran (Lambda's names). */
const INSTANCE_LOST = new Set(['Runtime.ExitError', 'Runtime.OutOfMemory']);

/** The dispatch's request payload limit; Lambda's synchronous 6 MB when it names none. */
function payloadLimitOf(opts: PackedRunOptions): PayloadLimit {
  return (
    opts.rounds?.payloadLimit ??
    opts.invoker.payloadLimit ?? { maxBytes: SYNC_PAYLOAD_LIMIT_BYTES, extraBytes: 0, label: 'a synchronous invocation' }
  );
}

/** A batch queued for one invocation, with the 429s it met so far. */
interface QueuedBatch {
  tasks: TaskState[];
  throttles: number;
}

/** Every task's state and the run's counters; each method does one step of the accounting. */
class RunState {
  readonly states = new Map<string, TaskState>();
  readonly queue: QueuedBatch[] = [];
  readonly raw: RawInvocation[] = [];
  readonly failures: InvocationFailures = { crashes: 0, timeouts: 0, functionErrors: 0, requestErrors: 0 };
  readonly retryCauses = new RetryCauseTally();
  throttles = 0;
  duplicates = 0;
  finals = 0;
  failed = 0;
  inFlight = 0;
  /** Maps a client-clock epoch time (s) onto the platform's timeline (the identity but on an emulating platform). */
  readonly emulated: (epochS: number) => number;
  /** Start of the run on the platform's timeline (epoch s). */
  readonly t0: number;
  private readonly maxAttempts: number;
  private readonly maxThrottles: number;
  private readonly random: () => number;
  private readonly backoff: { baseMs: number; capMs: number };
  private readonly limit: PayloadLimit;
  /** Bytes of the packed event around the tasks (and what the invoker adds). */
  private readonly envelope: number;
  private readonly sizes = new Map<string, number>();

  constructor(private readonly opts: PackedRunOptions) {
    const timeline = opts.invoker.timeline;
    this.emulated = timeline ? (s) => timeline.emulatedMs(s * 1000) / 1000 : (s) => s;
    this.t0 = this.emulated(clockNowS(timeline));
    this.maxAttempts = opts.maxAttempts ?? 3;
    this.maxThrottles = opts.maxThrottles ?? 50;
    this.random = opts.random ?? Math.random;
    this.backoff = opts.backoff ?? { baseMs: 100, capMs: 10_000 };
    for (const t of opts.tasks) {
      if (this.states.has(t.id)) throw new RangeError(`task id "${t.id}" appears twice: every task needs its own id`);
      this.states.set(t.id, { input: t, attempts: 0, dispatches: 0 });
    }
    this.limit = payloadLimitOf(opts);
    this.envelope = Buffer.byteLength(JSON.stringify(packEvent([], opts.mode ? { mode: opts.mode } : {}))) + this.limit.extraBytes;
  }

  /** Seconds since the run started (on the platform's timeline). */
  now(): number {
    return this.emulated(clockNowS(this.opts.invoker.timeline)) - this.t0;
  }

  /** Reports the counts; `ahead` adds tasks a round finished that are not accounted yet. */
  progress(ahead = 0): void {
    this.opts.onProgress?.({
      succeeded: this.finals - this.failed + ahead,
      failed: this.failed,
      total: this.states.size,
      inFlight: this.inFlight,
      throttles: this.throttles,
    });
  }

  /** Makes a task final once; a second result for it is counted as a duplicate and ignored. */
  finish(s: TaskState, o: Omit<TaskOutcome, 'id' | 'attempts'>): void {
    if (s.final) {
      this.duplicates++;
      return;
    }
    s.final = { id: s.input.id, attempts: s.attempts, ...o };
    this.finals++;
    if (o.status === 'failed') this.failed++;
    this.opts.onTaskFinal?.(s.final);
  }

  private sizeOf(s: TaskState): number {
    let n = this.sizes.get(s.input.id);
    if (n === undefined) this.sizes.set(s.input.id, (n = Buffer.byteLength(JSON.stringify(s.input))));
    return n;
  }

  /**
   * Queues tasks in batches of p (solo tasks alone), each batch split further so its packed event fits the
   * invoker's payload limit; a task that cannot fit even alone fails at once with the reason.
   */
  enqueue(tasks: TaskState[]): void {
    const { limit, envelope } = this;
    const sendable: TaskState[] = [];
    for (const s of tasks) {
      const bytes = envelope + this.sizeOf(s);
      if (bytes > limit.maxBytes)
        this.finish(s, {
          status: 'failed',
          reason: `its packed event would be ${bytes} bytes, over the ${limit.maxBytes}-byte payload limit of ${limit.label}; pass large inputs through S3`,
          completedS: this.now(),
        });
      else sendable.push(s);
    }
    const batches = [
      ...planBatches(
        sendable.filter((s) => !s.solo),
        this.opts.packingDegree,
      ),
      ...sendable.filter((s) => s.solo).map((s) => [s]),
    ];
    for (const b of batches) {
      let cur: TaskState[] = [];
      let bytes = envelope;
      for (const s of b) {
        const add = this.sizeOf(s) + (cur.length > 0 ? 1 : 0);
        if (cur.length > 0 && bytes + add > limit.maxBytes) {
          this.queue.push({ tasks: cur, throttles: 0 });
          cur = [];
          bytes = envelope;
        }
        bytes += this.sizeOf(s) + (cur.length > 0 ? 1 : 0);
        cur.push(s);
      }
      if (cur.length > 0) this.queue.push({ tasks: cur, throttles: 0 });
    }
  }

  /**
   * Requeues tasks that may run again, in batches of p; fails those out of attempts. `counted`: the attempt
   * ran (or may have), so it is a retry for `reason`; a task given back unrun is not.
   */
  retry(tasks: TaskState[], reason: string, counted = true): void {
    const spent = (s: TaskState): boolean => s.attempts >= this.maxAttempts || s.dispatches >= this.maxAttempts * 3;
    const again = tasks.filter((s) => !s.final && !spent(s));
    if (counted) this.retryCauses.add(reason, again.length);
    for (const s of tasks)
      if (!s.final && spent(s))
        this.finish(s, { status: 'failed', reason: `${reason} (after ${s.dispatches} dispatches)`, completedS: this.now() });
    this.enqueue(again);
  }

  /** Accounts for one invocation's outcome; returns how long its worker backs off before the next (ms). */
  handle(batch: QueuedBatch, out: InvokeOutcome): number {
    switch (out.kind) {
      case 'throttled':
        return this.onThrottled(batch, out.reason);
      case 'error':
        return this.onRequestError(batch, out.message, out.retryable);
      case 'function-error':
        this.onFunctionError(batch, out);
        return 0;
      default:
        this.onResponse(batch, out);
        return 0;
    }
  }

  /** A 429: the request never ran, so its attempts are given back and it is queued again after a backoff. */
  private onThrottled(batch: QueuedBatch, reason: string): number {
    this.throttles++;
    batch.throttles++;
    if (batch.throttles > this.maxThrottles) {
      for (const s of batch.tasks)
        this.finish(s, { status: 'failed', reason: `throttled ${batch.throttles} times (${reason})`, completedS: this.now() });
      return 0;
    }
    for (const s of batch.tasks) {
      s.attempts--;
      s.dispatches--;
    }
    this.queue.push(batch);
    return backoffMs(batch.throttles, this.random(), this.backoff.baseMs, this.backoff.capMs);
  }

  /** The request itself failed: retried with backoff when the error is retryable, else its tasks fail. */
  private onRequestError(batch: QueuedBatch, message: string, retryable: boolean): number {
    this.failures.requestErrors++;
    if (!retryable) {
      for (const s of batch.tasks) this.finish(s, { status: 'failed', reason: message, completedS: this.now() });
      return 0;
    }
    this.retry(batch.tasks, message);
    return backoffMs(Math.max(...batch.tasks.map((s) => s.attempts)), this.random(), this.backoff.baseMs, this.backoff.capMs);
  }

  /** The function failed as a whole (crash, timeout, handler error): its tasks are retried. */
  private onFunctionError(batch: QueuedBatch, out: Extract<InvokeOutcome, { kind: 'function-error' }>): void {
    if (out.errorType === 'Runtime.ExitError') this.failures.crashes++;
    else if (out.errorType === 'Sandbox.Timedout') this.failures.timeouts++;
    else this.failures.functionErrors++;
    this.raw.push({
      instanceId: `unknown-${this.raw.length}`,
      cold: false,
      tasks: batch.tasks.length,
      sentAt: out.sentAt,
      receivedAt: out.receivedAt,
    });
    // One task may have killed the instance (process.exit, out of memory): which one is unknown, so each
    // runs alone from now on; the culprit then fails by itself and the others succeed.
    if (INSTANCE_LOST.has(out.errorType) && batch.tasks.length > 1) for (const s of batch.tasks) s.solo = true;
    this.retry(batch.tasks, `${out.errorType}: ${out.message}`);
  }

  /** A packed response: each task's result is final, retried, or (not run) run again. */
  private onResponse(batch: QueuedBatch, out: Extract<InvokeOutcome, { kind: 'ok' }>): void {
    const body = out.body;
    this.raw.push({
      instanceId: body.instance.id,
      cold: body.instance.cold,
      tasks: batch.tasks.length,
      sentAt: out.sentAt,
      receivedAt: out.receivedAt,
      startedAt: body.startedAt,
      endedAt: body.endedAt,
      ...(out.initS !== undefined ? { initS: out.initS } : {}),
    });
    const byId = new Map(body.tasks.map((r) => [r.id, r]));
    const again = new Map<string, TaskState[]>();
    const unrun: TaskState[] = [];
    const retryFor = (reason: string, s: TaskState): void => {
      const list = again.get(reason);
      if (list) list.push(s);
      else again.set(reason, [s]);
    };
    const completedS = this.emulated(out.receivedAt) - this.t0;
    for (const s of batch.tasks) {
      const r = byId.get(s.input.id);
      if (r?.status === 'ok') this.finish(s, { status: 'succeeded', completedS, instanceId: body.instance.id, result: r.result });
      else if (r?.status === 'error') {
        if (r.error?.retryable === false)
          this.finish(s, { status: 'failed', reason: `${r.error.type}: ${r.error.message}`, completedS, instanceId: body.instance.id });
        else if (s.attempts >= this.maxAttempts)
          this.finish(s, {
            status: 'failed',
            reason: `${r.error?.type ?? 'Error'}: ${r.error?.message ?? 'unknown'} (after ${s.attempts} attempts)`,
            completedS,
            instanceId: body.instance.id,
          });
        else retryFor(`${r.error?.type ?? 'Error'}: ${r.error?.message ?? 'unknown'}`, s);
      } else if (r?.status === 'not-run') {
        // Not run before the deadline: it never ran here, so it runs again without spending an attempt.
        s.attempts--;
        unrun.push(s);
      } else retryFor('missing from the packed response', s);
    }
    // Results for tasks this batch did not carry are ignored (and counted), never credited.
    for (const r of body.tasks) if (!batch.tasks.some((s) => s.input.id === r.id)) this.duplicates++;
    for (const [reason, tasks] of again) this.retry(tasks, reason);
    if (unrun.length > 0) this.retry(unrun, 'not run before its deadline', false);
  }
}

/**
 * The invocations on the platform's timeline: instance times mapped onto the client clock with the
 * estimated offset, then every time onto the timeline (`emulated`); billed ms each.
 */
function invocationRecords(
  raw: readonly RawInvocation[],
  t0: number,
  emulated: (epochS: number) => number,
): { invocations: InvocationRecord[]; offset: number } {
  const ran = raw.filter((r) => r.startedAt !== undefined && r.endedAt !== undefined);
  const offset = estimateClockOffset(
    ran.map((r) => ({ sentS: r.sentAt, receivedS: r.receivedAt, startS: r.startedAt as number, endS: r.endedAt as number })),
  );
  const invocations = raw.map((r) => {
    const start = emulated(r.startedAt !== undefined ? r.startedAt - offset : r.sentAt);
    const end = emulated(r.endedAt !== undefined ? r.endedAt - offset : r.receivedAt);
    return {
      instanceId: r.instanceId,
      cold: r.cold,
      tasks: r.tasks,
      sentS: emulated(r.sentAt) - t0,
      startS: start - t0,
      endS: end - t0,
      receivedS: emulated(r.receivedAt) - t0,
      // A crashed invocation reports no duration: bill the whole round trip, an upper bound. A cold start's
      // INIT is billed with it, as Lambda has done since 2025-08-01 (core/pricing.ts BILLING_RULES).
      billedMs: Math.max(1, Math.ceil((end - start + (r.initS ?? 0)) * 1000 - 1e-6)),
      ...(r.initS !== undefined ? { initS: r.initS } : {}),
    };
  });
  return { invocations, offset };
}

/**
 * Dispatches the queue with `width` workers until it is empty and nothing is in flight; a worker with an
 * empty queue waits for an in-flight invocation to settle (it may queue retries).
 */
async function dispatchAll(st: RunState, opts: PackedRunOptions, signal: AbortSignal): Promise<void> {
  const waiters: (() => void)[] = [];
  const worker = async (): Promise<void> => {
    while (!signal.aborted) {
      const batch = st.queue.shift();
      if (!batch) {
        if (st.inFlight === 0) return;
        await new Promise<void>((r) => waiters.push(r));
        continue;
      }
      const pending = batch.tasks.filter((s) => !s.final);
      if (pending.length === 0) continue;
      batch.tasks = pending;
      for (const s of pending) {
        s.attempts++;
        s.dispatches++;
      }
      st.inFlight++;
      st.progress();
      const event = packEvent(
        pending.map((s) => s.input),
        opts.mode ? { mode: opts.mode } : {},
      );
      const out = await opts.invoker.invoke(opts.functionName, event, signal);
      st.inFlight--;
      const delay = signal.aborted ? 0 : st.handle(batch, out);
      st.progress();
      for (const w of waiters.splice(0)) w();
      if (delay > 0) await abortableSleep(delay, signal);
    }
  };
  const width = Math.max(1, Math.min(opts.maxInFlight ?? st.queue.length, st.queue.length));
  await Promise.all(Array.from({ length: width }, worker));
}

/**
 * Dispatches the queue in rounds: every queued task goes to the round dispatcher at once (tasks that must
 * run alone in a round of their own at p = 1), and each batch it ran is accounted as a direct invocation
 * would be, queueing retries for the next round. A round that ran nothing ends the run.
 */
async function dispatchRounds(st: RunState, opts: PackedRunOptions, rounds: RoundDispatcher, signal: AbortSignal): Promise<void> {
  while (!signal.aborted && st.queue.length > 0) {
    const pending = st.queue.splice(0).flatMap((b) => b.tasks.filter((s) => !s.final));
    for (const group of [pending.filter((s) => !s.solo), pending.filter((s) => s.solo)]) {
      if (group.length === 0 || signal.aborted) continue;
      for (const s of group) {
        s.attempts++;
        s.dispatches++;
      }
      st.inFlight = group.length;
      st.progress();
      const p = group[0].solo ? 1 : opts.packingDegree;
      const batches = await rounds.round(
        group.map((s) => s.input),
        p,
        signal,
        (done, running) => {
          st.inFlight = running;
          st.progress(done);
        },
      );
      st.inFlight = 0;
      const inGroup = new Set(group);
      const carried = new Set<string>();
      for (const b of batches) {
        const tasks = b.ids.map((id) => st.states.get(id)).filter((s): s is TaskState => s !== undefined && inGroup.has(s));
        if (tasks.length === 0) continue;
        for (const s of tasks) carried.add(s.input.id);
        st.handle({ tasks, throttles: 0 }, b.outcome);
      }
      // A task the round returned nothing for never ran there: it goes again, unless cancelled.
      const missing = group.filter((s) => !carried.has(s.input.id) && !s.final);
      if (missing.length === group.length) {
        for (const s of missing)
          st.finish(s, {
            status: 'failed',
            reason: signal.aborted ? 'cancelled before it finished' : 'the round ran none of its tasks',
            completedS: st.now(),
          });
      } else if (!signal.aborted && missing.length > 0) st.retry(missing, 'not run in its round');
      st.progress();
    }
  }
}

/** Runs the tasks packed p per invocation; resolves when every task is final. */
export async function runPacked(opts: PackedRunOptions): Promise<PackedRunResult> {
  const st = new RunState(opts);
  const controller = new AbortController();
  // Every request in flight listens on this signal; thousands are expected, not a leak.
  setMaxListeners(0, controller.signal);
  const onAbort = (): void => controller.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) controller.abort();
  st.enqueue([...st.states.values()]);
  await (opts.rounds ? dispatchRounds(st, opts, opts.rounds, controller.signal) : dispatchAll(st, opts, controller.signal));
  opts.signal?.removeEventListener('abort', onAbort);

  const cancelled = controller.signal.aborted;
  for (const s of st.states.values())
    if (!s.final)
      st.finish(s, { status: 'failed', reason: cancelled ? 'cancelled before it finished' : 'never dispatched', completedS: st.now() });
  const { invocations, offset } = invocationRecords(st.raw, st.t0, st.emulated);
  const outcomes = opts.tasks.map((t) => st.states.get(t.id)?.final as TaskOutcome);
  return {
    outcomes,
    invocations,
    metrics: summarizeRun(outcomes, invocations, opts.fn, { throttles: st.throttles, retryCauses: st.retryCauses.list() }),
    duplicates: st.duplicates,
    cancelled,
    failures: st.failures,
    clockOffsetS: offset,
  };
}
