import { readFileSync } from 'node:fs';

/** A process whose resident memory is sampled while it runs an invocation. */
export interface MemoryPolled {
  /** Samples the process's resident memory now and acts on its limit. */
  pollMemory(): void;
}

/** Resident memory (MB) of process `pid` from /proc (Linux); undefined elsewhere or when it has gone. */
export function residentMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const i = status.indexOf('VmRSS:');
    return i < 0 ? undefined : Math.round(parseInt(status.slice(i + 6), 10) / 1024);
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
