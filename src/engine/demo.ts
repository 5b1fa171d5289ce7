/**
 * The full ProPack pipeline for a set of workloads: deploy, prepare input, profile, fit, optimize, then
 * run no packing, PyWren-style async, ProPack's p and a grid of p at the same concurrency, check outputs,
 * store profiles and runs, and return what the report shows.
 */
import { optimize } from '../core/optimizer';
import { vcpusForMemory } from '../core/pricing';
import type { Architecture, FunctionConfig, Metric, Objective, ProfileSource } from '../core/types';
import type { PackedMode } from '../runtime/protocol';
import type { FunctionBundle } from './bundle';
import { deployFunction, LOCAL_ROLE } from './deploy';
import { runJob } from './job';
import { deleteKeysExcept, ensureBucket, listKeys } from './s3-keys';
import { oracleAndRegret } from './objective';
import { runProfileCampaign, type CampaignOptions } from './profiler';
import { profilePathFor, saveProfile } from './profile-store';
import type { MeasuredRun } from '../core/run-record';
import { recommendedOf, type MeasuredBenchmarkReport } from '../report/report-data';
import { newRunId, saveRun } from './run-store';
import type { Session } from './session';

/** A generated job: its phases' task payloads (the benchmarks' PreparedJob has this shape). */
export interface JobInput {
  phases: { name: string; payloads: unknown[] }[];
}

