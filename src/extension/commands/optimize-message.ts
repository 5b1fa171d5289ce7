// The one-line answer the Optimize command shows. Pure, so unit-tested without the editor.
import type { Prediction } from '../../core/types';
import { formatRelative } from '../../report/format';
import type { ReportInput } from '../protocol';

/** The sentence naming the recommended packing degree and what it gains over no packing, then its caveats. */
export function optimizeMessage(
  functionName: string,
  input: ReportInput,
  r: Prediction,
  baseline: Prediction,
  notes: readonly string[] = [],
): string {
  return (
    `${functionName}: pack p = ${r.packingDegree} at C = ${input.concurrency} (${input.objective}, ${input.metric}): ` +
    `service time ${r.serviceTime.toFixed(1)} s (${formatRelative(r.serviceTime, baseline.serviceTime)} than p = 1), ` +
    `cost $${r.cost.toFixed(2)} (${formatRelative(r.cost, baseline.cost)}).` +
    notes.map((n) => ` Note: ${n}.`).join('')
  );
}
