/** What the HTML report and `summary.json` show for each benchmark or function. */
import type { Metric, Objective, Prediction, Profile } from '../core/types';

/** One measured packed execution at one packing degree. */
export interface MeasuredRun {
  packingDegree: number;
  /** Net service time (s): first dispatch until the last task ended. */
  serviceTime: number;
  p50: number;
  p90: number;
  p95: number;
  scalingTime: number;
  /** USD: every invocation billed (retries too), request fees included. */
  cost: number;
  tasks: { total: number; succeeded: number; failed: number };
  throttles: number;
  retries: number;
  /** Sorted task completion times (s since the first dispatch), for CDF charts. */
  completionTimes: number[];
  /** Present when the run's output was verified. */
  check?: { ok: boolean; checked: number; failures: string[] };
}

/** Everything the report shows for one benchmark. */
export interface BenchmarkReport {
  benchmark: string;
  title: string;
  concurrency: number;
  objective: Objective;
  metric: Metric;
  /** The profile the model was fitted to. */
  profile: Profile;
  /** ProPack's choice and the model's prediction for every candidate p at this concurrency. */
  recommended: { packingDegree: number; predicted: Prediction; candidates: Prediction[] };
  noPacking: MeasuredRun;
  /** PyWren-style baseline: no packing, asynchronous Event invocations, results collected from S3. */
  pywren?: MeasuredRun;
  propack: MeasuredRun;
  /** Measured grid of packing degrees at the same concurrency; `oracle` is its best run for the objective. */
  grid: MeasuredRun[];
  oracle: MeasuredRun;
  /** Relative regret of ProPack's choice against the oracle on the objective (0 = chose the best). */
  regret: number;
}

export interface ReportData {
  title: string;
  generatedAt: string;
  platform: string;
  benchmarks: BenchmarkReport[];
}