/** What the demo needs of a workload (the benchmarks implement it). */
export interface DemoWorkload<J extends JobInput = JobInput> {
  name: string;
  title: string;
  defaultMode: PackedMode;
  prepare(s3: Session['s3'], o: { bucket: string; prefix: string; tasks: number; seed?: number; sizes?: Record<string, number> }): Promise<J>;
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

/** What `propack demo` and the extension's "Try the Built-in Benchmarks" measure at concurrency C. */
export function demoPlan(concurrency: number): Pick<DemoOptions, 'grid' | 'profiling' | 'bucket'> {
  return {
    grid: [1, 4, 16],
    bucket: 'propack-demo',
    profiling: { scalingLevels: [...new Set([Math.min(8, concurrency), concurrency])], degrees: [1, 2, 4, 8, 16], loadedInstances: 4, repetitions: { min: 2, max: 2, targetCv: 0.05 } },
  };
}

/** Cycles a phase's payloads to `count` tasks (profiling reuses inputs; outputs are not checked there). */
function cycle(payloads: unknown[], count: number): unknown[] {
  return Array.from({ length: count }, (_, i) => payloads[i % payloads.length]);
}

/** Runs the pipeline for one workload; `progress` gets how far it is (0–1). */
export async function demoWorkload<J extends JobInput>(o: DemoOptions<J>, w: DemoWorkload<J>, progress: (fraction: number) => void = () => undefined): Promise<MeasuredBenchmarkReport> {
  const { session } = o;
  const gridDegrees = [...new Set(o.grid)].filter((p) => p > 1 && p <= o.concurrency).sort((a, b) => a - b);
  // Profiling takes about half the time; the measured runs (no packing, ProPack, PyWren, the grid) the rest.
  let runsPlanned = 3 + gridDegrees.length;
  let runsDone = 0;
  const fn: FunctionConfig = {
    name: `propack-${w.name}`,
    memoryMb: o.memoryMb,
    architecture: o.architecture,
    region: session.target.region,
    runtime: 'nodejs20.x',
    vcpus: Math.round(vcpusForMemory(o.memoryMb) * 1000) / 1000,
  };
  // One vCPU or less: tasks share one core anyway, so run them on the event loop and skip worker threads.
  const mode: PackedMode = (fn.vcpus ?? 1) <= 1 ? 'async' : w.defaultMode;
  const t0 = Date.now();
  const elapsed = (): string => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  o.log(`[${w.name}] deploying ${fn.name} (${fn.memoryMb} MB, ${fn.architecture})`);
  progress(0);
  const env = session.target.kind === 'local' ? { AWS_ENDPOINT_URL_S3: session.target.s3Endpoint } : undefined;
  await deployFunction(session.lambda, await o.bundle(w.name), {
    name: fn.name,
    memoryMb: fn.memoryMb,
    architecture: fn.architecture,
    timeoutS: 300,
    role: session.target.kind === 'local' ? LOCAL_ROLE : undefined,
    environment: env,
  });
  const prefix = `demo/${w.name}`;
  o.log(`[${w.name}] generating input (${o.concurrency} tasks) in s3://${o.bucket}/${prefix}/ (${elapsed()})`);
  progress(0.03);
  const job = await w.prepare(session.s3, { bucket: o.bucket, prefix, tasks: o.concurrency, seed: 7, sizes: o.sizes?.[w.name] });
  // Everything under the prefix now is input; anything that appears later is some run's output.
  const inputs = new Set(await listKeys(session.s3, o.bucket, `${prefix}/`));
  const first = job.phases[0].payloads;

  o.log(`[${w.name}] profiling: packing p=${o.profiling.degrees.join(',')}, scaling at C=${o.profiling.scalingLevels.join(',')} (${elapsed()})`);
  const profile = await runProfileCampaign({
    session,
    fn,
    mode,
    makeTasks: (count, round) => cycle(first, count).map((payload, i) => ({ id: `prof-${round}-${i}`, payload })),
    ...o.profiling,
    source: o.source,
    concurrencyLimit: o.concurrencyLimit,
    signal: o.signal,
    onStep: (step, fraction) => {
      o.log(`[${w.name}]   ${step}`);
      progress(0.08 + 0.47 * fraction);
    },
  });
  const choice = optimize(profile, { concurrency: o.concurrency, objective: o.objective, metric: o.metric });
  const gridOthers = gridDegrees.filter((p) => p !== choice.packingDegree);
  runsPlanned = 3 + gridOthers.length;
  profile.recommendations = [
    {
      concurrency: o.concurrency,
      objective: o.objective,
      metric: o.metric,
      model: 'fitted',
      packingDegree: choice.packingDegree,
      predicted: choice.predicted,
      baseline: choice.baseline,
      decidedAt: new Date().toISOString(),
    },
  ];
  const profilePath = profilePathFor(o.workspace, fn.name);
  saveProfile(profilePath, profile);
  o.log(`[${w.name}] model: p=${choice.packingDegree} for ${o.objective}/${o.metric} at C=${o.concurrency}; profile saved to ${profilePath} (${elapsed()})`);

  const measure = async (label: string, p: number, dispatch: 'sync' | 'async', job: JobInput): Promise<MeasuredRun> => {
    const runId = newRunId(`${w.name}-${label}`);
    const r = await runJob({
      session,
      fn,
      phases: job.phases.map((ph) => ph.payloads),
      packingDegree: p,
      mode,
      dispatch,
      resultBucket: o.bucket,
      runId,
      signal: o.signal,
    });
    saveRun(o.workspace, {
      id: runId,
      functionName: fn.name,
      createdAt: new Date().toISOString(),
      platform: o.platformLabel,
      concurrency: o.concurrency,
      dispatch,
      label,
      measured: r.measured,
      ...(label === 'propack' ? { predicted: { serviceTime: choice.predicted.serviceTime, cost: choice.predicted.cost } } : {}),
    });
    const m = r.measured;
    o.log(`[${w.name}]   ${label.padEnd(10)} p=${String(p).padEnd(3)} service ${m.serviceTime.toFixed(2)} s, cost $${m.cost.toPrecision(3)}, ${m.tasks.succeeded}/${m.tasks.total} ok (${elapsed()})`);
    if (r.cancelled) throw new Error('cancelled');
    progress(0.55 + 0.45 * (++runsDone / runsPlanned));
    return m;
  };
  /** A measured run whose outputs are verified: earlier outputs are deleted first so none can stand in. */
  const checked = async (label: string, p: number): Promise<MeasuredRun> => {
    await deleteKeysExcept(session.s3, o.bucket, `${prefix}/`, inputs);
    const m = await measure(label, p, 'sync', job);
    m.check = await w.check(session.s3, job);
    if (!m.check.ok) o.log(`[${w.name}]   output check FAILED for ${label}: ${m.check.failures.slice(0, 3).join('; ')}`);
    return m;
  };

  o.log(`[${w.name}] measuring at C=${o.concurrency}`);
  const noPacking = await checked('no-packing', 1);
  const propack = await checked('propack', choice.packingDegree);
  const pywren = await measure('pywren', 1, 'async', job);
  const grid: MeasuredRun[] = [noPacking];
  for (const p of gridOthers) {
    grid.push(await measure(`grid-p${p}`, p, 'sync', job));
  }
  grid.push(propack);
  grid.sort((a, b) => a.packingDegree - b.packingDegree);
  const { oracle, regret } = oracleAndRegret(grid, propack, o.objective, o.metric);
  return {
    benchmark: w.name,
    title: w.title,
    concurrency: o.concurrency,
    objective: o.objective,
    metric: o.metric,
    profile,
    recommended: recommendedOf(choice),
    measured: { noPacking, pywren, propack, grid, oracle, regret },
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
