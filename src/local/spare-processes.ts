import { WorkerProcess } from './worker-process';

/**
 * Booted, unassigned worker processes kept ready for cold starts. A Node process needs 0.4–0.8 s of wall
 * time (little CPU) to start here, far more than the presets' start spacing, so cold starts take a spare
 * and a replacement boots in the background.
 */
export class SpareProcesses {
  private readonly spares: WorkerProcess[] = [];
  private closed = false;

  /** Boots `target` spares now. */
  constructor(
    private readonly bootstrap: string,
    private readonly target: number,
    /** The interpreter of a Python bootstrap. */
    private readonly python?: string,
  ) {
    this.fill();
  }

  /** Resolves when the spares booted so far are ready (or died). */
  async ready(): Promise<void> {
    await Promise.all(this.spares.map((p) => p.ready));
  }

  /** True when a booted spare is waiting. */
  hasReady(): boolean {
    return this.spares.some((p) => p.isReady);
  }

  /** A spare (booted if any, else the oldest still booting); a replacement starts booting. */
  take(): WorkerProcess {
    const i = this.spares.findIndex((p) => p.isReady);
    const proc = i >= 0 ? this.spares.splice(i, 1)[0] : (this.spares.shift() ?? this.boot());
    this.fill();
    return proc;
  }

  /** Kills the spares (platform stop). */
  close(): void {
    this.closed = true;
    for (const p of this.spares.splice(0)) p.kill();
  }

  private fill(): void {
    while (!this.closed && this.spares.length < this.target) this.spares.push(this.boot());
  }

  private boot(): WorkerProcess {
    const proc = new WorkerProcess(this.bootstrap, this.python);
    proc.setOnExit((p) => {
      const i = this.spares.indexOf(p);
      if (i >= 0) this.spares.splice(i, 1);
    });
    return proc;
  }
}
