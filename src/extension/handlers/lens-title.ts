// The CodeLens text above a handler. Pure, so unit-tested without the editor.
import type { Prediction } from '../../core/types';
import { formatChange } from '../../report/format';

/** "ProPack: p=12 at C=1000 · −63% time · −41% cost" for a profiled handler. */
export function profiledLensTitle(recommended: Prediction, baseline: Prediction, concurrency: number): string {
  return `ProPack: p=${recommended.packingDegree} at C=${concurrency} · ${formatChange(baseline.serviceTime, recommended.serviceTime)} time · ${formatChange(baseline.cost, recommended.cost)} cost`;
}

/** The lens over a handler without a profile. */
export const UNPROFILED_LENS_TITLE = 'ProPack: profile';
