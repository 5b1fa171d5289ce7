/**
 * The full ProPack pipeline for a set of workloads: deploy, prepare input, measure no packing (its first
 * phase is also the profile's scaling run at C), profile, fit, optimize, then run PyWren-style async (up
 * to C = 256 by default), ProPack's p and a grid of p at the same concurrency, check outputs, store
 * profiles and runs, and return what the report shows.
 */
import type { MeasuredPhase } from '../core/job-phases';
import { modelFor, predictJob } from '../core/predict';
import { vcpusForMemory } from '../core/pricing';
import { describeRetries } from '../core/run-metrics';
import type { Architecture, FunctionConfig, Metric, Objective, OptimizeResult, Prediction, Profile, ProfileSource } from '../core/types';
import type { PackedMode } from '../runtime/protocol';
import type { FunctionBundle } from './bundle';
import { deployFunction, LOCAL_ROLE } from './deploy';
import { deleteKeysExcept, ensureBucket, listKeys } from './s3-keys';
import { oracleAndRegret } from './objective';
import type { CampaignOptions } from './profiler';
import { profilePathFor } from './profile-store';
import type { MeasuredRun } from '../core/run-record';
import { recommendedOf, type MeasuredBenchmarkReport } from '../report/report-data';
import type { Session } from './session';
import type { JobResult } from './job';
import { measureAndRecord } from './workflow-measure';
import { profileRecommendSave, type ProfileWorkflowResult } from './workflow-profile';

/** A generated job: its phases' task payloads (the benchmarks' PreparedJob has this shape). */
export interface JobInput {
  phases: { name: string; payloads: unknown[] }[];
}

/** What the demo needs of a workload (the benchmarks implement it). */
export interface DemoWorkload<J extends JobInput = JobInput> {
  name: string;
  title: string;
  defaultMode: PackedMode;
  prepare(
    s3: Session['s3'],
    o: { bucket: string; prefix: string; tasks: number; seed?: number; sizes?: Record<string, number> },
  ): Promise<J>;
  check(s3: Session['s3'], job: J): Promise<{ ok: boolean; checked: number; failures: string[] }>;
}

export interface DemoOptions<J extends JobInput = JobInput> {
  session: Session;
  workloads: DemoWorkload<J>[];
  bundle: (name: string) => Promise<FunctionBundle>;
  concurrency: number;
  objective: Objective;
  metric: Metric;
  memoryMb: number;
  architecture: Architecture;
  /** Packing degrees measured for the oracle (ProPack's p is added). */
  grid: number[];
  /** Also measure PyWren-style async dispatch (no packing, Event invocations): C more cold instances. */
  pywren: boolean;
  bucket: string;
  /** Folder whose `.propack/` receives profiles and runs. */
  workspace: string;
  platformLabel: string;
  profiling: Pick<CampaignOptions, 'scalingLevels' | 'degrees' | 'loadedInstances' | 'repetitions'>;
  /** Input size knobs per workload name (see each workload's sizes); defaults when absent. */
  sizes?: Record<string, Record<string, number>>;
  source: Omit<ProfileSource, 'createdAt'>;
  concurrencyLimit?: number;
  signal?: AbortSignal;
  log: (line: string) => void;
  /** How far the whole demo is (0–1), after each step. */
  onProgress?: (fraction: number) => void;
}

/**
 * Widest C at which the demo measures the PyWren-style baseline unless told otherwise, and p = 4 in its
 * oracle grid: above it each of those runs starts C or C/4 more cold instances, minutes of this machine.
 */
export const PYWREN_DEFAULT_MAX_CONCURRENCY = 256;

