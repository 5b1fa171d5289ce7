/**
 * The emulated timeline of an embedded platform running in another process (`propack local start`), read
 * from the file the platform appends its clock's breakpoints to. Each record is two little-endian float64s:
 * real epoch ms and the rate from then on; the first record is the clock's start (rate 1). Replaying them
 * rebuilds the platform's own map (core/timeline.ts), so a client maps its times as the platform does.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { PiecewiseTimeline, TIMELINE_RECORD_BYTES, type Timeline } from '../core/timeline';

/** A timeline read (and re-read as it grows) from a platform's timeline file. */
export class FileTimeline implements Timeline {
  private timeline: PiecewiseTimeline | undefined;
  private offset = 0;
  private lastRealMs = -Infinity;

  constructor(private readonly path: string) {}

  /** The wall clock: the one time this process and the platform's share. */
  realNowMs(): number {
    return Date.now();
  }

  emulatedMs(realMs: number): number {
    // The platform appends a breakpoint when its rate changes; a time past the last one read may have one.
    if (realMs > this.lastRealMs) this.refresh();
    return this.timeline ? this.timeline.emulatedMs(realMs) : realMs;
  }

  private refresh(): void {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return; // no file (an older platform, or it stopped): real time
    }
    try {
      const size = fstatSync(fd).size;
      const whole = Math.floor((size - this.offset) / TIMELINE_RECORD_BYTES) * TIMELINE_RECORD_BYTES;
      if (whole <= 0) return;
      const buf = Buffer.alloc(whole);
      readSync(fd, buf, 0, whole, this.offset);
      this.offset += whole;
      for (let at = 0; at < whole; at += TIMELINE_RECORD_BYTES) {
        const real = buf.readDoubleLE(at);
        const rate = buf.readDoubleLE(at + 8);
        if (!this.timeline) this.timeline = new PiecewiseTimeline(real);
        if (rate > 0 && rate <= 1) this.timeline.setRate(real, rate);
        this.lastRealMs = real;
      }
    } finally {
      closeSync(fd);
    }
  }
}
