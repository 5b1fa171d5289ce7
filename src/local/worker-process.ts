import { fork, spawn, type ChildProcess } from 'node:child_process';
import { BatchedSender } from './batched-sender';
import { exitResult, type ExecutionHost } from './execution-host';
import { MemoryLimit, MemoryWatch } from './memory-watch';
import type { FromWorker, InvokeMessage, ResultMessage, ToWorker } from './worker-protocol';

/**
 * Environment variables a worker inherits from the platform (an allowlist); everything else comes from the
 * function (its variables, Lambda's, HOME/TMPDIR in its sandbox, the function role's key). Never HOME,
 * AWS_* (profiles, config files, the user's or the platform's keys) or anything else of the user's.
 */
export const INHERITED = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'SYSTEMROOT'];

/**
 * One real worker process. It boots generic (so spares can be booted ahead of demand: a Node process
 * takes 0.4–0.8 s of wall time to start here) and is then assigned to one function generation, whose
 * logical instances it hosts.
 */
export class WorkerProcess implements ExecutionHost {
  /** A worker process hosts many logical instances (past the per-function process cap). */
  readonly shareable = true;
  /** Logical instances pinned to this process. */
  readonly instances = new Set<string>();
  /** True once the process must take no new instances (old code/config, or an instance timed out). */
  draining = false;
  /** True once the bootstrap has loaded and said so. */
  isReady = false;
  /** Resolves when the process is ready (or has died while booting). */
  readonly ready: Promise<void>;
  private markReady!: () => void;
  private readonly child: ChildProcess;
  private readonly outbox: BatchedSender<ToWorker>;
  private readonly pending = new Map<string, (r: ResultMessage) => void>();
  private exited = false;

  private onExit: (p: WorkerProcess) => void = () => undefined;
  /** MemorySize of the function the process hosts and the peak resident memory (MB); no limit while a spare. */
  private readonly memory = new MemoryLimit();
  /** Most logical instances hosted at once: a process shared by k instances may use k × MemorySize. */
  private peakInstances = 1;

  /**
   * Starts the bootstrap with only the platform's basic environment (PATH, LANG, TZ, ...): a Node bootstrap
   * forked, a Python one (`.py`) run by `python` in isolated mode (-I: no PYTHONPATH, user site-packages or
   * script folder on sys.path), both speaking the worker protocol over the IPC channel.
   */
  constructor(bootstrap: string, python?: string) {
    this.ready = new Promise((r) => {
      this.markReady = r;
    });
    const env = Object.fromEntries(INHERITED.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k] as string]));
    const options = { env, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] as ('ignore' | 'ipc')[], serialization: 'json' as const };
    this.child = bootstrap.endsWith('.py') ? spawn(python ?? 'python3', ['-I', '-u', bootstrap], options) : fork(bootstrap, [], options);
    this.child.on('message', (batch: FromWorker[]) => {
      for (const m of batch) this.received(m);
    });
    this.outbox = new BatchedSender<ToWorker>((batch) => {
      if (!this.exited) this.child.send(batch);
    });
    this.child.on('exit', (code, signal) => this.crashed(code, signal));
    this.child.on('error', () => this.crashed(null, null));
  }

  private received(m: FromWorker): void {
    if (m.t === 'ready') {
      this.isReady = true;
      return this.markReady();
    }
    // The worker reports its peak resident memory: a spike between two polls still counts (Lambda kills it).
    if (this.memory.record(m.maxMemoryMb, this.share())) return this.kill();
    const done = this.pending.get(m.requestId);
    this.pending.delete(m.requestId);
    done?.(m);
  }

  /**
   * Enforces the function's MemorySize (MB) on this process, as Lambda does: while invocations run, its
   * resident memory is polled (Linux /proc/<pid>/status VmRSS, every 100 ms), and every result carries the
   * worker's peak; past the limit the process is killed and its invocations fail with `Runtime.OutOfMemory`.
   */
  limitMemory(memorySizeMb: number): void {
    this.memory.limitMb = memorySizeMb;
    MemoryWatch.add(this);
  }

  /** Samples the process's resident memory now (MB); undefined when it cannot be read (not Linux, exited). */
  pollMemory(): void {
    if (this.exited || this.pending.size === 0 || this.child.pid === undefined) return;
    if (this.memory.sample(this.child.pid, this.share())) this.kill();
  }

  /** True once the process has exited (no more polling). */
  get gone(): boolean {
    return this.exited;
  }

  /** The limit's multiple: a process shared by k instances may use k × MemorySize. */
  private share(): number {
    this.peakInstances = Math.max(this.peakInstances, this.instances.size);
    return this.peakInstances;
  }

  /** Assigns the process to a function: its environment and code dir (cwd); `onExit` runs if it dies. */
  assign(env: Record<string, string>, codeDir: string, onExit: (p: WorkerProcess) => void): void {
    this.onExit = onExit;
    this.outbox.push({ t: 'configure', env, codeDir });
  }

  /** The process's pid while it runs (the CPU governor reads and throttles it). */
  get pid(): number | undefined {
    return this.exited ? undefined : this.child.pid;
  }

  /** Sets what happens when the process dies (spare bookkeeping before assignment). */
  setOnExit(onExit: (p: WorkerProcess) => void): void {
    this.onExit = onExit;
  }

  /** Number of invocations running in this process now. */
  get busy(): number {
    return this.pending.size;
  }

  /** Sends one invocation; resolves with its result, or with Lambda's `Runtime.ExitError` if the process dies. */
  invoke(m: InvokeMessage): Promise<ResultMessage> {
    return new Promise((resolve) => {
      if (this.exited) return resolve(exitResult(m.requestId, 'Runtime exited before the invocation'));
      this.pending.set(m.requestId, resolve);
      this.outbox.push(m);
    });
  }

  /** Forgets a logical instance's module state in the process. */
  drop(instanceId: string): void {
    this.instances.delete(instanceId);
    this.outbox.push({ t: 'drop', instanceId });
  }

  /** Abandons a running invocation (timeout): its result, if it ever comes, is ignored. */
  abandon(requestId: string): void {
    this.pending.delete(requestId);
  }

  /** Kills the process now (pending invocations get `Runtime.ExitError`). */
  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  private crashed(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exited) return;
    this.exited = true;
    const why = signal ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal}` : `exit status ${code ?? 'unknown'}`;
    MemoryWatch.remove(this);
    for (const [id, done] of this.pending) {
      done(
        this.memory.exceeded
          ? { ...exitResult(id, `Runtime exited with error: ${why}`, 'Runtime.OutOfMemory'), maxMemoryMb: this.memory.peakMb }
          : exitResult(id, `Runtime exited with error: ${why}`),
      );
    }
    this.pending.clear();
    this.markReady();
    this.onExit(this);
  }
}
