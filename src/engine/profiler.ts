/**
 * A profiling campaign: the packing profile (one warm instance at each p up to n_max, repeated until the
 * coefficient of variation is at most the target; and at moderate concurrency, since storage-bound jobs
 * slow down under load), then the scaling profile (cold no-packing fan-outs at several widths). All times
 * are on the client's clock: instance timestamps are mapped with the estimated clock offset.
 */
import { coefficientOfVariation, mean, median, roundTime, sampleOrderStatistics } from '../core/stats';
import { PROFILE_SCHEMA, type FunctionConfig, type PackingSample, type Profile, type ProfileSource, type ScalingRun } from '../core/types';
import type { PackedMode } from '../runtime/protocol';
import { runPacked, type PackedRunResult, type RoundDispatcher, type TaskInput } from './packed-run';
import { recycleInstances } from './recycle';
import type { Session } from './session';

export interface CampaignOptions {
  session: Session;
  fn: FunctionConfig;
  /** `count` task payloads; `round` differs per run so outputs of different runs never collide. */
  makeTasks: (count: number, round: number) => TaskInput[];
  mode?: PackedMode;
  /** Widths of the no-packing scaling runs. */
  scalingLevels: number[];
  /** Packing degrees measured on one instance (1 is always included; the fitted curve fills the gaps). */
  degrees: number[];
  /**
   * Instances for the packing-under-load samples (0 skips them). Above two, two instances are measured as
   * well: the load factor is interpolated between measured loads, and light ones (a few packed instances)
   * are where ProPack's choices usually land.
   */
  loadedInstances: number;
  repetitions: { min: number; max: number; targetCv: number };
  source: Omit<ProfileSource, 'createdAt'>;
  concurrencyLimit?: number;
  /**
   * Dispatcher of each scaling run (a Step Functions Distributed Map, map-dispatch.ts): the Map's own
   * start-up, until its first child's instance starts, is then measured as part of scaling.
   */
  scalingRounds?: (concurrency: number) => RoundDispatcher;
  /**
   * Cold no-packing fan-outs already measured with these tasks (the demo's no-packing run at C): each
   * becomes the scaling run of its width, and that level is not run again.
   */
  coldRuns?: readonly { concurrency: number; result: PackedRunResult }[];
  /**
   * A profile an earlier campaign measured on this function and configuration (the demo's first profile,
   * before it profiles past its top degree): the degrees, load levels and scaling widths it holds are kept,
   * not run again, and so are its cold task and INIT times (the warm-up then only makes sure an instance is warm).
   */
  earlier?: Pick<Profile, 'packing' | 'scaling' | 'initDurationS'>;
  signal?: AbortSignal;
  /** Named step and overall fraction done (0–1). */
  onStep?: (step: string, fraction: number) => void;
}

/** Thrown when a profiling run could not complete its tasks; says which step and why. */
export class CampaignError extends Error {}

function ensureComplete(r: PackedRunResult, step: string): void {
  if (r.cancelled) throw new CampaignError(`${step}: cancelled`);
  const failed = r.outcomes.filter((o) => o.status === 'failed');
  if (failed.length > 0)
    throw new CampaignError(`${step}: ${failed.length} of ${r.outcomes.length} tasks failed (first: ${failed[0].reason})`);
}

/** In-function execution time of each invocation of a run (s). */
const execTimes = (r: PackedRunResult): number[] => r.invocations.map((i) => i.endS - i.startS);

/**
 * A scaling run as the profile stores it, from a measured no-packing fan-out. Start offsets are per
 * request, not per distinct instance: a request served by a warm instance that another request freed
 * starts when that instance is free, which is part of how a fan-out of that width behaves (ProPack's
 * artifact records one line per request too).
 */
