/**
 * One Map Run of the packed-run Distributed Map: reads the items, batches them, runs at most MaxConcurrency
 * child executions at once (each one lambda:invoke Task, sfn-child.ts), stops early when the tolerated
 * failures are exceeded or the execution is stopped, and writes the results (sfn-result-writer.ts).
 * Dates are real epoch ms; clients map them onto the platform's emulated timeline themselves.
 */
import { randomUUID } from 'node:crypto';
import type { EmulatedClock } from './emulated-clock';
import { childExecutionArn, childStateMachineArn, mapRunArn } from './sfn-arns';
import { runChild, type ChildContext, type SyncInvoke } from './sfn-child';
import type { MapRunPlan } from './sfn-definition';
import { batchItems, readItems, type MapFailure } from './sfn-items';
import { writeResults, type ResultEntry } from './sfn-result-writer';
import type { SignedS3 } from './s3-signed';
import { mapLocations, type PackedMapInput } from '../core/step-functions';

/** What a Map Run uses of the platform. */
export interface MapRunDeps {
  invoke: SyncInvoke;
  s3: SignedS3;
  clock: EmulatedClock;
  /** Multiplies Retry's delays (the platform's timeScale). */
  timeScale: number;
  /** Uniform [0, 1): Retry's jitter (a seeded stream). */
  random: () => number;
}

/** Counts of DescribeMapRun's itemCounts and executionCounts. */
export interface MapRunCounts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  total: number;
  resultsWritten: number;
  failuresNotRedrivable: number;
  pendingRedrive: number;
}

/** How a Map Run ended: its status, and the Map state's output (SUCCEEDED) or error and cause. */
export type MapRunEnd =
  | { status: 'SUCCEEDED'; output: string }
  | { status: 'FAILED'; error: string; cause: string }
  | { status: 'ABORTED'; error?: string; cause?: string };

type Tally = Omit<MapRunCounts, 'failuresNotRedrivable' | 'pendingRedrive'>;

const zero = (): Tally => ({ pending: 0, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, total: 0, resultsWritten: 0 });

