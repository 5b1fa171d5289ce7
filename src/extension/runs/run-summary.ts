// Words and decisions around a packed run. Pure, so unit-tested without the editor.
import type { MeasuredRun } from '../../core/run-record';
import { formatChange, formatRelative } from '../../report/format';

/** Whether a run must be confirmed first: only AWS spends money, and only above the threshold. */
export function needsCostConfirmation(platform: 'local' | 'aws', estimatedUsd: number, confirmAboveUsd: number): boolean {
  return platform === 'aws' && estimatedUsd > confirmAboveUsd;
}

/** "packed p=4: 1.20 s (predicted 1.10 s, +9%), $0.0012 (predicted $0.0011); no packing 3.40 s, $0.0015". */
export function runSummary(
  packed: MeasuredRun,
  predicted: { serviceTime: number; cost: number },
  noPacking: MeasuredRun | undefined,
): string {
  const usd = (x: number): string => `$${x.toPrecision(3)}`;
  let text =
    `packed p=${packed.packingDegree}: ${packed.serviceTime.toFixed(2)} s (predicted ${predicted.serviceTime.toFixed(2)} s, ${formatChange(predicted.serviceTime, packed.serviceTime)}), ` +
    `${usd(packed.cost)} (predicted ${usd(predicted.cost)}), ${packed.tasks.succeeded}/${packed.tasks.total} tasks ok`;
  if (noPacking) {
    text += `; no packing ${noPacking.serviceTime.toFixed(2)} s, ${usd(noPacking.cost)} — service time ${formatRelative(packed.serviceTime, noPacking.serviceTime)}, cost ${formatRelative(packed.cost, noPacking.cost)}`;
  }
  return text;
}