/** What `propack demo` and the extension's "Try the Built-in Benchmarks" measure at concurrency C. */
export function demoPlan(concurrency: number): Pick<DemoOptions, 'grid' | 'profiling' | 'bucket' | 'pywren'> {
  return {
    // PyWren's baseline starts the same C cold instances as no packing, through Event invocations: at
    // ProPack's scale that is minutes of this machine for a figure close to no packing's.
    pywren: concurrency <= PYWREN_DEFAULT_MAX_CONCURRENCY,
    // The oracle and the profile reach past 16 when C allows: with 16 the largest profiled degree, a choice
    // of 16 could never show a miss above it ("regret 0%" would say nothing).
    // Far below a choice at ProPack's scale, p = 4 is left to the degrees around the choice there.
    grid: concurrency <= PYWREN_DEFAULT_MAX_CONCURRENCY ? [1, 4, 16, 32] : [1, 16, 32],
    bucket: 'propack-demo',
    profiling: {
      scalingLevels: [...new Set([Math.min(8, concurrency), concurrency])],
      degrees: [1, 2, 4, 8, 16, ...(concurrency >= 32 ? [32] : [])],
      loadedInstances: 4,
      repetitions: { min: 2, max: 2, targetCv: 0.05 },
    },
  };
}

/** Cycles a phase's payloads to `count` tasks (profiling reuses inputs; outputs are not checked there). */
function cycle(payloads: unknown[], count: number): unknown[] {
  return Array.from({ length: count }, (_, i) => payloads[i % payloads.length]);
}

/** The demo's function for a workload: its name, the demo's memory size and architecture, and their vCPUs. */
function demoFunction(o: DemoOptions, w: { name: string }): FunctionConfig {
  return {
    name: `propack-${w.name}`,
    memoryMb: o.memoryMb,
    architecture: o.architecture,
    region: o.session.target.region,
    runtime: 'nodejs20.x',
    vcpus: Math.round(vcpusForMemory(o.memoryMb) * 1000) / 1000,
  };
}

/** Deploys the workload's bundle as `fn` (on the local platform with its S3 endpoint and role). */
async function deployDemoFunction<J extends JobInput>(o: DemoOptions<J>, w: DemoWorkload<J>, fn: FunctionConfig): Promise<void> {
  const { session } = o;
  const env = session.target.kind === 'local' ? { AWS_ENDPOINT_URL_S3: session.target.s3Endpoint } : undefined;
  await deployFunction(session.lambda, await o.bundle(w.name), {
    name: fn.name,
    memoryMb: fn.memoryMb,
    architecture: fn.architecture,
    timeoutS: 300,
    role: session.target.kind === 'local' ? LOCAL_ROLE : undefined,
    environment: env,
  });
}

/** One workload's demo under way: its function, input, log line prefix and progress. */
interface DemoContext<J extends JobInput> {
  o: DemoOptions<J>;
  w: DemoWorkload<J>;
  fn: FunctionConfig;
  mode: PackedMode;
  job: J;
  prefix: string;
  /** The S3 keys under `prefix` that are input (anything else is some run's output). */
  inputs: Set<string>;
  /** Logs a line prefixed with the workload's name and ended with the time elapsed. */
  log: (line: string) => void;
  progress: (fraction: number) => void;
}

