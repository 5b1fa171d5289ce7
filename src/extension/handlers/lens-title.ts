// The CodeLens text above a handler. Pure, so unit-tested without the editor.
import type { Prediction } from '../../core/types';

/** Signed whole percent change of `value` against `baseline`, with a real minus sign: "−63%", "+4%", "±0%". */
export function percentChange(value: number, baseline: number): string {
  if (!(baseline > 0)) return 'n/a';
  const pct = Math.round((value / baseline - 1) * 100);
  return pct === 0 ? '±0%' : pct < 0 ? `\u2212${-pct}%` : `+${pct}%`;
}

/** "ProPack: p=12 at C=1000 · −63% time · −41% cost" for a profiled handler. */
export function profiledLensTitle(recommended: Prediction, baseline: Prediction, concurrency: number): string {
  return `ProPack: p=${recommended.packingDegree} at C=${concurrency} · ${percentChange(recommended.serviceTime, baseline.serviceTime)} time · ${percentChange(recommended.cost, baseline.cost)} cost`;
}

/** The lens over a handler without a profile. */
export const UNPROFILED_LENS_TITLE = 'ProPack: profile';
