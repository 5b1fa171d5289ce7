// The one-line answer the Optimize command shows. Pure, so unit-tested without the editor.
import type { Prediction } from '../../core/types';
import type { ReportInput } from '../protocol';

/** "83% less" / "21% more" / "no change": `value` against `baseline`. */
export function relativeChange(value: number, baseline: number): string {
  if (baseline <= 0) return 'no baseline';
  const pct = Math.round((value / baseline - 1) * 100);
  return pct === 0 ? 'no change' : pct < 0 ? `${-pct}% less` : `${pct}% more`;
}

/** The sentence naming the recommended packing degree and what it gains over no packing. */
export function optimizeMessage(functionName: string, input: ReportInput, r: Prediction, baseline: Prediction): string {
  return (
    `${functionName}: pack p = ${r.packingDegree} at C = ${input.concurrency} (${input.objective}, ${input.metric}): ` +
    `service time ${r.serviceTime.toFixed(1)} s (${relativeChange(r.serviceTime, baseline.serviceTime)} than p = 1), ` +
    `cost $${r.cost.toFixed(2)} (${relativeChange(r.cost, baseline.cost)}).`
  );
}
