/** What the HTML report, `summary.json` and the editor's report panel show for each benchmark or function. */
import type { MeasuredRun } from '../core/run-record';
import type { DegreeEdge, Metric, ModelKind, Objective, OptimizeResult, Prediction, Profile } from '../core/types';

/**
 * What was measured at the report's concurrency. A report has all of it or none of it: a model-only report
 * (a profile whose function has not run yet) leaves it out, so every reader must handle its absence.
 */
export interface MeasuredResults {
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

/** Everything the report shows for one benchmark. */
export interface BenchmarkReport {
  benchmark: string;
  title: string;
  concurrency: number;
  objective: Objective;
  metric: Metric;
  /** The profile the model was fitted to. */
  profile: Profile;
  /** The model that chose p and whose curves the report draws; fitted when absent. */
  model?: ModelKind;
  /**
   * ProPack's choice and the model's prediction for every candidate p at this concurrency; `baseline` is the
   * model's no-packing (p = 1) prediction.
   */
  recommended: { packingDegree: number; predicted: Prediction; baseline: Prediction; candidates: Prediction[]; edge?: DegreeEdge };
  /** Absent in a model-only report: every number shown is then the model's prediction. */
  measured?: MeasuredResults;
  /** The recommendation as a Step Functions Distributed Map, for users who deploy their own pipelines. */
  stepFunctions?: StepFunctionsExport;
}

/** A recommendation's Distributed Map: its ASL (JSON text) and a SAM resource declaring it (YAML text). */
export interface StepFunctionsExport {
  stateMachineName: string;
  asl: string;
  sam: string;
}

/** The report's `recommended` part from the optimizer's answer at the report's concurrency. */
export function recommendedOf(r: OptimizeResult): BenchmarkReport['recommended'] {
  return {
    packingDegree: r.packingDegree,
    predicted: r.predicted,
    baseline: r.baseline,
    candidates: r.candidates,
    ...(r.edge ? { edge: r.edge } : {}),
  };
}

/** Fewest distinct packing degrees a measured grid needs before its best run may be called an oracle. */
export const ORACLE_MIN_DEGREES = 3;

/** The grid's distinct measured packing degrees, ascending. */
export function gridDegrees(m: MeasuredResults): number[] {
  return [...new Set(m.grid.map((r) => r.packingDegree))].sort((a, b) => a - b);
}

/**
 * Whether the grid's best run is an oracle: only a grid of several degrees can show that ProPack missed a
 * better p. The best of no packing and ProPack's own p is a comparison, not an oracle.
 */
export function hasOracle(m: MeasuredResults): boolean {
  return gridDegrees(m).length >= ORACLE_MIN_DEGREES;
}

/** How a report names the grid's best run: "oracle (best measured)", or "best measured (only p=1, 8 run)". */
export function bestMeasuredLabel(m: MeasuredResults): string {
  return hasOracle(m) ? 'oracle (best measured)' : `best measured (only p=${gridDegrees(m).join(', ')} run; not an oracle)`;
}

/**
 * ReportData.platform of a report without runs: nothing ran, so it names where the profile came from (and
 * the platform, when not Lambda: "model only (profile from artifact, funcX endpoint, 96 workers; modelled)").
 */
export function modelOnlyPlatform(profile: Profile): string {
  const pl = profile.source.platform;
  const where = pl ? `, funcX endpoint, ${pl.workers} worker${pl.workers === 1 ? '' : 's'}` : '';
  return `model only (profile from ${profile.source.kind}${where}${profile.source.modelled ? '; modelled' : ''})`;
}

/** A benchmark whose runs were measured (the demo always measures them). */
export type MeasuredBenchmarkReport = BenchmarkReport & { measured: MeasuredResults };

export interface ReportData {
  title: string;
  generatedAt: string;
  platform: string;
  benchmarks: BenchmarkReport[];
}