export function scalingRunOf(r: PackedRunResult, concurrency: number): ScalingRun {
  const starts = r.invocations.map((i) => i.startS).sort((a, b) => a - b);
  const origin = starts[0] ?? 0;
  const durations = execTimes(r).sort((a, b) => a - b);
  return {
    concurrency,
    scaleTimeS: roundTime(r.metrics.scalingTime),
    serviceTimeS: roundTime(r.metrics.serviceTime),
    startOffsetsS: sampleOrderStatistics(
      starts.map((s) => Math.max(0, s - origin)),
      101,
    ).map(roundTime),
    completionOffsetsS: sampleOrderStatistics(
      r.invocations.map((i) => Math.max(0, i.endS - origin)).sort((a, b) => a - b),
      101,
    ).map(roundTime),
    durationsS: sampleOrderStatistics(durations, 101).map(roundTime),
    meanDurationS: roundTime(mean(durations)),
    sampledFrom: starts.length,
    dispatchLatencyS: roundTime(Math.max(0, origin)),
  };
}

/**
 * Isolated packing samples: one warm instance at each p, repeated until the coefficient of variation is at
 * most the target (at least `min`, at most `max` invocations' times per p).
 */
export async function measurePacking(
  run: (tasks: TaskInput[], p: number) => Promise<PackedRunResult>,
  makeTasks: (count: number) => TaskInput[],
  degrees: readonly number[],
  repetitions: CampaignOptions['repetitions'],
  onDegree?: (p: number) => void,
): Promise<PackingSample[]> {
  const samples: PackingSample[] = [];
  for (const p of degrees) {
    onDegree?.(p);
    const times: number[] = [];
    while (times.length < repetitions.max) {
      const r = await run(makeTasks(p), p);
      ensureComplete(r, `packing p=${p}`);
      times.push(...execTimes(r));
      if (times.length >= repetitions.min && coefficientOfVariation(times) <= repetitions.targetCv) break;
    }
    samples.push({ degree: p, timesS: times.map(roundTime) });
  }
  return samples;
}

