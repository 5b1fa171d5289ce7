// Task handlers for the runtime-overhead benchmark; worker threads load this module by path.

/** A small fixed amount of CPU work (≈ tens of µs), so the measurement is dominated by the runtime. */
export function spin(event: unknown): number {
  const n = (event as { n: number }).n;
  let x = 1;
  for (let i = 0; i < n; i++) x = Math.imul(x ^ i, 2654435761) >>> 0;
  return x;
}

/** The same work behind a promise, as an async Lambda handler returns it. */
export async function spinAsync(event: unknown): Promise<number> {
  return spin(event);
}
