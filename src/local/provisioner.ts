import type { ProvisioningPreset } from './presets';

/**
 * Per-function token bucket of new execution environments: `burst` tokens, refilled at `startsPerSecond`.
 * `reserve()` books the next start slot and returns how long (ms) the new environment must wait before it
 * may begin its cold start. Delays are scaled by `timeScale` (0.1 = ten times faster than the preset).
 */
export class Provisioner {
  private tokens: number;
  private last: number;

  /** `now` is a monotonic clock in ms (injectable so tests do not depend on how fast they run). */
  constructor(
    private readonly preset: ProvisioningPreset,
    private readonly timeScale: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = preset.burst;
    this.last = now();
  }

  /** Books one environment start; returns the wait (ms) before its slot, 0 when a token is free. */
  reserve(): number {
    const { burst, startsPerSecond } = this.preset;
    if (!Number.isFinite(startsPerSecond)) return 0;
    const now = this.now();
    const ratePerMs = startsPerSecond / 1000 / this.timeScale;
    this.tokens = Math.min(burst, this.tokens + (now - this.last) * ratePerMs);
    this.last = now;
    this.tokens -= 1; // may go negative: the debt is the queue of booked slots
    return this.tokens >= 0 ? 0 : -this.tokens / ratePerMs;
  }

  /** Emulated init time of one environment (ms), already scaled. */
  coldStartMs(): number {
    return this.preset.coldStartMs * this.timeScale;
  }
}
