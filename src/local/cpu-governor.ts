/**
 * Gives every execution environment its Lambda CPU share, however many others run on this machine. Lambda
 * gives an environment MemorySize / 1,769 vCPUs (6 at most) of its own; here all environments share the
 * host's cores. Every tick the governor reads what each busy process's threads ran and waited (Linux
 * /proc/<pid>/task/<tid>/schedstat), holds
 * each to its share of emulated time with a token bucket (SIGSTOP past it, SIGCONT when refilled, as a
 * CFS quota throttles), and slows the emulated clock when the host cannot serve every share at once
 * (cpu-emulation.ts). No cgroup is needed (this machine's cgroups are read-only). Off Linux nothing is
 * read: the clock stays real and environments share the host's cores as they come.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { nextRate, refill, type ProcessTick } from './cpu-emulation';
import type { EmulatedClock } from './emulated-clock';

/** A process the governor holds to its share. */
export interface GovernedProcess {
  /** Its pid; undefined before it started or after it exited. */
  readonly pid: number | undefined;
  /** Invocations running in it now. */
  readonly busy: number;
}

/** Sends SIGSTOP / SIGCONT; injectable for tests. */
export type Signaller = (pid: number, signal: 'SIGSTOP' | 'SIGCONT') => void;

/** A process's CPU time and run delay so far (ms): in all, and runnable time (CPU + delay) per thread id. */
export interface CpuReading {
  cpuMs: number;
  delayMs: number;
  runnableMs: Map<string, number>;
}

/** Reads a process's CPU time and run delay so far; undefined when it cannot be read. */
export type CpuReader = (pid: number) => CpuReading | undefined;

/**
 * CPU time and run delay of a process's threads from /proc/<pid>/task/<tid>/schedstat (nanoseconds: time
 * on a CPU, time runnable but waiting for one). Threads that exited since the last read drop out, so the
 * sum can fall: the governor counts only increases.
 */
