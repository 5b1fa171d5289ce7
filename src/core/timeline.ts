/**
 * The embedded platform's emulated timeline. The platform runs its execution environments slower than real
 * time when this machine has fewer cores than they would have on Lambda (time dilation, as DieCast,
 * NSDI 2008, tests large systems on few machines): its emulated clock advances at `rate` ≤ 1 of real time,
 * so every environment gets its Lambda vCPU share of emulated time. Every timestamp a client or a function
 * takes on the real clock maps onto the emulated one through these breakpoints.
 */

/** Maps real epoch times onto the emulated timeline (ms). */
export interface Timeline {
  /** The emulated epoch time (ms) of real epoch time `realMs`. */
  emulatedMs(realMs: number): number;
  /**
   * Now (epoch ms) on the real clock the breakpoints are taken on. A client takes its times on it: the wall
   * clock (Date.now) can step away from a monotonic one, and a time taken seconds ahead of the breakpoints
   * maps at a rate that no longer holds once they arrive (a demo at C = 1,000 measured service times of -0.45 s).
   */
  realNowMs(): number;
}

/** The identity timeline: real time (AWS, or a platform that emulates nothing). */
export const REAL_TIME: Timeline = { emulatedMs: (t) => t, realNowMs: () => Date.now() };

/** Now (epoch s) on the clock `timeline` maps from (the wall clock without one). */
export function clockNowS(timeline: Timeline = REAL_TIME): number {
  return timeline.realNowMs() / 1000;
}

/**
 * A piecewise-linear, non-decreasing map from real to emulated time. Each breakpoint starts a segment of
 * constant rate; before the first, time is real.
 */
export class PiecewiseTimeline implements Timeline {
  private readonly real: number[] = [];
  private readonly emulated: number[] = [];
  private readonly rates: number[] = [];

  /** `now` is the real clock (epoch ms) the breakpoints are taken on. */
  constructor(
    startRealMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.real.push(startRealMs);
    this.emulated.push(startRealMs);
    this.rates.push(1);
  }

  /** The rate (emulated ms per real ms) from the last breakpoint on. */
  get rate(): number {
    return this.rates[this.rates.length - 1];
  }

  /** Starts a segment of `rate` (0 < rate ≤ 1) at real time `realMs` (not before the last breakpoint). */
  setRate(realMs: number, rate: number): void {
    if (!(rate > 0 && rate <= 1)) throw new RangeError(`rate must be in (0, 1], got ${rate}`);
    const last = this.real.length - 1;
    const at = Math.max(realMs, this.real[last]);
    if (rate === this.rates[last]) return;
    const v = this.emulatedMs(at);
    if (at === this.real[last]) {
      this.emulated[last] = v;
      this.rates[last] = rate;
      return;
    }
    this.real.push(at);
    this.emulated.push(v);
    this.rates.push(rate);
  }

  realNowMs(): number {
    return this.now();
  }

  emulatedMs(realMs: number): number {
    const i = this.segmentAt(realMs);
    if (i < 0) return this.emulated[0] + (realMs - this.real[0]);
    return this.emulated[i] + (realMs - this.real[i]) * this.rates[i];
  }

  /** The real time (ms) at which the emulated clock reaches `emulatedMs`, at the rates known now. */
  realMs(emulatedMs: number): number {
    let lo = 0;
    let hi = this.emulated.length - 1;
    if (emulatedMs < this.emulated[0]) return this.real[0] + (emulatedMs - this.emulated[0]);
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.emulated[mid] <= emulatedMs) lo = mid;
      else hi = mid - 1;
    }
    return this.real[lo] + (emulatedMs - this.emulated[lo]) / this.rates[lo];
  }

  /** Breakpoints kept (for memory bounds in tests). */
  get size(): number {
    return this.real.length;
  }

  private segmentAt(realMs: number): number {
    let lo = 0;
    let hi = this.real.length - 1;
    if (realMs < this.real[0]) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.real[mid] <= realMs) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** Bytes of one breakpoint record in a platform's timeline file: real epoch ms and rate, float64 LE each. */
export const TIMELINE_RECORD_BYTES = 16;

/** Encodes one breakpoint record (real epoch ms, rate from then on). */
export function timelineRecord(realMs: number, rate: number): Uint8Array {
  const bytes = new Uint8Array(TIMELINE_RECORD_BYTES);
  const view = new DataView(bytes.buffer);
  view.setFloat64(0, realMs, true);
  view.setFloat64(8, rate, true);
  return bytes;
}
