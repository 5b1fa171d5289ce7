/**
 * Coalesces the IPC messages of one event-loop turn into one array message: a pipe write costs far more
 * than the JSON on this kind of sandboxed machine, and under load many invocations start per turn. (Sending
 * the first message of a turn at once, for latency, doubled the writes under load and measured no better.)
 */
export class BatchedSender<T> {
  private queue: T[] = [];
  private scheduled = false;

  /** `send` writes one array of messages (child.send or process.send). */
  constructor(private readonly send: (batch: T[]) => void) {}

  /** Queues a message for the end of this event-loop turn. */
  push(m: T): void {
    this.queue.push(m);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const batch = this.queue;
      this.queue = [];
      this.send(batch);
    });
  }
}
