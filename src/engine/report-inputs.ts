/**
 * Runs → report data, written once for both front ends: `propack report` and the editor's Export Report read
 * the workspace's run files through here, so both check them alike and build the same report from them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { optimize } from '../core/optimizer';
import { runRecordProblem, type MeasuredRun, type RunRecord } from '../core/run-record';
import type { Constraints, Metric, ModelKind, Objective, Profile, Weights } from '../core/types';
import { modelOnlyPlatform, recommendedOf, type MeasuredResults, type ReportData } from '../report/report-data';
import { stepFunctionsExport } from './state-machine';
import { oracleAndRegret } from './objective';
import { listRuns, RUNS_DIR } from './run-store';

/** The record in a run file's `text`; throws one line naming the file (`name`) and what is wrong. */
export function parseRunFile(name: string, text: string): RunRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`run file ${name} is not JSON: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`, { cause: e });
  }
  const problem = runRecordProblem(value);
  if (problem) throw new Error(`run file ${name} is not a run record: ${problem}`);
  return value as RunRecord;
}

/** Every run file of `workspace`, newest first; throws one line at the first file that is not a run record. */
export function readRunFiles(workspace: string): RunRecord[] {
  return listRuns(workspace).map((f) => parseRunFile(join(RUNS_DIR, f), readFileSync(join(workspace, RUNS_DIR, f), 'utf8')));
}

/** The question a report answers; without a concurrency, the runs' (else the profile's) decides it. */
export interface ReportQuestion {
  concurrency?: number;
  objective: Objective;
  metric: Metric;
  model?: ModelKind;
  weights?: Weights;
  constraints?: Constraints;
}

/** What `reportInputs` found besides the report data. */
export interface ReportInputs {
  data: ReportData;
  /** The measured ProPack run the report shows, when there is one at the report's C. */
  measuredRun?: RunRecord;
  /** Concurrencies (newest first) of the function's runs left out because they are at another C. */
  otherRunsAt: number[];
}

const newestFirst = (runs: readonly RunRecord[]): RunRecord[] => [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

/** The C of `functionName`'s latest ProPack run when a no-packing run was made there too (a report can compare them), else undefined. */
export function measuredConcurrency(runs: readonly RunRecord[], functionName: string): number | undefined {
  const mine = newestFirst(runs.filter((r) => r.functionName === functionName));
  const c = mine.find((r) => r.label === 'propack')?.concurrency;
  return c !== undefined && mine.some((r) => r.label === 'no-packing' && r.concurrency === c) ? c : undefined;
}

/** A model-only report's C: the profile's latest recommendation's, else its largest profiled concurrency. */
export function defaultReportConcurrency(profile: Profile): number {
  const rec = profile.recommendations?.[profile.recommendations.length - 1];
  return rec?.concurrency ?? Math.max(1, ...profile.scaling.runs.map((r) => r.concurrency));
}

/**
 * What was measured at `concurrency` from one function's runs (newest first): the latest ProPack and
 * no-packing runs, the grid of every synchronous run there (the newest per degree), its oracle and ProPack's
 * regret. The PyWren-style run is included whenever one was made at that C, in both front ends: it is a
 * measurement the user paid for, the report has a row and a CDF for it, and it stays out of the grid because
 * its dispatch (asynchronous, results through S3) is not one of the packing degrees being compared.
 */
function measuredAt(
  runs: readonly RunRecord[],
  concurrency: number,
  objective: Objective,
  metric: Metric,
): { run: RunRecord; measured: MeasuredResults } | undefined {
  const atC = runs.filter((r) => r.concurrency === concurrency);
  const latest = (label: string): RunRecord | undefined => atC.find((r) => r.label === label);
  const propack = latest('propack');
  const noPacking = latest('no-packing');
  if (!propack || !noPacking) return undefined;
  const byDegree = new Map<number, MeasuredRun>();
  // Oldest first, so the newest run of each degree is the one kept.
  for (const r of [...atC].reverse()) if (r.dispatch === 'sync') byDegree.set(r.measured.packingDegree, r.measured);
  byDegree.set(1, noPacking.measured);
  byDegree.set(propack.measured.packingDegree, propack.measured);
  const grid = [...byDegree.values()].sort((a, b) => a.packingDegree - b.packingDegree);
  const { oracle, regret } = oracleAndRegret(grid, propack.measured, objective, metric);
  const pywren = latest('pywren')?.measured;
  return {
    run: propack,
    measured: { noPacking: noPacking.measured, ...(pywren ? { pywren } : {}), propack: propack.measured, grid, oracle, regret },
  };
}

/**
 * The report of `profile` answering `question`, with its function's runs at the report's C (from `runs`, any
 * function's, in any order); without a ProPack and a no-packing run there, a model-only report. Throws the
 * optimizer's RangeError when the profile cannot answer the question.
 */
export function reportInputs(
  profile: Profile,
  runs: readonly RunRecord[],
  question: ReportQuestion,
  generatedAt = new Date().toISOString(),
): ReportInputs {
  const name = profile.function.name;
  const mine = newestFirst(runs.filter((r) => r.functionName === name));
  const concurrency = question.concurrency ?? measuredConcurrency(mine, name) ?? defaultReportConcurrency(profile);
  const { objective, metric, model, weights, constraints } = question;
  const choice = optimize(profile, { concurrency, objective, metric, model, weights, constraints });
  const found = measuredAt(mine, concurrency, objective, metric);
  const otherRunsAt = [
    ...new Set(
      mine.filter((r) => r.concurrency !== concurrency && (r.label === 'propack' || r.label === 'no-packing')).map((r) => r.concurrency),
    ),
  ];
  const data: ReportData = {
    title: found ? `ProPack report: ${name}` : `ProPack report (model only): ${name}`,
    generatedAt,
    platform: found?.run.platform ?? modelOnlyPlatform(profile),
    benchmarks: [
      {
        benchmark: name,
        title: name,
        concurrency,
        objective,
        metric,
        profile,
        model: choice.model,
        recommended: recommendedOf(choice),
        ...(found ? { measured: found.measured } : {}),
        stepFunctions: stepFunctionsExport(name, concurrency, choice.packingDegree),
      },
    ],
  };
  return { data, ...(found ? { measuredRun: found.run } : {}), otherRunsAt };
}
