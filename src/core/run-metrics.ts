/** What a packed run measured: service-time order statistics, scaling time, cost, throttles, retries. */
import { invocationCostUsd, priceFor } from './pricing';
import type { Architecture } from './types';

/** Final state of one task: every task of a run ends as one of these, never missing. */
export interface TaskOutcome {
  id: string;
  status: 'succeeded' | 'failed';
  /** Why it failed (error type and message, or "not run after N attempts"). */
  reason?: string;
  /** Invocations that carried this task (1 = no retry). */
  attempts: number;
  /** Client clock, seconds after the run's first dispatch, when its final result arrived. */
  completedS: number;
  /** Instance that produced the final result. */
  instanceId?: string;
  result?: unknown;
}

/** One invocation that reached an instance (throttled requests never do, and are not billed). */
export interface InvocationRecord {
  instanceId: string;
  cold: boolean;
  tasks: number;
  /** Client clock, seconds after the first dispatch: sent, instance start/end (skew-corrected), received. */
  sentS: number;
  startS: number;
  endS: number;
  receivedS: number;
  /** Billed duration (ms), rounded up to 1 ms; init included when the platform bills it. */
  billedMs: number;
  /** INIT duration (s) the platform reported for a cold start, when it did. */
  initS?: number;
}

export interface RunMetrics {
  tasks: { total: number; succeeded: number; failed: number };
  /** Seconds from the first dispatch until the last task ended (net), and order statistics. */
  serviceTime: number;
  p50: number;
  p90: number;
  p95: number;
  /** Seconds from the first dispatch until the last instance started. */
  scalingTime: number;
  costUsd: number;
  instances: number;
  coldStarts: number;
  invocations: number;
  throttles: number;
  retries: number;
  /** Why the retried attempts failed, most frequent first. */
  retryCauses: RetryCause[];
}

/** One reason attempts of a run failed and were retried, and how many did. */
export interface RetryCause {
  reason: string;
  count: number;
}

/** Distinct reasons a run keeps; a run retrying for more counts the rest as one "other reasons" line. */
const MAX_RETRY_CAUSES = 8;

/** Counts retried attempts by reason, so a run says why it retried (not only how often). */
export class RetryCauseTally {
  private readonly counts = new Map<string, number>();
  private other = 0;

  /** Counts `n` attempts retried for `reason`. */
  add(reason: string, n = 1): void {
    if (n <= 0) return;
    const seen = this.counts.get(reason);
    if (seen !== undefined) this.counts.set(reason, seen + n);
    else if (this.counts.size < MAX_RETRY_CAUSES) this.counts.set(reason, n);
    else this.other += n;
  }

  /** The reasons, most frequent first, then the reasons past the cap together. */
  list(): RetryCause[] {
    const causes = [...this.counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
    return this.other > 0 ? [...causes, { reason: 'other reasons', count: this.other }] : causes;
  }
}

/** Merges the causes of several runs (a job's phases), most frequent first. */
export function mergeRetryCauses(lists: readonly (readonly RetryCause[] | undefined)[]): RetryCause[] {
  const tally = new RetryCauseTally();
  for (const list of lists) for (const c of list ?? []) tally.add(c.reason, c.count);
  return tally.list();
}

/** One line for logs: "12 retries (Sandbox.Timedout: … ×10; not run before the deadline ×2)". */
export function describeRetries(retries: number, causes: readonly RetryCause[] | undefined): string {
  const why = (causes ?? []).map((c) => `${c.reason} ×${c.count}`).join('; ');
  return `${retries} retries${why ? ` (${why})` : ''}`;
}

/** The k-th smallest value for quantile q (rank ceil(q·n), at least 1) of an ascending list. */
export function orderStatistic(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length - 1e-9))) - 1];
}

/** Summarizes a run: cost bills every invocation that ran (retries too), at the function's price. */
export function summarizeRun(
  outcomes: readonly TaskOutcome[],
  invocations: readonly InvocationRecord[],
  fn: { memoryMb: number; architecture: Architecture; region: string },
  counters: { throttles: number; retryCauses?: RetryCause[] },
): RunMetrics {
  const done = outcomes.map((o) => o.completedS).sort((a, b) => a - b);
  const price = priceFor(fn.region);
  let cost = 0;
  for (const inv of invocations) cost += invocationCostUsd({ durationS: inv.billedMs / 1000 }, fn.memoryMb, fn.architecture, price);
  const starts = new Map<string, number>();
  for (const inv of invocations)
    if (!starts.has(inv.instanceId) || (starts.get(inv.instanceId) as number) > inv.startS) starts.set(inv.instanceId, inv.startS);
  const succeeded = outcomes.filter((o) => o.status === 'succeeded').length;
  return {
    tasks: { total: outcomes.length, succeeded, failed: outcomes.length - succeeded },
    serviceTime: done.length > 0 ? done[done.length - 1] : 0,
    p50: orderStatistic(done, 0.5),
    p90: orderStatistic(done, 0.9),
    p95: orderStatistic(done, 0.95),
    scalingTime: starts.size > 0 ? Math.max(...starts.values()) : 0,
    costUsd: cost,
    instances: starts.size,
    coldStarts: invocations.filter((i) => i.cold).length,
    invocations: invocations.length,
    throttles: counters.throttles,
    retries: outcomes.reduce((a, o) => a + Math.max(0, o.attempts - 1), 0),
    retryCauses: counters.retryCauses ?? [],
  };
}