export const procSchedstat: CpuReader = (pid) => {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  let cpu = 0;
  let delay = 0;
  const runnableMs = new Map<string, number>();
  for (const tid of tids) {
    try {
      const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'latin1').split(' ');
      cpu += Number(run);
      delay += Number(wait);
      runnableMs.set(tid, (Number(run) + Number(wait)) / 1e6);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return { cpuMs: cpu / 1e6, delayMs: delay / 1e6, runnableMs };
};

const defaultSignaller: Signaller = (pid, signal) => {
  try {
    process.kill(pid, signal);
  } catch {
    // The process is gone: its owner unregisters it when it sees the exit.
  }
};

interface Held {
  proc: GovernedProcess;
  /** vCPU share of one environment in it. */
  share: number;
  /** CPU time and run delay read at the last tick (ms), while busy. */
  last?: CpuReading;
  balanceMs: number;
  stopped: boolean;
  /** Stopped at some point since the last tick. */
  throttled: boolean;
  /** Stops it when its balance runs out before the next tick. */
  cut?: NodeJS.Timeout;
  /** Real ms it ran (was not stopped) since the last tick, and when it was last continued. */
  ranMs: number;
  runningSince: number;
  /** Threads it kept busy when last measured (one vCPU each at most). */
  threads: number;
}

/** Threads that were runnable (running or waiting for a CPU) at least half of `ranMs`. */
function busyThreads(before: CpuReading, after: CpuReading, ranMs: number): number {
  let n = 0;
  for (const [tid, ms] of after.runnableMs) if (ms - (before.runnableMs.get(tid) ?? ms) >= ranMs / 2) n++;
  return n;
}

/**
 * The guard: a small process that outlives a platform killed with SIGKILL. A worker stopped for its share
 * cannot see its parent die (it runs no code while stopped), so it would stay stopped for ever; the guard
 * reads the pids the governor holds on its stdin (`+pid`, `-pid`) and, when the pipe closes (the platform
 * stopped or died), continues every one of them, which then exit on their own (their IPC channel is gone).
 */
const GUARD_SOURCE = `const held = new Set();
let buf = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  buf += d;
  for (let i = buf.indexOf('\\n'); i >= 0; i = buf.indexOf('\\n')) {
    const line = buf.slice(0, i);
    buf = buf.slice(i + 1);
    const pid = Number(line.slice(1));
    if (line[0] === '+') held.add(pid); else held.delete(pid);
  }
});
process.stdin.on('end', () => {
  for (const pid of held) { try { process.kill(pid, 'SIGCONT'); } catch {} }
  process.exit(0);
});`;

/** Starts the guard; undefined when it cannot start (the governor then works without it). */
function startGuard(): ChildProcess | undefined {
  try {
    const guard = spawn(process.execPath, ['-e', GUARD_SOURCE], { stdio: ['pipe', 'ignore', 'ignore'], env: {} });
    guard.on('error', () => undefined);
    guard.stdin?.on('error', () => undefined);
    // Neither the guard nor its pipe may keep the platform's process alive.
    guard.unref();
    (guard.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return guard;
  } catch {
    return undefined;
  }
}

/** CFS's default quota period (ms): the bucket holds this much of a share. */
const CFS_PERIOD_MS = 100;

/** Default tick (ms): short enough that a stopped process waits little past its refill. */
export const GOVERNOR_TICK_MS = 25;

export interface GovernorOptions {
  hostCpus?: number;
  tickMs?: number;
  readCpu?: CpuReader;
  /** Monotonic ms (injectable for tests). */
  now?: () => number;
  signal?: Signaller;
}

/** The platform's CPU governor; one per platform, driving its emulated clock. */
export class CpuGovernor {
  private readonly held = new Map<GovernedProcess, Held>();
  private readonly hostCpus: number;
  private readonly readCpu: CpuReader;
  private readonly signal: Signaller;
  private readonly timer: NodeJS.Timeout | undefined;
  private lastTick: number;
  private readonly tickMs: number;
  private readonly now: () => number;
  /** False off Linux: nothing is measured, the clock stays real. */
  readonly active: boolean;
  private readonly guard: ChildProcess | undefined;
  /** What the governor did so far: processes stopped past their share, ticks, and ticks with a slowed clock. */
  readonly stats = { stops: 0, ticks: 0, slowTicks: 0, minRate: 1 };

  constructor(
    private readonly clock: EmulatedClock,
    opts: GovernorOptions = {},
  ) {
    this.hostCpus = opts.hostCpus ?? availableParallelism();
    this.readCpu = opts.readCpu ?? procSchedstat;
    this.signal = opts.signal ?? defaultSignaller;
    this.tickMs = opts.tickMs ?? GOVERNOR_TICK_MS;
    this.now = opts.now ?? (() => performance.now());
    this.lastTick = this.now();
    this.active = this.readCpu(process.pid) !== undefined;
    if (!this.active) return;
    // Injected signals (tests) stop no real process: no guard needed.
    if (!opts.signal) this.guard = startGuard();
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  /** Holds `proc` to `share` vCPUs per running invocation from now on. */
  add(proc: GovernedProcess, share: number): void {
    if (proc.pid !== undefined) this.tellGuard(`+${proc.pid}`);
    this.held.set(proc, { proc, share, balanceMs: 0, stopped: false, throttled: false, ranMs: 0, runningSince: this.now(), threads: 1 });
  }

  /** Releases a process (it exited or was killed). */
  remove(proc: GovernedProcess): void {
    const h = this.held.get(proc);
    this.held.delete(proc);
    if (h?.cut) clearTimeout(h.cut);
    if (h?.stopped && proc.pid !== undefined) this.signal(proc.pid, 'SIGCONT');
    if (proc.pid !== undefined) this.tellGuard(`-${proc.pid}`);
  }

  private tellGuard(line: string): void {
    if (this.guard?.stdin?.writable) this.guard.stdin.write(line + '\n');
  }

  /** Continues every stopped process and stops ticking; the clock keeps its last rate. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    for (const h of this.held.values()) if (h.cut) clearTimeout(h.cut);
    for (const h of this.held.values()) if (h.stopped && h.proc.pid !== undefined) this.signal(h.proc.pid, 'SIGCONT');
    this.held.clear();
    this.guard?.stdin?.end();
  }

  /** One control step (public for tests that drive it with injected readers). */
  tick(): void {
    const at = this.now();
    const dtMs = at - this.lastTick;
    this.lastTick = at;
    const rate = this.clock.rate;
    const ticks: ProcessTick[] = [];
    const running: Held[] = [];
    for (const h of this.held.values()) {
      if (h.cut) clearTimeout(h.cut);
      h.cut = undefined;
      const pid = h.proc.pid;
      if (pid === undefined) continue;
      if (h.proc.busy === 0) {
        // Idle environments are not throttled: they take messages (drops, new code) and use no share.
        this.setStopped(h, false);
        h.balanceMs = 0;
        h.last = undefined;
        h.throttled = false;
        h.ranMs = 0;
        h.runningSince = at;
        continue;
      }
      const now = this.readCpu(pid);
      if (now === undefined) continue;
      const usedMs = h.last ? Math.max(0, now.cpuMs - h.last.cpuMs) : 0;
      const delayMs = h.last ? Math.max(0, now.delayMs - h.last.delayMs) : 0;
      if (!h.stopped) h.ranMs += at - h.runningSince;
      // Measured over the part of the tick it was not stopped; a tick spent stopped keeps the last count.
      if (h.last && h.ranMs >= 2) h.threads = Math.max(1, busyThreads(h.last, now, h.ranMs));
      h.ranMs = 0;
      h.runningSince = at;
      const threads = h.threads;
      h.last = now;
      // A thread runs at most one vCPU: an environment of 2 vCPUs running one thread gets one vCPU's worth,
      // however slow the clock runs. Environments sharing an interpreter count one thread each.
      const demand = Math.min(h.proc.busy * h.share, Math.max(threads, h.proc.busy));
      const allowedMs = demand * rate * dtMs;
      // A CFS period (100 ms) of the share's CPU: short bursts and read jitter pass, a sustained excess waits.
      h.balanceMs = refill(h.balanceMs, allowedMs, usedMs, Math.max(allowedMs, demand * rate * CFS_PERIOD_MS));
      ticks.push({ demand, busy: h.proc.busy, share: h.share, usedMs, delayMs, allowedMs, throttled: h.throttled || h.stopped });
      h.throttled = false;
      running.push(h);
    }
    const next = nextRate(rate, ticks, this.hostCpus);
    this.stats.ticks++;
    if (next < 1) this.stats.slowTicks++;
    this.stats.minRate = Math.min(this.stats.minRate, next);
    this.clock.setRate(next);
    for (const h of running) this.schedule(h);
  }

  /** Lets a busy process run until its balance is spent: at once stopped when none is left, else cut short by a timer. */
  private schedule(h: Held): void {
    if (h.balanceMs <= 0) return this.setStopped(h, true);
    this.setStopped(h, false);
    // Fastest it can burn CPU: the threads it kept busy (environments sharing an interpreter share its one
    // main thread), at most the host's cores.
    const burn = Math.min(this.hostCpus, h.threads);
    const runMs = h.balanceMs / burn;
    if (runMs >= this.tickMs) return;
    h.cut = setTimeout(() => {
      h.cut = undefined;
      if (h.proc.busy > 0) this.setStopped(h, true);
    }, runMs);
    h.cut.unref();
  }

  private setStopped(h: Held, stop: boolean): void {
    if (stop === h.stopped) return;
    const at = this.now();
    if (stop) h.ranMs += at - h.runningSince;
    else h.runningSince = at;
    const pid = h.proc.pid;
    if (pid !== undefined) this.signal(pid, stop ? 'SIGSTOP' : 'SIGCONT');
    h.stopped = stop;
    if (stop) {
      h.throttled = true;
      this.stats.stops++;
    }
  }

  /** Takes a process's CPU reading as an invocation starts in it, so its first tick counts only that invocation's CPU. */
  started(proc: GovernedProcess): void {
    const h = this.held.get(proc);
    if (!h || h.last || proc.pid === undefined) return;
    h.last = this.readCpu(proc.pid);
    h.ranMs = 0;
    h.runningSince = this.now();
  }
}
