import { randomUUID } from 'node:crypto';
import { architecturesProblem, environmentProblem, memorySizeProblem, RESERVED_ENV_KEYS, timeoutProblem } from '../core/lambda-config';
import { CodeLocations } from './code-location';
import { ConcurrencyLimits } from './concurrency';
import { EventQueue, type QueuedEvent } from './event-queue';
import type { InvocationContext } from './execution-host';
import { FunctionStore, functionArn, lambdaTimestamp, type FunctionConfiguration, type StoredFunction } from './function-store';
import { InstancePool, type PoolSettings } from './instance-pool';
import { isPythonRuntime, pythonExecutable, PYTHON_RUNTIMES } from './python';
import { runInvocation, type InvokeOutcome } from './invoker';
import { invalidParameter, LambdaApiError, notFound } from './lambda-error';
import { isValidFunctionName } from './names';
import { isProvidedRuntime, PROVIDED_RUNTIMES } from './provided';

/**
 * A runtime the platform runs: Node.js (any nodejs*), Python 3.9–3.13 when this machine has a python3, or an
 * OS-only runtime (provided.al2023, provided.al2) whose bootstrap talks to the Runtime API.
 */
function checkRuntime(runtime: unknown): string {
  if (typeof runtime !== 'string' || !(runtime.startsWith('nodejs') || isPythonRuntime(runtime) || isProvidedRuntime(runtime)))
    throw invalidParameter(
      `Runtime ${String(runtime)} is not supported locally; use nodejs20.x, ${PYTHON_RUNTIMES.join(', ')} or ${PROVIDED_RUNTIMES.join(', ')}.`,
    );
  if (isPythonRuntime(runtime) && !pythonExecutable())
    throw invalidParameter(
      `Runtime ${runtime} runs with this machine's python3, and none was found (install python3 or set PROPACK_PYTHON).`,
    );
  return runtime;
}

/**
 * A handler the runtime can load: `file.export` for Node.js and Python; any non-blank word for an OS-only
 * runtime, whose bootstrap reads it from `_HANDLER` (as Lambda's pattern `[^\s]+` allows).
 */
function checkHandler(handler: unknown, runtime: string): asserts handler is string {
  if (isProvidedRuntime(runtime)) {
    if (typeof handler !== 'string' || !/^[^\s]{1,128}$/.test(handler))
      throw invalidParameter('Handler must be 1 to 128 characters without spaces (your bootstrap reads it from _HANDLER).');
    return;
  }
  if (typeof handler !== 'string' || !/^[^\s]+\.[^\s.]+$/.test(handler)) throw invalidParameter('Handler must look like file.export');
}

/** The fields of CreateFunction / UpdateFunctionConfiguration the platform honours. */
export interface FunctionInput {
  FunctionName?: unknown;
  Runtime?: unknown;
  Role?: unknown;
  Handler?: unknown;
  Description?: unknown;
  Timeout?: unknown;
  MemorySize?: unknown;
  Environment?: { Variables?: Record<string, string> };
  Architectures?: unknown;
  Code?: { ZipFile?: unknown };
}

/** Service settings. */
export interface ServiceSettings extends PoolSettings {
  accountConcurrency: number;
  idleReclaimMs: number;
  eventRetryDelaysMs: number[];
  /** How long a GetFunction Code.Location may be downloaded (ms; default Lambda's 10 minutes). */
  codeLocationTtlMs?: number;
}

/** The Lambda operations behind the REST routes: functions, concurrency, invocations, the event queue. */
export class LambdaService {
  private readonly pools = new Map<string, InstancePool>();
  private readonly limits: ConcurrencyLimits;
  private readonly events: EventQueue;
  private readonly reclaimTimer: NodeJS.Timeout;
  private syncInflight = 0;
  private syncWaiters: (() => void)[] = [];
  /** Names whose CreateFunction is unzipping now (the unzip is asynchronous). */
  private readonly creating = new Set<string>();
  /** Set when a drain gave up waiting: nothing starts any more. */
  private stopped = false;
  /** The download tokens GetFunction hands out with Code.Location. */
  readonly codeLocations: CodeLocations;