/** Profile → recommend → save for the demo's question (the profile goes to the workspace). */
async function profileDemo<J extends JobInput>(
  c: DemoContext<J>,
  coldRuns: CampaignOptions['coldRuns'],
  again?: { degrees: number[]; earlier: Profile },
): Promise<ProfileWorkflowResult> {
  const { o, fn } = c;
  const degrees = again?.degrees ?? o.profiling.degrees;
  const first = c.job.phases[0].payloads;
  const reused = new Set((coldRuns ?? []).map((r) => r.concurrency));
  const keptLevels = new Set((again?.earlier.scaling.runs ?? []).map((r) => r.concurrency));
  const levels = o.profiling.scalingLevels.filter((l) => !reused.has(l));
  const origin = (l: number): string => (keptLevels.has(l) ? `C=${l} from the first profile` : `C=${l}`);
  const scaling = [...levels.map(origin), ...[...reused].map((l) => `C=${l} from the no-packing run`)];
  const kept = new Set((again?.earlier.packing.samples ?? []).filter((s) => (s.concurrency ?? 1) === 1).map((s) => s.degree));
  const packing = degrees.filter((p) => !kept.has(p));
  const keptNote = kept.size > 0 ? ` (p=${degrees.filter((p) => kept.has(p)).join(',')} and the loads from the first profile)` : '';
  c.log(`profiling: packing p=${packing.join(',')}${keptNote}, scaling at ${scaling.join(' and ')}`);
  return profileRecommendSave({
    session: o.session,
    fn,
    mode: c.mode,
    makeTasks: (count, round) => cycle(first, count).map((payload, i) => ({ id: `prof-${round}-${i}`, payload })),
    ...o.profiling,
    degrees,
    coldRuns,
    ...(again ? { earlier: again.earlier } : {}),
    source: o.source,
    concurrencyLimit: o.concurrencyLimit,
    signal: o.signal,
    onStep: (step, fraction) => {
      o.log(`[${c.w.name}]   ${step}`);
      // A second campaign (profiling past the top degree) keeps the bar where the first left it.
      if (!again) c.progress(0.12 + 0.43 * fraction);
    },
    question: { concurrency: o.concurrency, objective: o.objective, metric: o.metric },
    path: profilePathFor(o.workspace, fn.name),
  });
}

/** A job of several phases: each one's service time and the degree it ran at, for the run's log line. */
function phaseBreakdown(job: JobInput, result: JobResult): string {
  if (result.phases.length <= 1) return '';
  const parts = result.phases.map((r, i) => `${job.phases[i].name} ${r.metrics.serviceTime.toFixed(2)} s at p=${result.phaseDegrees[i]}`);
  return ` (${parts.join(', ')})`;
}

/** Measures one run at C and logs it; `checked` runs have their outputs verified (earlier outputs deleted first). */
function demoRunner<J extends JobInput>(c: DemoContext<J>) {
  const { o, w, fn } = c;
  const measure = async (
    label: string,
    p: number,
    dispatch: 'sync' | 'async',
    predicted?: OptimizeResult['predicted'],
  ): Promise<{ m: MeasuredRun; result: JobResult }> => {
    const { record, result } = await measureAndRecord({
      session: o.session,
      fn,
      functionName: fn.name,
      label,
      phases: c.job.phases.map((ph) => ph.payloads),
      packingDegree: p,
      mode: c.mode,
      dispatch,
      resultBucket: o.bucket,
      workspace: o.workspace,
      platformLabel: o.platformLabel,
      concurrency: o.concurrency,
      predicted,
      signal: o.signal,
    });
    const m = record.measured;
    c.log(
      `  ${label.padEnd(10)} p=${String(p).padEnd(3)} service ${m.serviceTime.toFixed(2)} s, cost $${m.cost.toPrecision(3)}, ${m.tasks.succeeded}/${m.tasks.total} ok` +
        (m.retries > 0 ? `, ${describeRetries(m.retries, m.retryCauses)}` : '') +
        phaseBreakdown(c.job, result),
    );
    return { m, result };
  };
  const checked = async (
    label: string,
    p: number,
    predicted?: OptimizeResult['predicted'],
  ): Promise<{ m: MeasuredRun; result: JobResult }> => {
    await deleteKeysExcept(o.session.s3, o.bucket, `${c.prefix}/`, c.inputs);
    const run = await measure(label, p, 'sync', predicted);
    run.m.check = await w.check(o.session.s3, c.job);
    if (!run.m.check.ok) o.log(`[${w.name}]   output check FAILED for ${label}: ${run.m.check.failures.slice(0, 3).join('; ')}`);
    return run;
  };
  return { measure, checked };
}

