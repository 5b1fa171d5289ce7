/**
 * Mapping instance clocks onto the client's clock. Instances report start and end on their own clock;
 * the client knows when it sent each request and got its response. For one exchange the offset
 * (instance − client) lies between start − sent and end − received; the midpoint of that window,
 * median over exchanges, is robust to the asymmetric network delays of a few slow requests.
 */
import { median } from './stats';

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
  return median(exchanges.map((x) => ((x.startS - x.sentS) + (x.endS - x.receivedS)) / 2));
}