  constructor(
    readonly store: FunctionStore,
    private readonly settings: ServiceSettings,
  ) {
    this.limits = new ConcurrencyLimits(settings.accountConcurrency, store.functions);
    this.codeLocations = new CodeLocations(settings.codeLocationTtlMs);
    this.events = new EventQueue((e) => this.startEvent(e), settings.eventRetryDelaysMs);
    this.reclaimTimer = setInterval(
      () => {
        for (const p of this.pools.values()) p.reclaim(settings.idleReclaimMs);
      },
      Math.min(settings.idleReclaimMs, 10_000),
    );
    this.reclaimTimer.unref();
  }

  /** CreateFunction: validates, unzips (asynchronously) and persists; 409 when the name exists or is being created. */
  async create(input: FunctionInput): Promise<FunctionConfiguration> {
    const name = input.FunctionName;
    if (!isValidFunctionName(name)) throw validationName(name);
    if (this.store.functions.has(name) || this.creating.has(name))
      throw new LambdaApiError(409, 'ResourceConflictException', `Function already exist: ${name}`);
    const runtime = checkRuntime(input.Runtime);
    checkHandler(input.Handler, runtime);
    const zip = zipBytes(input.Code?.ZipFile);
    this.creating.add(name);
    let code: Awaited<ReturnType<FunctionStore['writeCode']>>;
    try {
      code = await this.store.writeCode(name, zip);
    } finally {
      this.creating.delete(name);
    }
    const config: FunctionConfiguration = {
      FunctionName: name,
      FunctionArn: functionArn(name),
      Runtime: runtime,
      Role: typeof input.Role === 'string' ? input.Role : '',
      Handler: input.Handler,
      CodeSize: code.size,
      CodeSha256: code.sha,
      Description: typeof input.Description === 'string' ? input.Description : '',
      Timeout: 3,
      MemorySize: 128,
      LastModified: lambdaTimestamp(),
      Version: '$LATEST',
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: 'Zip',
      Architectures: architectures(input.Architectures) ?? ['x86_64'],
      RevisionId: randomUUID(),
    };
    applyConfig(config, input);
    this.store.save({ config, codeDir: code.codeDir, generation: 0 });
    return config;
  }

  /** The stored function or Lambda's 404. */
  get(name: string): StoredFunction {
    const fn = this.store.functions.get(name);
    if (!fn) throw notFound(functionArn(name));
    return fn;
  }

  /** ListFunctions page: `marker` is the last name of the previous page, `maxItems` 1..50. */
  list(marker: string | undefined, maxItems: number): { Functions: FunctionConfiguration[]; NextMarker?: string } {
    const names = [...this.store.functions.keys()].sort();
    const start = marker ? names.findIndex((n) => n > marker) : 0;
    const page = start < 0 ? [] : names.slice(start, start + maxItems);
    const more = start >= 0 && start + maxItems < names.length;
    return { Functions: page.map((n) => this.get(n).config), ...(more ? { NextMarker: page[page.length - 1] } : {}) };
  }

  /** UpdateFunctionCode (zip, optionally Architectures): new code for new instances; running invocations finish on the old code. */
  async updateCode(name: string, zip: unknown, architecturesInput?: unknown): Promise<FunctionConfiguration> {
    this.get(name);
    const arch = architectures(architecturesInput);
    const code = await this.store.writeCode(name, zipBytes(zip));
    const fn = this.get(name); // deleted while unzipping: 404, and the new code goes with the function's folder
    Object.assign(
      fn.config,
      { CodeSha256: code.sha, CodeSize: code.size, LastModified: lambdaTimestamp(), RevisionId: randomUUID() },
      arch ? { Architectures: arch } : {},
    );
    return this.changed({ ...fn, codeDir: code.codeDir });
  }