/** The measured runs at C after the profile: ProPack's p (outputs checked), PyWren-style async, the grid. */
async function measureDemo<J extends JobInput>(
  c: DemoContext<J>,
  choice: OptimizeResult,
  noPacking: MeasuredRun,
): Promise<MeasuredBenchmarkReport['measured']> {
  const { o } = c;
  const { measure, checked } = demoRunner(c);
  const gridOthers = gridDegreesOf(o, choice.packingDegree).filter((p) => p !== choice.packingDegree);
  const runsPlanned = (o.pywren ? 2 : 1) + gridOthers.length;
  let runsDone = 0;
  const step = (m: MeasuredRun): MeasuredRun => {
    c.progress(0.55 + 0.45 * (++runsDone / runsPlanned));
    return m;
  };
  c.log(`measuring at C=${o.concurrency}`);
  const propack = step((await checked('propack', choice.packingDegree, choice.predicted)).m);
  const pywren = o.pywren ? step((await measure('pywren', 1, 'async')).m) : undefined;
  const grid: MeasuredRun[] = [noPacking];
  for (const p of gridOthers) grid.push(step((await measure(`grid-p${p}`, p, 'sync')).m));
  grid.push(propack);
  grid.sort((a, b) => a.packingDegree - b.packingDegree);
  const { oracle, regret } = oracleAndRegret(grid, propack, o.objective, o.metric);
  return { noPacking, ...(pywren ? { pywren } : {}), propack, grid, oracle, regret };
}

/** Fewest distinct packing degrees the demo's oracle grid measures (no packing and the choice included). */
export const ORACLE_GRID_DEGREES = 8;

/**
 * The oracle grid's packing degrees besides no packing, ascending: the plan's grid, then degrees around and
 * beyond the choice (2p, ½p, p ± 1, 1½p, ¾p, 4p, each at most C) until the grid, with no packing and
 * the choice, holds ORACLE_GRID_DEGREES (or every p up to C). So "regret 0%" can show a miss on both sides.
 */
export function gridDegreesOf(o: Pick<DemoOptions, 'grid' | 'concurrency'>, choice: number): number[] {
  const ok = (p: number): boolean => Number.isInteger(p) && p >= 1 && p <= o.concurrency;
  const degrees = new Set([1, choice, ...o.grid].filter(ok));
  const near = [2 * choice, Math.floor(choice / 2), choice + 1, choice - 1, Math.ceil(choice * 1.5), Math.floor(choice * 0.75), 4 * choice];
  for (const p of near) if (degrees.size < ORACLE_GRID_DEGREES && ok(p)) degrees.add(p);
  for (let p = 2; degrees.size < Math.min(ORACLE_GRID_DEGREES, o.concurrency) && p <= o.concurrency; p++) degrees.add(p);
  return [...degrees].filter((p) => p > 1).sort((a, b) => a - b);
}

/**
 * The choice's predictions for the whole job the demo measures: a job of several phases (sort's map, then
 * its reduce) packs its later phases over the first one's instances (job-phases.ts), so its predicted
 * times and costs add up phase by phase; a later phase that `measured` (the no-packing run) ran at the same
 * degree counts as measured. The choice itself stays the single fan-out's (the profile's tasks are the
 * first phase's).
 */
export function wholeJob(
  profile: Profile,
  choice: OptimizeResult,
  job: JobInput,
  measured: readonly (MeasuredPhase | undefined)[] = [],
): OptimizeResult {
  const counts = job.phases.map((ph) => ph.payloads.length);
  if (counts.length <= 1) return choice;
  const model = modelFor(profile, choice.model);
  const of = (p: Prediction): Prediction =>
    predictJob(
      model,
      counts,
      {
        packingDegree: p.packingDegree,
        metric: choice.metric,
        ...(p.dispatchCost !== undefined ? { dispatch: 'stepfunctions' as const } : {}),
      },
      measured,
    ) ?? p;
  return {
    ...choice,
    predicted: of(choice.predicted),
    baseline: of(choice.baseline),
    candidates: choice.candidates.map(of),
    pareto: choice.pareto.map(of),
  };
}

