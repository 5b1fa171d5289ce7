/**
 * Whether a chosen packing degree sits at (or past) the edge of the degrees a profile measured. At the
 * largest measured degree the objective may still be falling: the best p could be higher, and no model
 * fitted on smaller degrees can say so. Pure.
 */
import type { DegreeEdge, Profile } from './types';

export type { DegreeEdge };

/** Distinct measured packing degrees of the profile's own configuration, ascending. */
export function measuredDegrees(profile: Profile): number[] {
  return [...new Set(profile.packing.samples.map((s) => s.degree))].sort((a, b) => a - b);
}

/**
 * The edge a choice of p for C concurrent tasks sits at, or undefined when measured degrees surround it
 * (or nothing beyond it is possible: p = C, p = 1, or the user's own `maxDegree` cap stopped the search).
 */
export function degreeEdge(profile: Profile, chosen: number, concurrency: number, maxDegree?: number): DegreeEdge | undefined {
  const measured = measuredDegrees(profile);
  if (measured.length === 0) return undefined;
  const lo = measured[0],
    hi = measured[measured.length - 1];
  const list = measured.length <= 6 ? measured.join(', ') : `${measured[0]}, ${measured[1]}, …, ${hi}: ${measured.length} degrees`;
  // A long measured list (an imported artifact measures every p) is thinned to doublings for the suggestion.
  const base = measured.length <= 8 ? measured : doublingsUpTo(lo, hi);
  const cappedByUser = maxDegree !== undefined && chosen >= maxDegree;
  if (chosen >= hi && chosen < concurrency && !cappedByUser) {
    const next = [2 * chosen, 4 * chosen].map((d) => Math.min(d, concurrency)).filter((d) => d > chosen);
    const suggestedDegrees = [...new Set([...base, ...next])].sort((a, b) => a - b);
    const top = suggestedDegrees[suggestedDegrees.length - 1];
    return chosen === hi
      ? {
          side: 'largest',
          degree: chosen,
          measured,
          suggestedDegrees,
          message: `p=${chosen} is the largest packing degree profiled (${list}): the best p may be higher; profile degrees up to ${top} to find out`,
        }
      : {
          side: 'beyond',
          degree: chosen,
          measured,
          suggestedDegrees,
          message: `p=${chosen} is beyond the largest packing degree profiled (${list}): it is extrapolated; profile degrees up to ${top} to measure it`,
        };
  }
  if (chosen <= lo && chosen > 1) {
    const next = [1, Math.floor(chosen / 2)].filter((d) => d >= 1 && d < chosen);
    const suggestedDegrees = [...new Set([...next, ...base])].sort((a, b) => a - b);
    return chosen === lo
      ? {
          side: 'smallest',
          degree: chosen,
          measured,
          suggestedDegrees,
          message: `p=${chosen} is the smallest packing degree profiled (${list}): the best p may be lower; profile degrees down to ${suggestedDegrees[0]} to find out`,
        }
      : {
          side: 'below',
          degree: chosen,
          measured,
          suggestedDegrees,
          message: `p=${chosen} is below the smallest packing degree profiled (${list}): it is extrapolated; profile degrees down to ${suggestedDegrees[0]} to measure it`,
        };
  }
  return undefined;
}

/** lo, 2·lo, 4·lo, … below hi, then hi. */
function doublingsUpTo(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let d = lo; d < hi; d *= 2) out.push(d);
  return [...out, hi];
}
