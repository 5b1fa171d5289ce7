import type { InvokeMessage, ResultMessage } from './worker-protocol';

/**
 * A real process that runs a function's invocations, as the instance pool sees it: a worker process (the
 * worker protocol; may host many logical instances) or a Runtime API host (Lambda's HTTP Runtime API; one
 * process per execution environment, exactly one instance).
 */
export interface ExecutionHost {
  /** Logical instances pinned to this process. */
  readonly instances: Set<string>;
  /** False when the host must never hold a second logical instance (one process per environment). */
  readonly shareable: boolean;
  /** True once the process must take no new instances (old code/config, a timeout, an init error). */
  draining: boolean;
  /** True once the process can take invocations (or has died trying). */
  readonly isReady: boolean;
  /** Resolves when the process is ready (or has died while booting). */
  readonly ready: Promise<void>;
  /** Number of invocations running in this process now. */
  readonly busy: number;
  /**
   * Runs one invocation; resolves with its result, or with Lambda's `Runtime.ExitError` if the process dies.
   * `context` carries what only the Runtime API passes on (the worker protocol has no field for it).
   */
  invoke(m: InvokeMessage, context?: InvocationContext): Promise<ResultMessage>;
  /** Forgets a logical instance. */
  drop(instanceId: string): void;
  /** Abandons a running invocation (timeout): its result, if it ever comes, is ignored. */
  abandon(requestId: string): void;
  /** Kills the process now (pending invocations get `Runtime.ExitError`). */
  kill(): void;
  /** The process's pid while it runs; undefined before or after (the CPU governor reads and throttles it). */
  readonly pid: number | undefined;
  /** Enforces the function's MemorySize (MB): past it the process is killed (`Runtime.OutOfMemory`). */
  limitMemory(memorySizeMb: number): void;
}

/** Per-invocation data beside the event that Lambda hands a runtime. */
export interface InvocationContext {
  /** JSON text of Invoke's `X-Amz-Client-Context` (decoded from base64), when the caller set one. */
  clientContext?: string;
}

/** Lambda's answer when the runtime process dies during an invocation (killed past its memory: Runtime.OutOfMemory). */
export function exitResult(requestId: string, message: string, errorType = 'Runtime.ExitError'): ResultMessage {
  return {
    t: 'result',
    requestId,
    ok: false,
    log: '',
    maxMemoryMb: 0,
    body: JSON.stringify({ errorType, errorMessage: `RequestId: ${requestId} Error: ${message}` }),
  };
}
