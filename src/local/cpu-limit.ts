/**
 * Gives a worker process the CPU share Lambda gives its memory size. Lambda allots one vCPU per 1,769 MB
 * (a CFS quota: the function's threads may run `vcpus × period` per period). Here the runtime already runs
 * ceil(vcpus) worker threads; this module adds the fractional part with a duty cycle, as a CFS quota would:
 * the process runs `duty × period`, then is stopped (SIGSTOP) for the rest, then continued (SIGCONT).
 * No cgroup is needed (this machine's cgroups are read-only). The host's cores cap what can be enforced:
 * on a 2-core machine an instance of more than 3,538 MB gets at most 2 vCPUs, and other load shares them.
 */
import { availableParallelism } from 'node:os';
import { MB_PER_VCPU, MAX_VCPUS } from '../core/pricing';

/** What an instance of a memory size gets: threads, duty cycle, and the vCPUs that makes on this host. */
export interface CpuShare {
  /** vCPUs Lambda gives the memory size. */
  lambdaVcpus: number;
  /** Worker threads the runtime runs (ceil of the vCPUs, at least 1). */
  threads: number;
  /** Fraction of each period the process may run. */
  duty: number;
  /** vCPUs enforced here: min(threads, host cores) × duty. */
  enforcedVcpus: number;
  /** True when the host has fewer cores than Lambda would give. */
  hostLimited: boolean;
}

/** The CPU share of an instance of `memoryMb` on a host with `hostCpus` cores. */
export function cpuShareFor(memoryMb: number, hostCpus: number = availableParallelism()): CpuShare {
  const lambdaVcpus = Math.min(MAX_VCPUS, memoryMb / MB_PER_VCPU);
  const threads = Math.max(1, Math.ceil(lambdaVcpus - 1e-9));
  const usable = Math.min(threads, hostCpus);
  const duty = Math.min(1, lambdaVcpus / usable);
  return { lambdaVcpus, threads, duty, enforcedVcpus: usable * duty, hostLimited: lambdaVcpus > hostCpus };
}

/** Sends a signal to a process; injectable so the cycle can be tested without a process. */
export type Signaller = (pid: number, signal: 'SIGSTOP' | 'SIGCONT') => void;

const defaultSignaller: Signaller = (pid, signal) => {
  try {
    process.kill(pid, signal);
  } catch {
    // The process is gone: the owner stops the cycle when it sees the exit.
  }
};

/** Default period (ms): CFS's default quota period is 100 ms. */
export const DUTY_PERIOD_MS = 100;

/** Runs `pid` for duty × period and stops it for the rest, until `stop()`. A duty of 1 does nothing. */
export class DutyCycle {
  private timer: NodeJS.Timeout | undefined;
  private running = true;
  private stopped = false;

  constructor(
    private readonly pid: number,
    private readonly duty: number,
    private readonly periodMs = DUTY_PERIOD_MS,
    private readonly signal: Signaller = defaultSignaller,
  ) {}

  /** Starts the cycle (the process runs first). */
  start(): void {
    if (this.duty >= 1 || this.stopped) return;
    this.schedule(this.duty * this.periodMs);
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => this.flip(), Math.max(1, ms));
    // The cycle alone must not keep the platform's process alive.
    this.timer.unref();
  }

  private flip(): void {
    if (this.stopped) return;
    this.running = !this.running;
    this.signal(this.pid, this.running ? 'SIGCONT' : 'SIGSTOP');
    this.schedule((this.running ? this.duty : 1 - this.duty) * this.periodMs);
  }

  /** Ends the cycle and leaves the process running. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (!this.running) this.signal(this.pid, 'SIGCONT');
    this.running = true;
  }
}

/**
 * Replaces a process's duty cycle: stops `current` and starts one of `duty` on `pid`; none when `duty` ≥ 1
 * (a whole vCPU or more) or there is no live process. Worker processes and Runtime API hosts share it.
 */
export function restartDutyCycle(current: DutyCycle | undefined, pid: number | undefined, duty: number): DutyCycle | undefined {
  current?.stop();
  if (duty >= 1 || pid === undefined) return undefined;
  const cycle = new DutyCycle(pid, duty);
  cycle.start();
  return cycle;
}
