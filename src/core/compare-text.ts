// One sentence comparing a candidate's service time and cost with a reference, right in every
// combination: "38% faster, 41% cheaper than no packing", "41% cheaper than no packing in the same time",
// "4% slower than no packing at the same cost", "same time and cost as no packing".

/** One compared quantity: its fractional change against the reference (−0.31 = 31% less), or undefined when it cannot be compared. */
export interface ComparedQuantity {
  quantity: 'time' | 'cost';
  change: number | undefined;
}

const WORDS = {
  time: { less: 'faster', more: 'slower', same: 'in the same time' },
  cost: { less: 'cheaper', more: 'more expensive', same: 'at the same cost' },
} as const;

/** Fractional change of `value` against `reference`; undefined when the reference is not a positive number. */
export function fractionalChange(value: number, reference: number): number | undefined {
  return reference > 0 && Number.isFinite(value) ? (value - reference) / reference : undefined;
}

/**
 * The comparison of `parts` (in the order given) with `reference`, changes rounded to whole percent: a
 * change that rounds to 0% is "the same". Parts that cannot be compared are named at the end.
 */
export function comparisonText(parts: readonly ComparedQuantity[], reference: string): string {
  const known = parts.filter((p): p is ComparedQuantity & { change: number } => p.change !== undefined);
  const unknown = parts.filter((p) => p.change === undefined).map((p) => p.quantity);
  const pct = (x: number): number => Math.round(Math.abs(x) * 100);
  const changed = known
    .filter((p) => pct(p.change) !== 0)
    .map((p) => `${pct(p.change)}% ${p.change < 0 ? WORDS[p.quantity].less : WORDS[p.quantity].more}`);
  const same = known.filter((p) => pct(p.change) === 0).map((p) => p.quantity);
  let text: string;
  if (known.length === 0) text = `not comparable with ${reference}`;
  else if (changed.length === 0) text = `same ${same.join(' and ')} as ${reference}`;
  else text = `${changed.join(', ')} than ${reference}${same.map((q) => ` ${WORDS[q].same}`).join('')}`;
  return known.length > 0 && unknown.length > 0 ? `${text} (${unknown.join(' and ')} not comparable)` : text;
}
