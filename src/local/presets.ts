/** How fast new execution environments appear; every delay is multiplied by the platform's `timeScale`. */
export interface ProvisioningPreset {
  name: PresetName;
  /** New environments a function may start at once before the steady rate applies. */
  burst: number;
  /** Steady rate of new environments per function (per second); Infinity = no limit. */
  startsPerSecond: number;
  /** Emulated cold-start (init) time of one environment (ms), added to the rate limit and the real worker start. */
  coldStartMs: number;
  /** Default account concurrency (concurrent executions across all functions). */
  accountConcurrency: number;
}

export type PresetName = 'instant' | 'aws-2023' | 'aws-2021';

/** The presets; `aws-2021` comes from `scripts/derive-aws-2021-preset.mjs` (see the comment there and below). */
export const PRESETS: Record<PresetName, ProvisioningPreset> = {
  // No emulated delay: instances start as fast as the machine can fork/load them.
  instant: { name: 'instant', burst: Infinity, startsPerSecond: Infinity, coldStartMs: 0, accountConcurrency: 1000 },
  // Lambda since Nov 2023: each function scales by 1,000 environments every 10 s (a 1,000 burst refilled at
  // 100/s), account concurrency 1,000 by default, a Node.js cold start of roughly 150–250 ms: 100 ms emulated
  // plus the real worker start here (fork + module load, about 100–150 ms on 2 cores).
  'aws-2023': { name: 'aws-2023', burst: 1000, startsPerSecond: 100, coldStartMs: 100, accountConcurrency: 1000 },
  // ProPack's own AWS runs (March 2021, 44 files scaling_performance/*/response-concurrency*.txt): sorted
  // instance starts are evenly spaced; the median over files of (last - first) / (n - 1) is 45.93 ms
  // (min 26.19, max 93.95), i.e. 21.77 new instances/s, with no burst visible. The data has no dispatch
  // timestamps, so the 250 ms cold start is an assumption for python3.6, not a measurement.
  'aws-2021': { name: 'aws-2021', burst: 1, startsPerSecond: 1000 / 45.93, coldStartMs: 250, accountConcurrency: 1000 },
};

/** True when `name` is one of the presets. */
export function isPresetName(name: string): name is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}
