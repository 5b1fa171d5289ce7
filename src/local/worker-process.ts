import { fork, type ChildProcess } from 'node:child_process';
import type { FromWorker, InvokeMessage, ResultMessage } from './worker-protocol';

/** One real worker process hosting logical instances of one function generation. */
export class WorkerProcess {
  /** Logical instances pinned to this process. */
  readonly instances = new Set<string>();
  /** True once the process must take no new instances (old code/config, or an instance timed out). */
  draining = false;
  private readonly child: ChildProcess;
  private readonly pending = new Map<string, (r: ResultMessage) => void>();
  private exited = false;

  /** Forks the bootstrap with the function's environment; `memoryMb` caps the V8 heap like Lambda's memory. */
  constructor(bootstrap: string, env: Record<string, string>, memoryMb: number, private readonly onExit: (p: WorkerProcess) => void) {
    this.child = fork(bootstrap, [], {
      env,
      execArgv: [`--max-old-space-size=${memoryMb}`],
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      serialization: 'json',
    });
    this.child.on('message', (m: FromWorker) => {
      const done = this.pending.get(m.requestId);
      this.pending.delete(m.requestId);
      done?.(m);
    });
    this.child.on('exit', (code, signal) => this.crashed(code, signal));
    this.child.on('error', () => this.crashed(null, null));
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
      this.child.send(m);
    });
  }

  /** Forgets a logical instance's module state in the process. */
  drop(instanceId: string): void {
    this.instances.delete(instanceId);
    if (!this.exited) this.child.send({ t: 'drop', instanceId });
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
    for (const [id, done] of this.pending) done(exitResult(id, `Runtime exited with error: ${why}`));
    this.pending.clear();
    this.onExit(this);
  }
}

/** Lambda's answer when the runtime process dies during an invocation. */
function exitResult(requestId: string, message: string): ResultMessage {
  return {
    t: 'result', requestId, ok: false, log: '', maxMemoryMb: 0,
    body: JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: ${message}` }),
  };
}
