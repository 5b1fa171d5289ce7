/**
 * Coalesces IPC messages into array messages: a pipe write costs far more than the JSON on this kind of
 * sandboxed machine. The first message of an event-loop turn goes at once (no added latency at low load);
 * the ones that follow in the same turn go together when the turn ends.
 */
export class BatchedSender<T> {
  private queue: T[] = [];
  private turnOpen = false;

  /** `send` writes one array of messages (child.send or process.send). */
  constructor(private readonly send: (batch: T[]) => void) {}

  /** Sends now if this turn sent nothing yet, else queues for the end of the turn. */
  push(m: T): void {
    if (this.turnOpen) {
      this.queue.push(m);
      return;
    }
    this.turnOpen = true;
    this.send([m]);
    setImmediate(() => {
      this.turnOpen = false;
      if (this.queue.length === 0) return;
      const batch = this.queue;
      this.queue = [];
      this.send(batch);
    });
  }
}
