/** Merges caller size overrides into a workload's defaults, rejecting unknown or out-of-range knobs. */
export function resolveSizes<T extends Record<string, number>>(defaults: T, overrides: Record<string, number> = {}): T {
  const out: Record<string, number> = { ...defaults };
  for (const [k, v] of Object.entries(overrides)) {
    if (!(k in defaults)) throw new RangeError(`unknown size "${k}"; known: ${Object.keys(defaults).join(', ')}`);
    // A default of 0 means "derive it" (e.g. partitions = maps), so 0 stays allowed there.
    const min = defaults[k] === 0 ? 0 : 1;
    if (!Number.isInteger(v) || v < min) throw new RangeError(`size ${k} must be an integer ≥ ${min}`);
    out[k] = v;
  }
  return out as T;
}

/** Zero-padded index for object keys, so keys sort in task order. */
export function pad(i: number): string {
  return String(i).padStart(5, '0');
}
