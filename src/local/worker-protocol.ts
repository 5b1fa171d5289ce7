/** Messages between the platform and a worker process (IPC, JSON). Types only: both sides import it. */

/** Platform → worker: run one invocation on logical instance `instanceId` (loaded on first use). */
export interface InvokeMessage {
  t: 'invoke';
  instanceId: string;
  requestId: string;
  codeDir: string;
  handler: string;
  functionArn: string;
  /** The event, as the JSON text the client sent. */
  payload: string;
  /** Epoch ms when the invocation times out (for `getRemainingTimeInMillis`). */
  deadline: number;
}

/** Platform → worker: forget a logical instance's module state (idle reclaim, timeout, new code). */
export interface DropMessage {
  t: 'drop';
  instanceId: string;
}

/** Platform → worker, first message after boot: the function's environment and code dir. */
export interface ConfigureMessage {
  t: 'configure';
  env: Record<string, string>;
  codeDir: string;
}

export type ToWorker = InvokeMessage | DropMessage | ConfigureMessage;

/** Worker → platform: the outcome of one invocation. */
export interface ResultMessage {
  t: 'result';
  requestId: string;
  /** False when the handler threw or could not be loaded; `body` then holds Lambda's error JSON. */
  ok: boolean;
  /** JSON text of the handler's result (or of the error object). */
  body: string;
  /** What the invocation logged, Lambda-style lines. */
  log: string;
  /** Module load time (ms) when this invocation initialized the instance, else undefined. */
  initMs?: number;
  /** Peak resident memory of the worker process so far (MB). */
  maxMemoryMb: number;
}

/** Worker → platform: the bootstrap is loaded and takes invocations. */
export interface ReadyMessage {
  t: 'ready';
}

export type FromWorker = ResultMessage | ReadyMessage;
