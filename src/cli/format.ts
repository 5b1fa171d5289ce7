/** Human-readable numbers for the CLI's tables. */
import { measurementCaveat } from '../core/profile';
import type { DegreeEdge, Prediction, Profile } from '../core/types';
import { accountLimitNote, extrapolationNote, formatChange } from '../report/format';

// Sentences the CLI, the report and the panel share (src/report/format.ts).
export { accountLimitNote, extrapolationNote };

/** Seconds with sensible precision. */
export const seconds = (s: number): string => (s >= 100 ? `${s.toFixed(1)} s` : `${s.toFixed(2)} s`);

/** US dollars with enough digits for sub-cent costs. */
export const usd = (x: number): string => (x >= 1 ? `$${x.toFixed(2)}` : `$${x.toPrecision(3)}`);

/** Signed percentage change from a baseline ("−63%"). */
export function change(value: number, baseline: number): string {
  return formatChange(baseline, value);
}

/** One line describing a prediction. */
export function describePrediction(p: Prediction): string {
  return `p=${p.packingDegree}: service ${seconds(p.serviceTime)}, scaling ${seconds(p.scalingTime)}, cost ${usd(p.cost)}, ${p.instances} instances`;
}

/** A JSON-friendly prediction with rounded figures (s to 1 µs, USD to 1e-10). */
export function predictionJson(p: Prediction): Record<string, unknown> {
  const r = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;
  const out: Record<string, unknown> = {
    packingDegree: p.packingDegree,
    concurrency: p.concurrency,
    serviceTime: r(p.serviceTime, 6),
    scalingTime: r(p.scalingTime, 6),
    cost: r(p.cost, 10),
    instances: p.instances,
    executionTime: r(p.executionTime, 6),
  };
  if (p.dispatchCost !== undefined) out.dispatchCost = r(p.dispatchCost, 10);
  if (p.tested !== undefined) out.tested = p.tested;
  if (p.extrapolated) out.extrapolated = p.extrapolated;
  if (p.percentiles) {
    out.percentiles = Object.fromEntries(Object.entries(p.percentiles).map(([k, v]) => [k, r(v, 6)]));
  }
  return out;
}

/** The edge note with the flag that measures the suggested degrees: "…; profile degrees up to 32 to find out (propack profile … --degrees 1,2,4,8,16,32)". */
export function edgeAdvice(edge: DegreeEdge, command = 'propack profile …'): string {
  return `${edge.message} (${command} --degrees ${edge.suggestedDegrees.join(',')})`;
}

/**
 * What a profile models rather than measured, for a command's JSON (`modelled`, `platform`): empty for a
 * profile measured where it predicts (every AWS and local profile).
 */
export function modelledJson(profile: Pick<Profile, 'source'>): Record<string, unknown> {
  return {
    ...(profile.source.modelled ? { modelled: profile.source.modelled } : {}),
    ...(profile.source.platform ? { platform: profile.source.platform } : {}),
  };
}

/** The same as a `note:` line for the text output, or undefined. */
export function modelledNote(profile: Pick<Profile, 'source' | 'function'>): string | undefined {
  return profile.source.modelled ? measurementCaveat(profile) : undefined;
}
