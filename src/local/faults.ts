/**
 * Seeded fault injection for the local platform. Each fault kind draws from its own mulberry32 stream
 * (seed + kind index), so the sequence of decisions per kind is reproducible for a seed; which request
 * meets which decision still depends on arrival order, as on a real platform.
 */
import { seededRandom } from '../core/plan';

/** Probabilities (0..1) of each fault per opportunity (invocation, S3 request or cold start). */
export interface FaultRates {
  /** The instance's process is killed while it runs the invocation (Runtime.ExitError). */
  crash: number;
  /** The invocation answers an injected Unhandled function error without running the handler. */
  error: number;
  /** The invocation is reported timed out at once; the handler keeps running and its answer is dropped. */
  timeout: number;
  /** The invoke request is answered 429 TooManyRequestsException before it runs. */
  throttle: number;
  /** An S3 request is answered 500 InternalError or 503 SlowDown before it reaches the store. */
  s3Error: number;
  /** A cold start takes ten times the preset's init time. */
  slowCold: number;
}

export const FAULT_KINDS = ['crash', 'error', 'timeout', 'throttle', 's3-error', 'slow-cold'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const FIELD: Record<FaultKind, keyof FaultRates> = {
  crash: 'crash',
  error: 'error',
  timeout: 'timeout',
  throttle: 'throttle',
  's3-error': 's3Error',
  'slow-cold': 'slowCold',
};

/** No faults. */
export const NO_FAULTS: FaultRates = { crash: 0, error: 0, timeout: 0, throttle: 0, s3Error: 0, slowCold: 0 };

/** Parses `crash=0.05,error=0.05,...`; throws an Error whose message is one line naming the bad part. */
export function parseFaults(text: string): FaultRates {
  const rates = { ...NO_FAULTS };
  if (text.trim() === '') throw new Error('--faults is empty; use e.g. crash=0.05,throttle=0.2');
  for (const part of text.split(',')) {
    const [rawKey, rawValue, extra] = part.split('=');
    const key = rawKey.trim();
    if (!(FAULT_KINDS as readonly string[]).includes(key)) throw new Error(`unknown fault "${key}" (known: ${FAULT_KINDS.join(', ')})`);
    const value = Number(rawValue);
    if (rawValue === undefined || extra !== undefined || rawValue.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
      throw new Error(`fault ${key} needs a probability from 0 to 1, got "${rawValue ?? ''}"`);
    }
    rates[FIELD[key as FaultKind]] = value;
  }
  return rates;
}

/** Parses a seed: an integer from 0 to 2^32-1; throws a one-line Error otherwise. */
export function parseSeed(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) > 0xffffffff)
    throw new Error(`--seed must be a whole number from 0 to 4294967295, got "${text}"`);
  return Number(text);
}

/** What happens to one invocation. */
export type InvocationFault = 'none' | 'crash' | 'error' | 'timeout';

/** Counts of faults injected so far (for benchmarks and tests). */
export type FaultCounts = Record<keyof FaultRates, number>;

/** Draws fault decisions; one instance per platform. */
export class FaultInjector {
  readonly counts: FaultCounts = { ...NO_FAULTS };
  private readonly streams: Record<keyof FaultRates, () => number>;

  constructor(
    readonly rates: FaultRates,
    seed: number,
  ) {
    const fields = Object.values(FIELD);
    this.streams = Object.fromEntries(fields.map((f, i) => [f, seededRandom(seed + i * 0x9e3779b9)])) as Record<
      keyof FaultRates,
      () => number
    >;
  }

  /** True when any fault has a non-zero rate. */
  get active(): boolean {
    return Object.values(this.rates).some((r) => r > 0);
  }

  /** Whether a fault of `kind` happens now (draws from that kind's stream only when its rate is set). */
  draw(kind: keyof FaultRates): boolean {
    const rate = this.rates[kind];
    if (rate <= 0) return false;
    const hit = this.streams[kind]() < rate;
    if (hit) this.counts[kind]++;
    return hit;
  }

  /** The fault of one invocation that was admitted (not throttled): crash, error, timeout or none. */
  invocation(): InvocationFault {
    if (this.draw('crash')) return 'crash';
    if (this.draw('error')) return 'error';
    if (this.draw('timeout')) return 'timeout';
    return 'none';
  }
}
