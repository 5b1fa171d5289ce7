/** One queued asynchronous (Event) invocation. */
export interface QueuedEvent {
  functionName: string;
  payload: string;
  requestId: string;
  /** Attempts made so far (Lambda makes at most 3: the first and 2 retries). */
  attempts: number;
}

/** What the queue needs from the platform: try to start an event now, or say it is throttled. */
export type EventRunner = (e: QueuedEvent) => { started: Promise<boolean> } | 'throttled' | 'gone';

/**
 * Lambda's asynchronous invocation queue: events wait while the function is throttled, run once, and on a
 * function error are retried twice after `retryDelaysMs` (Lambda waits about 1 and 2 minutes; shortened).
 */
export class EventQueue {
  private readonly queue: QueuedEvent[] = [];
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private running = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly run: EventRunner,
    private readonly retryDelaysMs: number[],
  ) {}

  /** Adds an event and starts whatever may run. */
  push(e: QueuedEvent): void {
    if (this.stopped) return;
    this.queue.push(e);
    this.pump();
  }

  /** Starts queued events that are not throttled; called again whenever an execution ends. */
  pump(): void {
    for (let i = 0; i < this.queue.length;) {
      const e = this.queue[i];
      const r = this.run(e);
      if (r === 'throttled') {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      if (r === 'gone') continue;
      this.running++;
      e.attempts++;
      void r.started.then((ok) => {
        this.running--;
        if (!ok && !this.stopped && e.attempts <= this.retryDelaysMs.length) {
          const t = setTimeout(
            () => {
              this.retryTimers.delete(t);
              this.push(e);
            },
            this.retryDelaysMs[e.attempts - 1],
          );
          this.retryTimers.add(t);
        }
        this.settleIdle();
      });
    }
    this.settleIdle();
  }

  /** Resolves when nothing is queued, running or waiting for a retry. */
  drained(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Drops pending retries and queued events (used after drain timeouts); returns how many were dropped. */
  clear(): number {
    const dropped = this.queue.length + this.retryTimers.size;
    this.stopped = true; // no retries or new events after this
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    this.queue.length = 0;
    this.settleIdle();
    return dropped;
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.running === 0 && this.retryTimers.size === 0;
  }

  private settleIdle(): void {
    if (!this.isIdle()) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
