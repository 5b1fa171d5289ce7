/** Number formatting shared by the report's HTML (engine) and its page script (browser); no imports. */

/** A number for people: four significant digits, no exponent for everyday magnitudes, "—" when not finite. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return '—';
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}
