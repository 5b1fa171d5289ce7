import { PiecewiseTimeline } from '../core/timeline';

/** Real epoch time (ms) with sub-millisecond precision. */
export const realNowMs = (): number => performance.timeOrigin + performance.now();

/** A pending emulated-time wait. */
export interface EmulatedTimer {
  readonly done: Promise<void>;
  /** Drops the wait (its promise never resolves). */
  cancel(): void;
}

interface Pending {
  at: number;
  resolve: () => void;
}

/**
 * The platform's emulated clock: real time slowed by the CPU governor's rate (core/timeline.ts). Every delay
 * the platform emulates (provisioning, timeouts, idle reclaim) waits on it, and every duration it reports
 * (REPORT Duration, Init Duration) is measured on it, so all of them sit on one emulated timeline.
 */
export class EmulatedClock {
  readonly timeline: PiecewiseTimeline;
  /** Waits by emulated deadline, earliest first. */
  private readonly pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly rateListeners = new Set<(rate: number) => void>();

  /**
   * `onBreakpoint` hears the start (rate 1) and every rate change (real epoch ms, rate), e.g. to append
   * them to the platform's timeline file for clients in other processes.
   */
  constructor(
    private readonly real: () => number = realNowMs,
    private readonly onBreakpoint?: (realMs: number, rate: number) => void,
  ) {
    const start = real();
    this.timeline = new PiecewiseTimeline(start, real);
    onBreakpoint?.(start, 1);
  }

  /** Emulated epoch time (ms). */
  nowMs(): number {
    return this.timeline.emulatedMs(this.real());
  }

  /** Emulated ms per real ms now. */
  get rate(): number {
    return this.timeline.rate;
  }

  /** Changes the rate from now on; waits are re-armed for it. */
  setRate(rate: number): void {
    if (rate === this.timeline.rate) return;
    const at = this.real();
    this.timeline.setRate(at, rate);
    this.onBreakpoint?.(at, rate);
    for (const listener of this.rateListeners) listener(rate);
    this.arm();
  }

  /** Calls `listener` with every new rate (a process that keeps its own copy of the clock); returns its removal. */
  onRate(listener: (rate: number) => void): () => void {
    this.rateListeners.add(listener);
    return () => this.rateListeners.delete(listener);
  }

  /** Resolves after `ms` of emulated time. */
  sleep(ms: number): Promise<void> {
    return this.after(ms).done;
  }

  /** A cancellable wait of `ms` emulated time. */
  after(ms: number): EmulatedTimer {
    let entry: Pending | undefined;
    const done = new Promise<void>((resolve) => {
      if (!(ms > 0)) return resolve();
      entry = { at: this.nowMs() + ms, resolve };
      let i = this.pending.length;
      while (i > 0 && this.pending[i - 1].at > entry.at) i--;
      this.pending.splice(i, 0, entry);
      if (i === 0) this.arm();
    });
    return {
      done,
      cancel: () => {
        const i = entry ? this.pending.indexOf(entry) : -1;
        if (i >= 0) this.pending.splice(i, 1);
      },
    };
  }

  /** Ends every timer (the platform stops); pending waits resolve so nothing hangs. */
  close(): void {
    this.rateListeners.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const p of this.pending.splice(0)) p.resolve();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const first = this.pending[0];
    if (!first) return;
    const delay = Math.max(0, this.timeline.realMs(first.at) - this.real());
    this.timer = setTimeout(() => this.fire(), Math.ceil(delay));
    // Waits alone must not keep the platform's process alive.
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    const now = this.nowMs();
    while (this.pending.length > 0 && this.pending[0].at <= now + 0.5) (this.pending.shift() as Pending).resolve();
    this.arm();
  }
}