/** One Map Run; it starts at construction and `ended` resolves (never rejects) when its results are written. */
export class MapRun {
  readonly id = randomUUID();
  readonly arn: string;
  /** Real epoch ms. */
  readonly startMs = Date.now();
  stopMs: number | undefined;
  status: 'RUNNING' | MapRunEnd['status'] = 'RUNNING';
  readonly ended: Promise<MapRunEnd>;
  private readonly items = zero();
  private readonly executions = zero();
  /** Why no further child starts: the execution was stopped, or the tolerated failures were exceeded. */
  private halt: 'stopped' | 'threshold' | undefined;
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly deps: MapRunDeps,
    readonly machine: string,
    readonly executionArn: string,
    readonly plan: MapRunPlan,
    /** The execution input: where the items and results are when the definition takes them from it. */
    private readonly input: string,
  ) {
    this.arn = mapRunArn(machine, plan.label, this.id);
    this.ended = this.run()
      .catch((e: unknown): MapRunEnd => ({
        status: 'FAILED',
        error: 'States.Runtime',
        cause: `The ProPack local platform failed running the Map: ${e instanceof Error ? e.message : String(e)}`,
      }))
      .then((end) => {
        this.status = end.status;
        this.stopMs = Date.now();
        return end;
      });
  }

  /** The state machine the children run. */
  get childMachineArn(): string {
    return childStateMachineArn(this.machine, this.plan.label);
  }

  /** DescribeMapRun's itemCounts (per item) and executionCounts (per child execution). */
  counts(): { itemCounts: MapRunCounts; executionCounts: MapRunCounts } {
    const full = (t: Tally): MapRunCounts => ({ ...t, failuresNotRedrivable: t.failed + t.timedOut + t.aborted, pendingRedrive: 0 });
    return { itemCounts: full(this.items), executionCounts: full(this.executions) };
  }

  /** StopExecution: no child starts any more; children in flight finish their invocation and count as aborted. */
  stop(): void {
    this.halt ??= 'stopped';
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.wakers]) w();
  }

  private async run(): Promise<MapRunEnd> {
    const { spec } = this.plan;
    let where: PackedMapInput;
    try {
      where = mapLocations(spec, this.input);
    } catch (e) {
      return { status: 'FAILED', error: 'States.Runtime', cause: `The Map's locations: ${(e as Error).message}` };
    }
    const items = await readItems(this.deps.s3, where.items.bucket, where.items.key);
    if (!Array.isArray(items)) return this.halt ? { status: 'ABORTED' } : { status: 'FAILED', ...items };
    const batches = batchItems(items, spec.packingDegree, spec.maxInputBytesPerBatch ?? Infinity);
    if (!Array.isArray(batches)) return { status: 'FAILED', ...(batches as MapFailure) };
    Object.assign(this.items, { total: items.length, pending: items.length });
    Object.assign(this.executions, { total: batches.length, pending: batches.length });
    const entries: (ResultEntry | undefined)[] = new Array<ResultEntry | undefined>(batches.length);
    let next = 0; // stopped while the items were read: no child starts, and the (empty) results are still written
    const worker = async (): Promise<void> => {
      while (!this.halt && next < batches.length) {
        const i = next++;
        entries[i] = await this.child(batches[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(spec.maxConcurrency, batches.length) }, worker));
    const written = entries.filter((e): e is ResultEntry => e !== undefined);
    let key: string;
    try {
      key = await writeResults(this.deps.s3, where.results, { arn: this.arn, id: this.id }, written);
    } catch (e) {
      return { status: 'FAILED', error: 'States.ResultWriterFailed', cause: `Writing the Map Run's results: ${(e as Error).message}` };
    }
    this.executions.resultsWritten = written.length;
    this.items.resultsWritten = entries.reduce((n, e, i) => n + (e ? batches[i].length : 0), 0);
    if (this.halt === 'stopped') return { status: 'ABORTED' };
    if (this.halt === 'threshold')
      return {
        status: 'FAILED',
        error: 'States.ExceedToleratedFailureThreshold',
        cause: 'The specified tolerated failure threshold was exceeded',
      };
    return {
      status: 'SUCCEEDED',
      output: JSON.stringify({ MapRunArn: this.arn, ResultWriterDetails: { Bucket: where.results.bucket, Key: key } }),
    };
  }

  /** Runs one child execution on `batch`; its ResultWriter entry. */
  private async child(batch: unknown[]): Promise<ResultEntry> {
    const id = randomUUID();
    const startMs = Date.now();
    const n = batch.length;
    move(this.items, 'pending', 'running', n);
    move(this.executions, 'pending', 'running', 1);
    const input = JSON.stringify({ Items: batch, ...(this.plan.batchInput ? { BatchInput: this.plan.batchInput } : {}) });
    const ctx: ChildContext = {
      invoke: this.deps.invoke,
      functionRef: this.plan.spec.functionName,
      retry: this.plan.spec.retry ?? [],
      output: this.plan.payloadOnly ? 'payload' : this.plan.spec.logType === 'Tail' ? 'result-with-log' : 'result',
      wait: (ms) => this.wait(ms),
      stopped: () => this.halt !== undefined,
      random: this.deps.random,
      timeScale: this.deps.timeScale,
    };
    const outcome = await runChild(ctx, input);
    // A child still in flight when the run halted is aborted, whatever its invocation answered.
    const status = this.halt ? 'ABORTED' : outcome.status;
    const key = status === 'SUCCEEDED' ? 'succeeded' : status === 'FAILED' ? 'failed' : 'aborted';
    move(this.items, 'running', key, n);
    move(this.executions, 'running', key, 1);
    if (status === 'FAILED' && this.exceeded()) {
      this.halt = 'threshold';
      this.wake();
    }
    return {
      ExecutionArn: childExecutionArn(this.machine, this.plan.label, id),
      Input: input,
      InputDetails: { Included: true },
      Name: id,
      ...(status === 'SUCCEEDED' && outcome.status === 'SUCCEEDED' ? { Output: outcome.output, OutputDetails: { Included: true } } : {}),
      RedriveCount: 0,
      RedriveStatus: 'NOT_REDRIVABLE',
      StartDate: new Date(startMs).toISOString(),
      StateMachineArn: this.childMachineArn,
      Status: status,
      StopDate: new Date().toISOString(),
      ...(status === 'FAILED' && outcome.status === 'FAILED' ? { Error: outcome.error, Cause: outcome.cause } : {}),
    };
  }

  /**
   * Whether the failed items pass the tolerated failures: with neither field set none is tolerated; with
   * both, passing either fails the Map Run.
   */
  private exceeded(): boolean {
    const { toleratedFailurePercentage: pct, toleratedFailureCount: count } = this.plan;
    const failed = this.items.failed + this.items.timedOut;
    if (pct === undefined && count === undefined) return failed > 0;
    if (count !== undefined && failed > count) return true;
    return pct !== undefined && (failed * 100) / this.items.total > pct;
  }

  /** Waits `ms` of emulated time; false (at once) when the run halts meanwhile. */
  private wait(ms: number): Promise<boolean> {
    if (this.halt) return Promise.resolve(false);
    const timer = this.deps.clock.after(ms);
    return new Promise<boolean>((resolve) => {
      const wake = (): void => {
        this.wakers.delete(wake);
        timer.cancel();
        resolve(false);
      };
      this.wakers.add(wake);
      void timer.done.then(() => {
        this.wakers.delete(wake);
        resolve(!this.halt);
      });
    });
  }
}

function move(t: Tally, from: keyof Tally, to: keyof Tally, n: number): void {
  t[from] -= n;
  t[to] += n;
}
