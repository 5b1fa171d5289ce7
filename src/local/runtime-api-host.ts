import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { exitResult, type ExecutionHost, type InvocationContext } from './execution-host';
import { responseTooLargeBody } from './lambda-error';
import { MemoryLimit, MemoryWatch, type MemoryPolled } from './memory-watch';
import {
  tooLargeAnswer,
  traceId,
  type NextInvocation,
  type RuntimeAnswer,
  type RuntimeApiServer,
  type RuntimeError,
  type RuntimeSession,
} from './runtime-api-server';
import type { InvokeMessage, ResultMessage } from './worker-protocol';
import { INHERITED } from './worker-process';

/** Most of a runtime's stdout/stderr kept for one invocation's log (bytes of text; the tail is kept). */
const LOG_LIMIT = 64 * 1024;

/** An invocation handed to this environment and not yet answered. */
interface Pending {
  m: InvokeMessage;
  context: InvocationContext;
  resolve: (r: ResultMessage) => void;
  /** True once `/next` has handed it to the runtime. */
  delivered: boolean;
}

/**
 * One execution environment of a `provided.*` function: its own process, the function's executable
 * `bootstrap` (cwd = the code folder), talking to the platform over Lambda's Runtime API. It hosts exactly
 * one logical instance. The cold start is the time from spawn to the runtime's first `/next`.
 */
export class RuntimeApiHost implements ExecutionHost, RuntimeSession, MemoryPolled {
  readonly instances = new Set<string>();
  readonly shareable = false;
  draining = false;
  /** The environment takes its invocation at once; the runtime's init is part of the first invocation. */
  readonly isReady = true;
  readonly ready = Promise.resolve();
  private readonly child: ChildProcess | undefined;
  private readonly unregister: () => void;
  private readonly spawnedAt = performance.now();
  /** Why the bootstrap could not start (`Runtime.InvalidEntrypoint`); undefined when it did. */
  private entrypointProblem: string | undefined;
  private exited = false;
  private exitReason = '';
  private pending: Pending | undefined;
  private waiting: ((inv: NextInvocation) => void) | undefined;
  /** Spawn → first `/next` (ms); reported once, with the first result. */
  private initMs: number | undefined;
  private initReported = false;
  private initFailure: RuntimeError | undefined;
  private log = '';
  private readonly memory = new MemoryLimit();