  /** UpdateFunctionConfiguration (memory, timeout, environment, handler, description). */
  updateConfig(name: string, input: FunctionInput): FunctionConfiguration {
    const fn = this.get(name);
    const runtime = input.Runtime !== undefined ? checkRuntime(input.Runtime) : fn.config.Runtime;
    if (input.Handler !== undefined) checkHandler(input.Handler, runtime);
    applyConfig(fn.config, input);
    if (typeof input.Handler === 'string') fn.config.Handler = input.Handler;
    fn.config.Runtime = runtime;
    Object.assign(fn.config, { LastModified: lambdaTimestamp(), RevisionId: randomUUID() });
    return this.changed(fn);
  }

  /** DeleteFunction: stops its instances and removes it from disk. */
  delete(name: string): void {
    this.get(name);
    this.pools.get(name)?.close();
    this.pools.delete(name);
    this.store.delete(name);
  }

  /** PutFunctionConcurrency / DeleteFunctionConcurrency (undefined removes the reservation). */
  setReserved(name: string, reserved: number | undefined): void {
    const fn = this.get(name);
    if (reserved !== undefined && (!Number.isInteger(reserved) || reserved < 0 || reserved > this.limits.account)) {
      throw invalidParameter(`ReservedConcurrentExecutions must be an integer from 0 to ${this.limits.account}`);
    }
    this.store.save({ ...fn, reserved });
  }

