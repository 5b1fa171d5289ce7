/**
 * The control law of the platform's CPU emulation, pure so it is unit-tested without processes. Each tick
 * the governor (cpu-governor.ts) measures what every busy process used and decides two things:
 * - each process's token bucket: it may use its vCPU share × the clock's rate of real CPU time, no more
 *   (over its allowance it is stopped until the next tick, as a CFS quota throttles a Lambda function);
 * - the emulated clock's rate: as fast as real time when the host can give every busy environment its
 *   share, slower when it cannot, so in emulated time each still gets exactly its share.
 */

/** What one busy process asked for and got during the last tick. */
export interface ProcessTick {
  /** vCPUs owed: invocations running × one environment's share (MemorySize / 1,769 MB). */
  demand: number;
  /** Invocations running in it: environments sharing one interpreter take turns on its main thread. */
  busy: number;
  /** One environment's vCPU share. */
  share: number;
  /** CPU time its threads ran (ms). */
  usedMs: number;
  /** Time its threads were runnable but waited for a CPU (ms, Linux schedstat's run delay). */
  delayMs: number;
  /** CPU time its share allowed during the tick at the clock's rate (ms). */
  allowedMs: number;
  /** True when it was stopped for its share at some point of the tick (what it got says nothing of contention). */
  throttled: boolean;
}

/** Slowest emulated clock (emulated ms per real ms): past it a run would take hours. */
export const MIN_RATE = 0.002;
/**
 * Growth of the rate per tick while no process is starved: a tick run too fast stretches a task by at most
 * this. At 10% the clock spent three quarters of a cold fan-out climbing back after a drop.
 */
const RECOVERY = 1.2;
/** Most the rate falls in one tick for a starved process (a factor). */
const MAX_DROP = 2;
/** Share of its allowance below which a process that waited for a CPU counts as starved. */
const STARVED = 0.95;
/** Runnable time (ms) below which a tick says nothing of contention (an idle process's stray wake-ups). */
const MIN_RUNNABLE_MS = 2;

/**
 * The most the clock's rate may be, known before anything runs: environments sharing one interpreter take
 * turns on its one main thread (k busy ones get 1/k each, so time must run k × slower for each to get a
 * whole vCPU of emulated time), and all busy environments together cannot get more than the host's cores.
 */
export function rateCap(ticks: readonly ProcessTick[], hostCpus: number): number {
  let cap = 1;
  let wanted = 0;
  for (const t of ticks) {
    const single = t.busy * Math.min(1, t.share);
    if (t.busy >= 2) cap = Math.min(cap, 1 / single);
    wanted += single;
  }
  return wanted > hostCpus ? Math.min(cap, hostCpus / wanted) : cap;
}

/**
 * The clock's rate for the next tick. A process is starved when it got less CPU than its share allowed
 * while its threads waited for a CPU (other environments, other load on the machine, the platform's own
 * work): the rate then falls to the fraction of its runnable time it got, so in emulated time it gets its
 * share. It falls to the cap at once, to a starved process's bound by at most half per tick, and climbs
 * back 20% per tick (a tick run faster than a starved process was served stretches its tasks).
 */
export function nextRate(rate: number, ticks: readonly ProcessTick[], hostCpus: number): number {
  if (ticks.length === 0) return 1;
  let bound = rateCap(ticks, hostCpus);
  for (const t of ticks) {
    if (t.throttled || t.allowedMs <= 0 || t.usedMs >= STARVED * t.allowedMs) continue;
    const runnable = t.usedMs + t.delayMs;
    if (runnable < MIN_RUNNABLE_MS || t.delayMs <= 0.1 * runnable) continue;
    // At most half per tick: one noisy reading must not freeze the clock (its timers would stall), and
    // a deeper drop on one tick's evidence took 15 ticks to climb back.
    bound = Math.min(bound, Math.max(rate / MAX_DROP, (rate * t.usedMs) / Math.min(t.allowedMs, runnable)));
  }
  bound = Math.max(MIN_RATE, Math.min(1, bound));
  return bound < rate ? bound : Math.min(bound, rate * RECOVERY);
}

/**
 * A process's token bucket after a tick (ms of CPU it may still use): refilled by its allowance, drawn by
 * what it used, holding at most `burstMs` (a CFS period's worth, so a process using exactly its share is not
 * stopped for a tick's jitter).
 */
export function refill(balanceMs: number, allowanceMs: number, usedMs: number, burstMs: number): number {
  return Math.min(burstMs, balanceMs + allowanceMs - usedMs);
}
