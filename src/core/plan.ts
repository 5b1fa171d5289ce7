/** How C tasks become packed invocations. */

/** Splits tasks into ceil(C/p) batches of p, the remainder packed into the last batch. */
export function planBatches<T>(tasks: readonly T[], packingDegree: number): T[][] {
  if (!Number.isInteger(packingDegree) || packingDegree < 1)
    throw new RangeError(`packing degree must be a positive integer, got ${packingDegree}`);
  const out: T[][] = [];
  for (let i = 0; i < tasks.length; i += packingDegree) out.push(tasks.slice(i, i + packingDegree));
  return out;
}

/** Full-jitter exponential backoff (ms) before retry `attempt` (1 = first retry); `random` in [0, 1). */
export function backoffMs(attempt: number, random: number, baseMs = 100, capMs = 10_000): number {
  return Math.floor(random * Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1)));
}

/** A small seeded generator (mulberry32) so jitter and fault injection are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
