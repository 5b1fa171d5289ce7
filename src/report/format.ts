/**
 * The number formatters of every ProPack text: the reports, the CLI, the CodeLens, notifications and run
 * summaries. One set, so a change reads the same wherever it is shown ("−63%", never "-63%" in one place and
 * "63% less" for the same number in another, unless the sentence asks for words).
 */
import { comparisonText, fractionalChange } from '../core/compare-text';
import { nearTieNote } from '../core/optimizer';
import type { OptimizeResult, Prediction } from '../core/types';

/** A number for people: four significant digits, no exponent for everyday magnitudes, "—" when not finite. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return '—';
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

/** Seconds for a sentence: one decimal ("12.3 s"). */
export function formatSeconds(s: number): string {
  return `${s.toFixed(1)} s`;
}

/** US dollars for a sentence: four decimals below a dollar, where Lambda costs usually are ("$0.0123"), else cents. */
export function formatUsd(usd: number): string {
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

/** The change from `before` to `after` in whole percent (−63 = 63% less), or undefined without a positive base or a finite value. */
export function roundedPercentChange(before: number, after: number): number | undefined {
  const change = fractionalChange(after, before);
  // `+ 0` turns a rounded −0 into 0, so "no change" is one case.
  return change === undefined ? undefined : Math.round(change * 100) + 0;
}

/** Relative change from `before` to `after` as a signed percentage ("−63%", "+4%", "±0%"); "n/a" without a base. */
export function formatChange(before: number, after: number): string {
  const pct = roundedPercentChange(before, after);
  if (pct === undefined) return 'n/a';
  // A typographic minus reads better than a hyphen next to digits.
  return pct < 0 ? `\u2212${-pct}%` : pct > 0 ? `+${pct}%` : '±0%';
}

/** The change of `value` against `baseline` in words: "83% less", "21% more", "no change"; "no baseline" without one. */
export function formatRelative(value: number, baseline: number): string {
  const pct = roundedPercentChange(baseline, value);
  if (pct === undefined) return 'no baseline';
  return pct === 0 ? 'no change' : pct < 0 ? `${-pct}% less` : `${pct}% more`;
}

/** A regret (fraction) as a percentage: one decimal below 10% (where the targets are), whole above. */
export function formatRegret(regret: number): string {
  if (!Number.isFinite(regret)) return 'n/a';
  const pct = regret * 100;
  return `${Math.abs(pct) < 10 ? pct.toFixed(1) : Math.round(pct)}%`;
}

/** "38% faster, 41% cheaper than no packing" (or "slower"/"more expensive", "in the same time"): a candidate against the no-packing prediction. */
export function savingsText(candidate: Prediction, baseline: Prediction): string {
  return comparisonText(
    [
      { quantity: 'time', change: fractionalChange(candidate.serviceTime, baseline.serviceTime) },
      { quantity: 'cost', change: fractionalChange(candidate.cost, baseline.cost) },
    ],
    'no packing',
  );
}

/** "extrapolated: p beyond the measured packing degrees, C beyond the measured concurrencies", or undefined when measured. */
export function extrapolationNote(p: Prediction): string | undefined {
  const e = p.extrapolated;
  if (!e || (!e.degree && !e.concurrency)) return undefined;
  const parts = [
    ...(e.degree ? [`p=${p.packingDegree} outside the measured packing degrees`] : []),
    ...(e.concurrency ? [`C=${p.concurrency} beyond the measured concurrencies`] : []),
  ];
  return `extrapolated: ${parts.join(', ')} (a model estimate, not a measurement)`;
}

/** "account limit 1000 (assumed: Lambda's default; the profile records none)". */
export function accountLimitNote(limit: number, assumed: boolean): string {
  return `account limit ${limit}${assumed ? " (assumed: Lambda's default; the profile records none)" : ''}`;
}

/**
 * The caveats of a recommendation, one sentence each, as the CLI prints them: extrapolated, a near tie
 * within the model's noise, an assumed account limit (fitted model only).
 */
export function recommendationNotes(
  r: Pick<OptimizeResult, 'nearTie' | 'objective' | 'predicted' | 'candidates' | 'model'>,
  limit: { limit: number; assumed: boolean },
): string[] {
  const tie = nearTieNote(r);
  const extrapolated = extrapolationNote(r.predicted);
  return [
    ...(extrapolated ? [extrapolated] : []),
    ...(tie ? [tie] : []),
    ...(r.model === 'fitted' && limit.assumed ? [accountLimitNote(limit.limit, true)] : []),
  ];
}
