// TEMPORARY stand-in for src/core/{profile,optimizer,predict}.ts until the core lands on main.
// The extension imports the core only through this file, so the merge replaces it with re-exports.
import { PROFILE_SCHEMA } from '../core/types';
import type { ModelKind, OptimizeRequest, OptimizeResult, Prediction, Profile } from '../core/types';

/** A profile file that cannot be used; the message names the file and the field. */
export class ProfileError extends Error {}

/** Parses and checks a profile file's text. */
export function parseProfile(text: string, fileLabel: string): Profile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ProfileError(`${fileLabel}: not JSON (${(e as Error).message})`);
  }
  const p = value as Partial<Profile>;
  if (typeof p !== 'object' || p === null) throw new ProfileError(`${fileLabel}: not an object`);
  if (p.schema !== PROFILE_SCHEMA) throw new ProfileError(`${fileLabel}: schema must be "${PROFILE_SCHEMA}"`);
  if (!p.function || typeof p.function.name !== 'string') throw new ProfileError(`${fileLabel}: function.name missing`);
  if (!p.scaling || !Array.isArray(p.scaling.runs) || p.scaling.runs.length === 0) throw new ProfileError(`${fileLabel}: scaling.runs missing`);
  if (!p.packing || !Array.isArray(p.packing.samples) || p.packing.samples.length === 0) throw new ProfileError(`${fileLabel}: packing.samples missing`);
  return p as Profile;
}

/** Stand-in scaling curve: median scale time per C, linearly interpolated. */
export function scalingTimeAt(profile: Profile, instances: number, _model?: ModelKind): number {
  const byC = new Map<number, number[]>();
  for (const r of profile.scaling.runs) byC.set(r.concurrency, [...(byC.get(r.concurrency) ?? []), r.scaleTimeS]);
  const pts = [...byC].map(([c, v]) => [c, v.sort((a, b) => a - b)[Math.floor(v.length / 2)]] as const).sort((a, b) => a[0] - b[0]);
  if (instances <= pts[0][0]) return (pts[0][1] * instances) / pts[0][0];
  for (let i = 1; i < pts.length; i++) {
    const [c0, s0] = pts[i - 1];
    const [c1, s1] = pts[i];
    if (instances <= c1) return s0 + ((s1 - s0) * (instances - c0)) / (c1 - c0);
  }
  const [cl, sl] = pts[pts.length - 1];
  return (sl * instances) / cl;
}

function predictAt(profile: Profile, concurrency: number, p: number, model: ModelKind): Prediction {
  const sample = profile.packing.samples.find((s) => s.degree === p);
  const executionTime = sample ? sample.timesS.reduce((a, b) => a + b, 0) / sample.timesS.length : 0;
  const instances = Math.ceil(concurrency / p);
  const scalingTime = scalingTimeAt(profile, instances, model);
  return { packingDegree: p, concurrency, serviceTime: executionTime + scalingTime, scalingTime, cost: executionTime * instances * 0.0001667, instances, executionTime };
}

/** Stand-in optimizer over the profiled degrees. */
export function optimize(profile: Profile, req: OptimizeRequest): OptimizeResult {
  const model = req.model ?? 'classic';
  const maxP = Math.min(req.maxDegree ?? Infinity, Math.max(...profile.packing.samples.map((s) => s.degree)));
  const candidates: Prediction[] = [];
  for (let p = 1; p <= maxP; p++) candidates.push(predictAt(profile, req.concurrency, p, model));
  const tMin = Math.min(...candidates.map((c) => c.serviceTime));
  const kMin = Math.min(...candidates.map((c) => c.cost));
  const weights = req.weights ?? { cost: 0.55, time: 0.45 };
  const score = (c: Prediction): number =>
    req.objective === 'time' ? c.serviceTime : req.objective === 'cost' ? c.cost : weights.cost * (c.cost - kMin) / kMin + weights.time * (c.serviceTime - tMin) / tMin;
  const best = candidates.reduce((a, b) => (score(b) < score(a) ? b : a));
  return { packingDegree: best.packingDegree, predicted: best, baseline: candidates[0], candidates, pareto: [], model, objective: req.objective, metric: req.metric, concurrency: req.concurrency, weights, constraintsRelaxed: false };
}

/** Stand-in until src/engine/artifact-import.ts lands. */
export function importArtifact(_dir: string, _opts: { app: string; scalingApps?: string[] }): Profile {
  throw new Error('import-artifact is not available until the engine lands');
}

/** Stand-in until src/engine/profile-store.ts lands. */
export function saveProfile(_path: string, _profile: Profile): void {
  throw new Error('saveProfile is not available until the engine lands');
}
