import { readFileSync } from 'node:fs';

/** A process whose resident memory is sampled while it runs an invocation. */
export interface MemoryPolled {
  /** Samples the process's resident memory now and acts on its limit. */
  pollMemory(): void;
}

/**
 * Resident memory (MB) of process `pid` from /proc (Linux): now (`VmRSS`) or its peak so far (`VmHWM`);
 * undefined elsewhere or when it has gone.
 */
export function residentMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const i = status.indexOf(`${field}:`);
    return i < 0 ? undefined : Math.round(parseInt(status.slice(i + field.length + 1), 10) / 1024);
  } catch {
    return undefined;
  }
}

/** One timer (every 100 ms) polls the memory of every limited execution host of the platform. */
export const MemoryWatch = {
  procs: new Set<MemoryPolled>(),
  timer: undefined as NodeJS.Timeout | undefined,
  add(p: MemoryPolled): void {
    this.procs.add(p);
    if (this.timer || process.platform !== 'linux') return;
    this.timer = setInterval(() => {
      for (const w of this.procs) w.pollMemory();
    }, 100);
    this.timer.unref();
  },
  remove(p: MemoryPolled): void {
    this.procs.delete(p);
    if (this.procs.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  },
};

/**
 * A process's MemorySize limit as Lambda enforces it: the peak resident memory seen (MB), by polling or as
 * the process reported it, and whether it passed the limit (then the host kills it: `Runtime.OutOfMemory`).
 */
export class MemoryLimit {
  /** MemorySize (MB) of the function the process runs; 0 = no limit (yet). */
  limitMb = 0;
  /** Highest resident memory seen (MB). */
  peakMb = 0;
  /** Set once the peak passed the limit. */
  exceeded = false;

  /** Records a resident size (MB); true when the peak passes `limitMb × share` (share: instances in the process). */
  record(mb: number, share = 1): boolean {
    this.peakMb = Math.max(this.peakMb, mb);
    if (this.limitMb > 0 && this.peakMb > this.limitMb * share) this.exceeded = true;
    return this.exceeded;
  }

  /** Samples process `pid` from /proc (see `residentMb`); true when it is past its limit. */
  sample(pid: number, share = 1, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): boolean {
    const mb = residentMb(pid, field);
    return mb !== undefined && this.record(mb, share);
  }
}
