/** Polls until a condition settles, with exponential backoff and a deadline (the one loop for Lambda's update states). */

export interface PollOptions {
  /** Gives up after this long (ms); the error names `what`. */
  timeoutMs: number;
  /** What is awaited, for the timeout message ("propack-video: still updating"). */
  what: string;
  /** First delay between probes (ms, default 50), doubled up to `maxDelayMs` (default 2,000). */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Clock (ms) and sleep, injectable so the timeout is tested without waiting. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Timeout of a poll: the awaited state was not reached in time. */
export class PollTimeoutError extends Error {
  override name = 'PollTimeoutError';
}

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Calls `probe` until it returns true; a probe that throws ends the poll with its error. Throws a
 * PollTimeoutError ("<what> after <timeout> s") once `timeoutMs` passed without success.
 */
export async function pollUntil(probe: () => Promise<boolean>, o: PollOptions): Promise<void> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? realSleep;
  const end = now() + o.timeoutMs;
  for (let delay = o.firstDelayMs ?? 50; ; delay = Math.min(o.maxDelayMs ?? 2000, delay * 2)) {
    if (await probe()) return;
    if (now() > end) throw new PollTimeoutError(`${o.what} after ${o.timeoutMs / 1000} s`);
    await sleep(delay);
  }
}

/** Waits `ms` (real time), or less: resolves (never rejects) as soon as `signal` fires. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