/** Runs the campaign and returns the profile (not yet saved). */
export async function runProfileCampaign(o: CampaignOptions): Promise<Profile> {
  const { session, fn } = o;
  let round = 0;
  const run = (tasks: TaskInput[], p: number): Promise<PackedRunResult> =>
    runPacked({ invoker: session.invoker, functionName: fn.name, fn, tasks, packingDegree: p, mode: o.mode, signal: o.signal });
  const degrees = [...new Set([1, ...o.degrees])].filter((p) => Number.isInteger(p) && p >= 1).sort((a, b) => a - b);
  const maxDegree = degrees[degrees.length - 1];
  const loadDegrees = o.loadedInstances > 0 ? [...new Set([1, maxDegree])] : [];
  const loadLevels = o.loadedInstances > 2 ? [2, o.loadedInstances] : o.loadedInstances > 0 ? [o.loadedInstances] : [];
  const cold = new Set((o.coldRuns ?? []).map((r) => r.concurrency));
  const keptRuns = (o.earlier?.scaling.runs ?? []).filter((r) => o.scalingLevels.includes(r.concurrency) && !cold.has(r.concurrency));
  const scalingLevels = o.scalingLevels.filter((c) => !cold.has(c) && !keptRuns.some((r) => r.concurrency === c));
  const known = (p: number, instances?: number): PackingSample | undefined =>
    o.earlier?.packing.samples.find((s) => s.degree === p && s.concurrency === instances);
  const newDegrees = degrees.filter((p) => !known(p));
  // The fitted model keys a load on the tasks running at once (instances × vCPUs), not on p: a load level
  // an earlier campaign measured is kept whole, not measured again at the new top degree.
  const loads = loadLevels.flatMap((instances): { instances: number; p: number; sample?: PackingSample }[] => {
    const kept = (o.earlier?.packing.samples ?? []).filter((s) => s.concurrency === instances);
    return kept.length > 0 ? kept.map((sample) => ({ instances, p: sample.degree, sample })) : loadDegrees.map((p) => ({ instances, p }));
  });
  const newLoads = loads.filter((l) => !l.sample).length;
  const totalSteps = newDegrees.length + newLoads + scalingLevels.length + 1;
  let step = 0;
  const report = (name: string): void => o.onStep?.(name, step++ / totalSteps);

  report('warming up one instance');
  // On a fresh instance: its one task, cold, is what every instance of a fan-out pays once (coldTaskS),
  // unless an earlier campaign measured it.
  const keptColdTaskS = o.earlier?.packing.coldTaskS;
  if (keptColdTaskS === undefined) await recycleInstances(session.lambda, fn.name);
  const warmUp = await run(o.makeTasks(1, round++), 1);
  ensureComplete(warmUp, 'warm-up');
  const coldTaskS = keptColdTaskS ?? (warmUp.invocations[0]?.cold ? execTimes(warmUp)[0] : undefined);

  const fresh = await measurePacking(
    run,
    (count) => o.makeTasks(count, round++),
    newDegrees,
    o.repetitions,
    (p) => report(`packing profile: p=${p} on one instance`),
  );
  const samples: PackingSample[] = degrees.map((p) => known(p) ?? fresh.find((s) => s.degree === p)).filter((s) => s !== undefined);
  if (newLoads > 0) {
    // Start the loaded instances first: their cold starts would otherwise compete for the same CPU and
    // network and be counted as the slowdown under load.
    ensureComplete(await run(o.makeTasks(o.loadedInstances, round++), 1), 'warm-up under load');
  }
  for (const { instances, p, sample } of loads) {
    if (sample) {
      samples.push(sample);
      continue;
    }
    report(`packing under load: p=${p} on ${instances} instances`);
    const r = await run(o.makeTasks(p * instances, round++), p);
    ensureComplete(r, `packing under load p=${p}`);
    samples.push({ degree: p, concurrency: instances, timesS: [roundTime(median(execTimes(r)))] });
  }

  const runs: ScalingRun[] = [...keptRuns];
  const inits: number[] = [];
  const addScalingRun = (r: PackedRunResult, c: number): void => {
    runs.push(scalingRunOf(r, c));
    for (const i of r.invocations) if (i.cold && i.initS !== undefined) inits.push(i.initS);
  };
  for (const c of scalingLevels) {
    report(`scaling profile: ${c} cold instances`);
    await recycleInstances(session.lambda, fn.name);
    const tasks = o.makeTasks(c, round++);
    const rounds = o.scalingRounds?.(c);
    const r = rounds
      ? await runPacked({
          invoker: session.invoker,
          rounds,
          functionName: fn.name,
          fn,
          tasks,
          packingDegree: 1,
          mode: o.mode,
          signal: o.signal,
        })
      : await run(tasks, 1);
    ensureComplete(r, `scaling C=${c}`);
    addScalingRun(r, c);
  }
  for (const { concurrency, result } of o.coldRuns ?? []) {
    ensureComplete(result, `scaling C=${concurrency} (measured before the profile)`);
    addScalingRun(result, concurrency);
  }
  report('done');
  const profile: Profile = {
    schema: PROFILE_SCHEMA,
    function: fn,
    source: { ...o.source, createdAt: new Date().toISOString() },
    scaling: { runs },
    packing: { samples, clientOverheadS: 0, ...(coldTaskS !== undefined ? { coldTaskS: roundTime(coldTaskS) } : {}) },
  };
  if (o.concurrencyLimit !== undefined) profile.concurrencyLimit = o.concurrencyLimit;
  // The cold starts' INIT, as the platform reported it: the model bills it per instance (Lambda since 2025-08-01).
  if (inits.length > 0) profile.initDurationS = roundTime(median(inits));
  else if (o.earlier?.initDurationS !== undefined) profile.initDurationS = o.earlier.initDurationS;
  return profile;
}
