/**
 * Mapping instance clocks onto the client's clock. Instances report start and end on their own clock;
 * the client knows when it sent each request and got its response. For one exchange the offset
 * θ = instance − client lies in [end − received, start − sent] (delays are never negative), and the
 * intersection over all exchanges bounds it further. Within that, the exchange with the least delay
 * outside the function (round trip minus in-function time) pins θ best, as in NTP's minimum filter: a
 * cold start or a provisioning wait sits between sending and starting, so the midpoint of a slow
 * exchange would be biased by half of it.
 */

export interface Exchange {
  /** Client clock (s) when the request was sent and the response received. */
  sentS: number;
  receivedS: number;
  /** Instance clock (s) when the handler started and returned. */
  startS: number;
  endS: number;
}

/** Estimated instance-minus-client clock offset (s); 0 with no exchanges. */
export function estimateClockOffset(exchanges: readonly Exchange[]): number {
  if (exchanges.length === 0) return 0;
  let lo = -Infinity;
  let hi = Infinity;
  let best = exchanges[0];
  const outside = (x: Exchange): number => x.receivedS - x.sentS - (x.endS - x.startS);
  for (const x of exchanges) {
    lo = Math.max(lo, x.endS - x.receivedS);
    hi = Math.min(hi, x.startS - x.sentS);
    if (outside(x) < outside(best)) best = x;
  }
  const mid = (best.startS - best.sentS + (best.endS - best.receivedS)) / 2;
  // Inconsistent bounds mean a clock stepped during the run: trust the best exchange alone.
  return lo <= hi ? Math.min(hi, Math.max(lo, mid)) : mid;
}