  /** Spawns `<codeDir>/bootstrap` with `env` (the pool's sandboxed environment) plus the Runtime API address. */
  constructor(
    api: RuntimeApiServer,
    codeDir: string,
    env: Record<string, string>,
    private readonly onExit: (h: RuntimeApiHost) => void,
  ) {
    const reg = api.register(this);
    this.unregister = reg.unregister;
    const bootstrap = join(codeDir, 'bootstrap');
    this.entrypointProblem = entrypointProblem(bootstrap);
    if (this.entrypointProblem) {
      // Lambda tries the init again in a new environment, so this one takes no second invocation.
      this.draining = true;
      this.exited = true;
      this.unregister();
      return;
    }
    const base = Object.fromEntries(INHERITED.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k] as string]));
    this.child = spawn(bootstrap, [], {
      cwd: codeDir,
      env: { ...base, ...env, AWS_LAMBDA_RUNTIME_API: reg.address, LAMBDA_TASK_ROOT: codeDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.log += chunk.toString('utf8');
      if (this.log.length > LOG_LIMIT) this.log = this.log.slice(-LOG_LIMIT);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.child.on('exit', (code, signal) =>
      this.ended(signal ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal}` : `exit status ${code ?? 'unknown'}`),
    );
    this.child.on('error', (e: NodeJS.ErrnoException) => {
      // The kernel refused to run it (no #! line, another architecture): Lambda's InvalidEntrypoint, not an exit.
      this.entrypointProblem = `${bootstrap} could not be started (${e.code ?? e.message}): make it an executable for this machine.`;
      this.draining = true;
      this.ended(e.message);
    });
  }

  get busy(): number {
    return this.pending ? 1 : 0;
  }

  /** Queues the invocation for the runtime's next `/next`; resolves with what the runtime answers. */
  invoke(m: InvokeMessage, context: InvocationContext = {}): Promise<ResultMessage> {
    return new Promise((resolve) => {
      if (this.entrypointProblem)
        return resolve(this.result(m.requestId, false, errorBody('Runtime.InvalidEntrypoint', m.requestId, this.entrypointProblem)));
      if (this.initFailure) return resolve(this.result(m.requestId, false, JSON.stringify(this.initFailure)));
      if (this.exited) return resolve(exitResult(m.requestId, `Runtime exited with error: ${this.exitReason}`));
      this.pending = { m, context, resolve, delivered: false };
      this.deliver();
    });
  }

  drop(instanceId: string): void {
    this.instances.delete(instanceId);
  }

  abandon(requestId: string): void {
    if (this.pending?.m.requestId === requestId) this.pending = undefined;
  }

  kill(): void {
    if (!this.exited) this.child?.kill('SIGKILL');
  }

  /** The bootstrap's pid while it runs (the CPU governor reads and throttles it). */
  get pid(): number | undefined {
    return this.exited ? undefined : this.child?.pid;
  }

  limitMemory(memorySizeMb: number): void {
    this.memory.limitMb = memorySizeMb;
    if (!this.exited) MemoryWatch.add(this);
  }

  /** Samples the bootstrap's resident memory while it runs an invocation; past MemorySize it is killed. */
  pollMemory(): void {
    if (this.exited || !this.pending || this.child?.pid === undefined) return;
    if (this.memory.sample(this.child.pid)) this.kill();
  }

  // ---- RuntimeSession: what the runtime asks over HTTP ----

  next(deliver: (inv: NextInvocation) => void, refuse: (a: RuntimeAnswer) => void): () => void {
    if (this.initFailure) {
      refuse({
        status: 500,
        errorType: 'Runtime.ExitError',
        errorMessage: 'The runtime reported an init error; this environment is stopping.',
      });
      return () => undefined;
    }
    if (this.initMs === undefined) this.initMs = performance.now() - this.spawnedAt;
    // A /next while an invocation is delivered ends it without a result, as Lambda treats it: the runtime moved on.
    if (this.pending?.delivered)
      this.settle(
        false,
        errorBody(
          'Runtime.InvalidStateTransition',
          this.pending.m.requestId,
          'the runtime asked for the next invocation without answering this one',
        ),
      );
    this.waiting = deliver;
    this.deliver();
    return () => {
      if (this.waiting === deliver) this.waiting = undefined;
    };
  }

  respond(requestId: string, body: Buffer): RuntimeAnswer {
    if (!this.isCurrent(requestId)) return invalidRequestId();
    this.settle(true, body.length ? body.toString('utf8') : 'null');
    return { status: 202 };
  }

  tooLarge(requestId: string, bytes: number): RuntimeAnswer {
    if (!this.isCurrent(requestId)) return invalidRequestId();
    this.settle(false, responseTooLargeBody(bytes));
    return tooLargeAnswer();
  }

  fail(requestId: string, error: RuntimeError): RuntimeAnswer {
    if (!this.isCurrent(requestId)) return invalidRequestId();
    this.settle(false, JSON.stringify(error));
    return { status: 202 };
  }

  initError(error: RuntimeError): RuntimeAnswer {
    if (this.initMs !== undefined)
      return { status: 403, errorType: 'InvalidStateTransition', errorMessage: 'Init error after the runtime asked for an invocation.' };
    this.initMs = performance.now() - this.spawnedAt;
    this.initFailure = error;
    // Lambda stops an environment whose init failed; the pending invocation fails with the runtime's error.
    this.draining = true;
    this.settle(false, JSON.stringify(error));
    this.kill();
    return { status: 202 };
  }

  // ---- internals ----

  private isCurrent(requestId: string): boolean {
    return this.pending !== undefined && this.pending.delivered && this.pending.m.requestId === requestId;
  }

  /** Hands the pending invocation to a waiting `/next`. */
  private deliver(): void {
    const p = this.pending;
    const waiting = this.waiting;
    if (!p || p.delivered || !waiting) return;
    this.waiting = undefined;
    p.delivered = true;
    this.log = ''; // the invocation's log starts here (the init's output stays with the platform)
    waiting({
      requestId: p.m.requestId,
      deadlineMs: p.m.deadline,
      functionArn: p.m.functionArn,
      traceId: traceId(),
      payload: p.m.payload,
      ...(p.context.clientContext !== undefined ? { clientContext: p.context.clientContext } : {}),
    });
  }

  private settle(ok: boolean, body: string): void {
    const p = this.pending;
    if (!p) return;
    // The process's peak so far (VmHWM) with every answer, as a worker reports its peak: a spike between two
    // polls still counts, and past the limit the invocation fails with Runtime.OutOfMemory (on exit).
    if (this.child?.pid !== undefined && !this.exited && this.memory.sample(this.child.pid, 1, 'VmHWM')) return this.kill();
    this.pending = undefined;
    p.resolve(this.result(p.m.requestId, ok, body));
  }

  private result(requestId: string, ok: boolean, body: string): ResultMessage {
    const log = this.log;
    this.log = '';
    const first = !this.initReported && this.initMs !== undefined;
    if (first) this.initReported = true;
    return { t: 'result', requestId, ok, body, log, maxMemoryMb: this.memory.peakMb, ...(first ? { initMs: this.initMs } : {}) };
  }

  private ended(why: string): void {
    if (this.exited) return;
    this.exited = true;
    this.exitReason = why;
    MemoryWatch.remove(this);
    this.unregister();
    const p = this.pending;
    this.pending = undefined;
    if (p && this.entrypointProblem)
      p.resolve(this.result(p.m.requestId, false, errorBody('Runtime.InvalidEntrypoint', p.m.requestId, this.entrypointProblem)));
    else if (p) {
      const r = this.memory.exceeded
        ? exitResult(p.m.requestId, `Runtime exited with error: ${why}`, 'Runtime.OutOfMemory')
        : exitResult(p.m.requestId, `Runtime exited with error: ${why}`);
      p.resolve({ ...r, log: this.log, maxMemoryMb: this.memory.peakMb });
    }
    this.onExit(this);
  }
}

/** Why `path` cannot be a custom runtime's bootstrap (one line, says what to do), or undefined. */
function entrypointProblem(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return `${path} is not a file: put an executable file named bootstrap at the root of the zip.`;
  } catch {
    return `Couldn't find valid bootstrap(s): [${path}]: put an executable file named bootstrap at the root of the zip.`;
  }
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return `${path} is not executable: mark bootstrap executable (chmod 755) before zipping.`;
  }
  // Lambda execs the file directly: without a #! line or an ELF header it fails (exec format error), where
  // Node's spawn here would quietly run it with /bin/sh.
  const head = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  if (head.subarray(0, 2).toString('latin1') !== '#!' && !head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])))
    return `${path} could not be started (exec format error): begin it with a #! line (e.g. #!/bin/sh) or make it an executable binary.`;
  return undefined;
}

function errorBody(errorType: string, requestId: string, message: string): string {
  return JSON.stringify({ errorType, errorMessage: `RequestId: ${requestId} Error: ${message}` });
}

function invalidRequestId(): RuntimeAnswer {
  return { status: 400, errorType: 'InvalidRequestID', errorMessage: 'Invalid request ID' };
}