  /** A synchronous invocation; throws 429 when throttled. */
  async invokeSync(name: string, payload: string, context: InvocationContext = {}): Promise<InvokeOutcome> {
    const fn = this.get(name);
    const throttle = this.limits.check(fn) ?? (this.settings.faults?.draw('throttle') ? injectedThrottle() : undefined);
    if (throttle) throw throttle;
    this.syncInflight++;
    try {
      return await this.execute(fn, payload, randomUUID(), context);
    } finally {
      if (--this.syncInflight === 0) for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  /** Queues an asynchronous invocation (Lambda answers 202 before it runs); returns its request id. */
  invokeEvent(name: string, payload: string): string {
    this.get(name);
    const requestId = randomUUID();
    this.events.push({ functionName: name, payload, requestId, attempts: 0 });
    return requestId;
  }

  /** Instances and processes alive now, over all functions. */
  counts(): { instances: number; processes: number; inflight: number } {
    let instances = 0,
      processes = 0;
    for (const p of this.pools.values()) {
      const c = p.counts();
      instances += c.instances;
      processes += c.processes;
    }
    return { instances, processes, inflight: this.limits.total() };
  }

  /** Resolves when the event queue is empty and idle. */
  eventsDrained(): Promise<void> {
    return this.events.drained();
  }

  /**
   * Waits for running synchronous invocations and the event queue, then stops every worker process. After
   * `deadlineMs` it stops waiting: queued events are dropped (returned: how many) and running invocations end
   * with their worker (a function with reserved concurrency 0 would otherwise hold its events forever).
   */
  async drain(deadlineMs = Infinity): Promise<{ droppedEvents: number }> {
    clearInterval(this.reclaimTimer);
    const settled = (async () => {
      if (this.syncInflight > 0) await new Promise<void>((r) => this.syncWaiters.push(r));
      await this.events.drained();
    })();
    let timer: NodeJS.Timeout | undefined;
    const late = Number.isFinite(deadlineMs)
      ? new Promise<'late'>((r) => {
          timer = setTimeout(() => r('late'), deadlineMs);
        })
      : new Promise<'late'>(() => undefined);
    const outcome = await Promise.race([settled.then(() => 'done' as const), late]);
    clearTimeout(timer);
    if (outcome === 'late') this.stopped = true;
    const droppedEvents = outcome === 'late' ? this.events.clear() : 0;
    for (const p of this.pools.values()) p.close();
    this.pools.clear();
    return { droppedEvents };
  }

  private changed(fn: StoredFunction): FunctionConfiguration {
    const next = { ...fn, generation: fn.generation + 1 };
    this.store.save(next);
    this.pools.get(fn.config.FunctionName)?.update(next);
    return next.config;
  }

  private async execute(fn: StoredFunction, payload: string, requestId: string, context: InvocationContext = {}): Promise<InvokeOutcome> {
    if (this.stopped) throw new LambdaApiError(503, 'ServiceException', 'The local platform is stopping.');
    const reserved = fn.reserved !== undefined;
    this.limits.enter(fn);
    try {
      return await runInvocation(fn, this.pool(fn), payload, requestId, this.settings.faults?.invocation() ?? 'none', context);
    } finally {
      this.limits.leave(fn.config.FunctionName, reserved);
      this.events.pump();
    }
  }

  private startEvent(e: QueuedEvent): { started: Promise<boolean> } | 'throttled' | 'gone' {
    const fn = this.store.functions.get(e.functionName);
    if (!fn || this.stopped) return 'gone';
    if (this.limits.check(fn)) return 'throttled';
    return { started: this.execute(fn, e.payload, e.requestId).then((o) => o.ok) };
  }

  private pool(fn: StoredFunction): InstancePool {
    let pool = this.pools.get(fn.config.FunctionName);
    if (!pool) {
      pool = new InstancePool(fn, this.settings);
      this.pools.set(fn.config.FunctionName, pool);
    }
    return pool;
  }
}

/** Lambda's 429 for a burst it will not admit; injected by `--faults throttle=`. */
function injectedThrottle(): LambdaApiError {
  return new LambdaApiError(429, 'TooManyRequestsException', 'Rate Exceeded.', { Reason: 'ConcurrentInvocationLimitExceeded' });
}

function validationName(name: unknown): LambdaApiError {
  return new LambdaApiError(
    400,
    'ValidationException',
    `1 validation error detected: Value '${String(name)}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]{1,64}`,
  );
}

/** Lambda's limit on a zip uploaded directly (50 MB; its base64 in the request: 69,905,067 bytes). */
export const ZIP_UPLOAD_LIMIT = 50 * 1024 * 1024;

function zipBytes(zip: unknown): Buffer {
  if (typeof zip !== 'string' || zip.length === 0)
    throw invalidParameter('Code.ZipFile (base64 zip) is required; S3 code locations are not supported locally.');
  const bytes = Buffer.from(zip, 'base64');
  if (bytes.length > ZIP_UPLOAD_LIMIT)
    throw new LambdaApiError(413, 'RequestEntityTooLargeException', `Zipped size must be smaller than ${ZIP_UPLOAD_LIMIT} bytes`);
  return bytes;
}

/** A valid Architectures list, undefined when absent; Lambda's 400 when it is not [x86_64] or [arm64]. */
function architectures(input: unknown): string[] | undefined {
  if (input === undefined) return undefined;
  const problem = architecturesProblem(input);
  if (problem) throw new LambdaApiError(400, 'ValidationException', `Architectures ${problem}`);
  return input as string[];
}

/**
 * Applies and validates the configurable fields Lambda bounds (timeout 1–900 s, memory 128–10,240 MB,
 * environment variables: string values, no reserved keys, 4 KB), all checked before any is applied.
 */
function applyConfig(config: FunctionConfiguration, input: FunctionInput): void {
  if (input.Timeout !== undefined && timeoutProblem(input.Timeout)) throw invalidParameter(`Timeout ${timeoutProblem(input.Timeout)}`);
  if (input.MemorySize !== undefined && memorySizeProblem(input.MemorySize))
    throw invalidParameter(`MemorySize ${memorySizeProblem(input.MemorySize)}`);
  const vars = input.Environment?.Variables;
  if (vars !== undefined) {
    const reserved = Object.keys(vars).filter((k) => RESERVED_ENV_KEYS.has(k));
    // Lambda's own wording for the most common mistake.
    if (reserved.length > 0)
      throw invalidParameter(
        `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
      );
    const problem = environmentProblem(vars);
    if (problem) throw invalidParameter(`Environment.Variables ${problem}`);
  }
  if (input.Timeout !== undefined) config.Timeout = input.Timeout as number;
  if (input.MemorySize !== undefined) config.MemorySize = input.MemorySize as number;
  if (vars !== undefined) config.Environment = { Variables: vars };
  if (typeof input.Description === 'string') config.Description = input.Description;
}
