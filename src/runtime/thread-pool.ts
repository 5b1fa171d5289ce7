import { Worker } from 'node:worker_threads';
import type { PortableContext } from './context';
import { toTaskError } from './errors';
import { epochSeconds, type PackedTask, type PackedTaskResult, type TaskError } from './protocol';
import { notSerializable, taskSubject } from './result-check';
import { WORKER_SOURCE } from './worker-source';

/** Where a worker finds the task handler: an absolute module path and the export to call. */
export interface HandlerModule {
  path: string;
  exportName: string;
}

interface WorkerReply {
  seq: number;
  ok: boolean;
  /** The result as JSON text (undefined: no result). */
  json?: string;
  /** Set instead of `error` when the result was not JSON: what it was ("a BigInt"). */
  notJson?: string;
  error?: TaskError;
  startedAt: number;
  endedAt: number;
}

interface Job {
  seq: number;
  task: PackedTask;
  context: PortableContext;
  resolve: (r: PackedTaskResult) => void;
}

/** One worker thread and the job it is running; a crashed worker is replaced when the next job starts. */
class Slot {
  private worker: Worker | undefined;
  job: Job | undefined;
  private jobStartedMs = 0;
  private stopped = false;

  constructor(
    private readonly spec: HandlerModule,
    private readonly onFree: (slot: Slot) => void,
  ) {}

  private spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { modulePath: this.spec.path, exportName: this.spec.exportName } });
    worker.on('message', (reply: WorkerReply) => {
      const job = this.job;
      if (!job || reply.seq !== job.seq) return;
      const error = reply.notJson !== undefined ? notSerializable(taskSubject(job.task.id), reply.notJson) : reply.error;
      this.settle({
        id: job.task.id,
        status: reply.ok ? 'ok' : 'error',
        ...(reply.ok ? (reply.json === undefined ? {} : { result: JSON.parse(reply.json) as unknown }) : { error }),
        startedAt: epochSeconds(reply.startedAt),
        endedAt: epochSeconds(reply.endedAt),
      });
    });
    // 'error' and 'exit' may both fire for one crash; only the first, for the current worker, counts.
    const crashed = (err: unknown): void => {
      if (this.stopped || worker !== this.worker) return;
      this.worker = undefined;
      if (this.job)
        this.settle({
          id: this.job.task.id,
          status: 'error',
          error: toTaskError(err),
          startedAt: epochSeconds(this.jobStartedMs),
          endedAt: epochSeconds(),
        });
    };
    worker.on('error', crashed);
    worker.on('exit', (code) => crashed(new Error(`worker thread exited with code ${code}`)));
    return worker;
  }

  start(job: Job): void {
    this.job = job;
    this.jobStartedMs = Date.now();
    this.worker ??= this.spawn();
    // Only a busy worker keeps the process alive: an idle pool must not hold a CLI or test run open.
    this.worker.ref();
    this.worker.postMessage({ seq: job.seq, payload: job.task.payload, context: job.context });
  }

  private settle(result: PackedTaskResult): void {
    const job = this.job;
    this.job = undefined;
    this.worker?.unref();
    job?.resolve(result);
    this.onFree(this);
  }

  /** Stops the worker; a running job is abandoned (its promise never settles). */
  async stop(): Promise<void> {
    this.stopped = true; // so the exit that terminate causes is not taken for a crash
    this.job = undefined;
    await this.worker?.terminate();
  }
}

/** A pool of at most `size` worker threads running one handler module, started on demand; extra jobs queue. */
export class ThreadPool {
  private readonly slots: Slot[] = [];
  private readonly idle: Slot[] = [];
  private readonly queue: Job[] = [];
  private seq = 0;

  constructor(
    readonly spec: HandlerModule,
    readonly size: number,
  ) {}

  /** Runs one task on a worker; never rejects. */
  run(task: PackedTask, context: PortableContext): Promise<PackedTaskResult> {
    return new Promise((resolve) => {
      this.queue.push({ seq: ++this.seq, task, context, resolve });
      this.dispatch();
    });
  }

  private free(slot: Slot): void {
    this.idle.push(slot);
    this.dispatch();
  }

  private dispatch(): void {
    // Workers are started on demand: packing 2 tasks on a 6-vCPU instance loads the module twice, not six times.
    while (this.queue.length > 0 && this.idle.length === 0 && this.slots.length < this.size) {
      const slot = new Slot(this.spec, (s) => this.free(s));
      this.slots.push(slot);
      this.idle.push(slot);
    }
    while (this.idle.length > 0 && this.queue.length > 0) {
      (this.idle.pop() as Slot).start(this.queue.shift() as Job);
    }
  }

  /** Terminates every worker. */
  async close(): Promise<void> {
    this.queue.length = 0;
    await Promise.all(this.slots.map((s) => s.stop()));
  }
}
