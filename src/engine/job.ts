/** Runs a job (one or more fan-out phases, each after the previous) packed at p (job-phases.ts), and measures it. */
import { phaseDegrees } from '../core/job-phases';
import { mergeRetryCauses, orderStatistic } from '../core/run-metrics';
import { roundTime } from '../core/stats';
import type { FunctionConfig } from '../core/types';
import { AsyncS3Invoker } from '../platform/async-invoker';
import type { PackedMode } from '../runtime/protocol';
import { runPacked, type PackedRunResult, type RunProgress, type TaskInput } from './packed-run';
import { recycleInstances } from './recycle';
import { accountConcurrencyOf, mapDispatcherOf, type MapDispatcher } from './map-dispatch';
import type { MeasuredRun } from '../core/run-record';
import type { Session } from './session';

export type JobDispatch = 'sync' | 'async' | 'stepfunctions';

export interface JobOptions {
  session: Session;
  fn: FunctionConfig;
  /** Task payloads per phase, in run order. */
  phases: unknown[][];
  /** Tasks per invocation of the first phase; later phases spread over its instances (job-phases.ts). */
  packingDegree: number;
  mode?: PackedMode;
  /**
   * `sync`: RequestResponse invokes; `async`: Event invokes whose results the runtime writes to S3;
   * `stepfunctions`: a Distributed Map batches and invokes (map-dispatch.ts).
   */
  dispatch?: JobDispatch;
  /** Bucket for async results, and for the Map's tasks and results. */
  resultBucket?: string;
  /** The role Step Functions assumes (dispatch stepfunctions). */
  stateMachineRole?: string;
  /** Tasks in flight at once (default: every task of a phase). */
  concurrency?: number;
  /** Run id: task ids and async result keys are unique per run. */
  runId: string;
  /** Start from cold instances, as a real fan-out does (default true). */
  cold?: boolean;
  signal?: AbortSignal;
  onProgress?: (phase: string, p: RunProgress) => void;
  maxAttempts?: number;
}

export interface JobResult {
  measured: MeasuredRun;
  phases: PackedRunResult[];
  /** The packing degree each phase ran at (every phase, reached or not). */
  phaseDegrees: number[];
  cancelled: boolean;
}

/** The Map dispatch of one phase: its bucket and role from the options, the account's concurrency from Lambda. */
async function mapDispatcherFor(o: JobOptions, runId: string, tasks: number): Promise<MapDispatcher> {
  if (!o.resultBucket) throw new Error('Step Functions dispatch needs a bucket for its tasks and results');
  if (!o.stateMachineRole) throw new Error('Step Functions dispatch needs the role its state machine runs as');
  return mapDispatcherOf(o.session, {
    functionName: o.fn.name,
    bucket: o.resultBucket,
    runId,
    roleArn: o.stateMachineRole,
    concurrency: o.concurrency ?? tasks,
    accountConcurrency: await accountConcurrencyOf(o.session.lambda),
    ...(o.mode ? { mode: o.mode } : {}),
  });
}

/** Runs every phase; the job's times add up phase by phase, its cost and counts sum. */
export async function runJob(o: JobOptions): Promise<JobResult> {
  if (o.cold ?? true) await recycleInstances(o.session.lambda, o.fn.name);
  const results: PackedRunResult[] = [];
  let offset = 0;
  let scaling = 0;
  const completion: number[] = [];
  const degrees = phaseDegrees(
    o.packingDegree,
    o.phases.map((ph) => ph.length),
  );
  for (let i = 0; i < o.phases.length; i++) {
    const tasks: TaskInput[] = o.phases[i].map((payload, j) => ({ id: `${o.runId}-ph${i}-t${j}`, payload }));
    let asyncInvoker: AsyncS3Invoker | undefined;
    if (o.dispatch === 'async') {
      if (!o.resultBucket) throw new Error('asynchronous dispatch needs a result bucket');
      asyncInvoker = new AsyncS3Invoker(o.session.lambda, o.session.s3, {
        bucket: o.resultBucket,
        prefix: `propack-results/${o.runId}/ph${i}/`,
        resultTimeoutS: 900,
        ...(o.session.invoker.timeline ? { timeline: o.session.invoker.timeline } : {}),
      });
    }
    const rounds = o.dispatch === 'stepfunctions' ? await mapDispatcherFor(o, `${o.runId}-ph${i}`, tasks.length) : undefined;
    try {
      const r = await runPacked({
        invoker: asyncInvoker ?? o.session.invoker,
        ...(rounds ? { rounds } : {}),
        functionName: o.fn.name,
        fn: o.fn,
        tasks,
        packingDegree: degrees[i],
        mode: o.mode,
        signal: o.signal,
        maxAttempts: o.maxAttempts,
        onProgress: (p) => o.onProgress?.(`phase ${i + 1}/${o.phases.length}`, p),
      });
      if (rounds) r.metrics.costUsd += rounds.costUsd();
      results.push(r);
      for (const t of r.outcomes) completion.push(offset + t.completedS);
      if (i === 0) scaling = r.metrics.scalingTime;
      offset += r.metrics.serviceTime;
      if (r.cancelled) break;
    } finally {
      asyncInvoker?.close();
    }
  }
  completion.sort((a, b) => a - b);
  // Phases a cancellation never reached still count: their tasks end as failed, not as missing.
  const unreached = o.phases.slice(results.length).reduce((a, ph) => a + ph.length, 0);
  const sum = (f: (r: PackedRunResult) => number): number => results.reduce((a, r) => a + f(r), 0);
  const measured: MeasuredRun = {
    packingDegree: o.packingDegree,
    serviceTime: offset,
    p50: orderStatistic(completion, 0.5),
    p90: orderStatistic(completion, 0.9),
    p95: orderStatistic(completion, 0.95),
    scalingTime: scaling,
    cost: sum((r) => r.metrics.costUsd),
    tasks: {
      total: sum((r) => r.metrics.tasks.total) + unreached,
      succeeded: sum((r) => r.metrics.tasks.succeeded),
      failed: sum((r) => r.metrics.tasks.failed) + unreached,
    },
    throttles: sum((r) => r.metrics.throttles),
    retries: sum((r) => r.metrics.retries),
    retryCauses: mergeRetryCauses(results.map((r) => r.metrics.retryCauses)),
    completionTimes: completion.map(roundTime),
  };
  return { measured, phases: results, phaseDegrees: degrees, cancelled: results.some((r) => r.cancelled) };
}