/** A job run's phases as measured, each at the degree it ran at (failed phases are not a measurement). */
export function measuredPhasesOf(result: JobResult): (MeasuredPhase | undefined)[] {
  return result.phases.map((r, i) =>
    r.metrics.tasks.failed > 0 || r.cancelled ? undefined : { ...r.metrics, packingDegree: result.phaseDegrees[i] },
  );
}

/** Runs the pipeline for one workload; `progress` gets how far it is (0–1). */
export async function demoWorkload<J extends JobInput>(
  o: DemoOptions<J>,
  w: DemoWorkload<J>,
  progress: (fraction: number) => void = () => undefined,
): Promise<MeasuredBenchmarkReport> {
  const fn = demoFunction(o, w);
  // One vCPU or less: tasks share one core anyway, so run them on the event loop and skip worker threads.
  const mode: PackedMode = (fn.vcpus ?? 1) <= 1 ? 'async' : w.defaultMode;
  const t0 = Date.now();
  // Steps that take time end with the time elapsed since the workload began.
  const log = (line: string): void => o.log(`[${w.name}] ${line} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  o.log(`[${w.name}] deploying ${fn.name} (${fn.memoryMb} MB, ${fn.architecture})`);
  progress(0);
  await deployDemoFunction(o, w, fn);
  const prefix = `demo/${w.name}`;
  log(`generating input (${o.concurrency} tasks) in s3://${o.bucket}/${prefix}/`);
  progress(0.03);
  const job = await w.prepare(o.session.s3, { bucket: o.bucket, prefix, tasks: o.concurrency, seed: 7, sizes: o.sizes?.[w.name] });
  // Everything under the prefix now is input; anything that appears later is some run's output.
  const inputs = new Set(await listKeys(o.session.s3, o.bucket, `${prefix}/`));
  const c: DemoContext<J> = { o, w, fn, mode, job, prefix, inputs, log, progress };
  // No packing first, on the fresh deployment's cold instances: its first phase is also the profile's
  // scaling run at C, which the campaign would otherwise measure again (C more cold starts).
  log(`measuring no packing at C=${o.concurrency}`);
  const noPacking = await demoRunner(c).checked('no-packing', 1);
  progress(0.12);
  const coldRuns = [{ concurrency: o.concurrency, result: noPacking.result.phases[0] }];
  let { profile, choice, path } = await profileDemo(c, coldRuns);
  // A choice at the top of the profiled degrees may not be the best: profile past it before recommending.
  const top = Math.max(...o.profiling.degrees);
  if (choice.edge && choice.edge.suggestedDegrees.some((d) => d > top)) {
    log(
      `p=${choice.packingDegree} is at the top of the profiled degrees: profiling again up to p=${Math.max(...choice.edge.suggestedDegrees)}`,
    );
    // What the first profile measured is kept: only the new degrees run, on one instance.
    const again = { degrees: choice.edge.suggestedDegrees, earlier: profile };
    ({ profile, choice, path } = await profileDemo(c, coldRuns, again));
  }
  log(`model: p=${choice.packingDegree} for ${o.objective}/${o.metric} at C=${o.concurrency}; profile saved to ${path}`);
  choice = wholeJob(profile, choice, job, measuredPhasesOf(noPacking.result));
  const measured = await measureDemo(c, choice, noPacking.m);
  return {
    benchmark: w.name,
    title: w.title,
    concurrency: o.concurrency,
    objective: o.objective,
    metric: o.metric,
    profile,
    recommended: recommendedOf(choice),
    measured,
  };
}

/** Runs every workload in turn. */
export async function runDemo<J extends JobInput>(o: DemoOptions<J>): Promise<MeasuredBenchmarkReport[]> {
  await ensureBucket(o.session.s3, o.bucket);
  const out: MeasuredBenchmarkReport[] = [];
  for (const [i, w] of o.workloads.entries()) out.push(await demoWorkload(o, w, (f) => o.onProgress?.((i + f) / o.workloads.length)));
  o.onProgress?.(1);
  return out;
}
