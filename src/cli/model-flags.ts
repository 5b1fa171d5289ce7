/** Flags shared by `optimize` and `predict`: profile, concurrency, metric, model, tail percentile. */
import { ProfileError } from '../core/profile';
import { MAX_CONCURRENCY } from '../core/limits';
import { METRICS } from '../core/objectives';
import type { Dispatch, Metric, ModelKind, Profile, TailPercentile, Weights } from '../core/types';
import { FileError } from '../engine/files';
import { loadProfile } from '../engine/profile-store';
import { choice, positiveInt, required, UsageError, type ParsedArgs } from './args';

// The one limit every front end applies (core/limits.ts); re-exported for the commands that import it here.
export { MAX_CONCURRENCY };

export interface ModelFlags {
  profilePath: string;
  profile: Profile;
  concurrency: number;
  metric: Metric;
  model: ModelKind;
  tailPercentile: TailPercentile;
  /** `stepfunctions` prices the Distributed Map dispatch into every cost. */
  dispatch: Dispatch;
}

/** Loads the --profile file; file problems become UsageErrors (exit 2). */
export function readProfileFlag(args: ParsedArgs, command: string): { profilePath: string; profile: Profile } {
  const profilePath = required(args, command, 'profile');
  try {
    return { profilePath, profile: loadProfile(profilePath) };
  } catch (e) {
    if (e instanceof FileError || e instanceof ProfileError) throw new UsageError(`${command}: ${e.message}`);
    throw e;
  }
}

/** Runs a model computation; its RangeError (no candidate can be evaluated) becomes a UsageError. */
export function modelCall<T>(command: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(`${command}: ${e.message}`);
    throw e;
  }
}

/** Reads the shared model flags; file problems become UsageErrors (exit 2). */
export function readModelFlags(args: ParsedArgs, command: string): ModelFlags {
  return {
    ...readProfileFlag(args, command),
    concurrency: positiveInt(args, command, 'concurrency', MAX_CONCURRENCY),
    metric: choice(args, command, 'metric', METRICS, 'net'),
    model: choice(args, command, 'model', ['classic', 'fitted'] as const, 'fitted'),
    tailPercentile: Number(choice(args, command, 'tail-percentile', ['90', '95'] as const, '90')) as TailPercentile,
    dispatch: choice(args, command, 'dispatch', ['direct', 'stepfunctions'] as const, 'direct'),
  };
}

/** Parses `cost=0.55,time=0.45` (either order, both required, non-negative, not both zero). */
export function parseWeights(raw: string, command: string): Weights {
  const w: Partial<Weights> = {};
  for (const part of raw.split(',')) {
    const [k, v] = part.split('=').map((s) => s.trim());
    const x = Number(v);
    if ((k !== 'cost' && k !== 'time') || v === undefined || v === '' || !Number.isFinite(x) || x < 0) {
      throw new UsageError(`${command}: --weights must look like cost=0.55,time=0.45 (non-negative numbers), got "${raw}"`);
    }
    w[k] = x;
  }
  if (w.cost === undefined || w.time === undefined) throw new UsageError(`${command}: --weights needs both cost= and time=, got "${raw}"`);
  if (w.cost + w.time === 0) throw new UsageError(`${command}: --weights cannot both be zero`);
  return { cost: w.cost, time: w.time };
}
