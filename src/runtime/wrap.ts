import { deadlineMs, toPortableContext, type LambdaContext, type TaskHandler } from './context';
import { toTaskError } from './errors';
import { describeInstance, instanceVcpus, recordInvocation } from './instance';
import {
  epochSeconds,
  isPackedEvent,
  PACKED_MARKER,
  parsePackedRequest,
  PROTOCOL_VERSION,
  type PackedMode,
  type PackedRequest,
  type PackedResponse,
  type PackedTask,
  type PackedTaskResult,
} from './protocol';
import { fitResponse, serializeResult, SYNC_RESPONSE_LIMIT_BYTES, taskSubject } from './result-check';
import { runScheduled, type TaskExecutor } from './scheduler';
import { ThreadPool, type HandlerModule } from './thread-pool';

export interface WrapOptions {
  /** Mode used when a packed request names none (default `async`). */
  mode?: PackedMode;
  /** Where worker threads load the task handler from; required for `threads` mode. */
  module?: HandlerModule;
  /** Pool size used when a packed request names none (default: the instance's vCPUs). */
  poolSize?: number;
  /** A task starts only while more than this many ms remain (default 1000). */
  startMarginMs?: number;
  /** With this many ms left the runtime returns what it has (default 250). */
  returnMarginMs?: number;
  /** Largest packed response without a result sink, in bytes of JSON (default Lambda's 6 MB). */
  responseLimitBytes?: number;
  /** Environment to read instance facts from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/** A Lambda handler as the runtime exports it. */
export type LambdaHandler = (event: unknown, context?: LambdaContext) => Promise<unknown>;

/** The wrapped handler; `close()` stops its worker threads (tests, CLI; Lambda never calls it). */
export interface PackedHandler extends LambdaHandler {
  close(): Promise<void>;
}

const DEFAULT_START_MARGIN_MS = 1000;
const DEFAULT_RETURN_MARGIN_MS = 250;

/** Inside a function (Lambda or the local platform) a failed task's stack goes to the function's log, as Lambda logs an invocation's error. */
function logTaskFailure(taskId: string, err: unknown, env: NodeJS.ProcessEnv): void {
  if (!env.AWS_LAMBDA_FUNCTION_NAME) return;
  console.error(`ProPack task ${taskId} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
}

function asyncExecutor(userHandler: TaskHandler, context: LambdaContext, env: NodeJS.ProcessEnv): TaskExecutor {
  return async (task: PackedTask): Promise<PackedTaskResult> => {
    const started = Date.now();
    try {
      const result = await userHandler(task.payload, context);
      // Checked per task: one result JSON cannot carry must not fail the whole packed response.
      const checked = serializeResult(result, taskSubject(task.id));
      if ('error' in checked)
        return { id: task.id, status: 'error', error: checked.error, startedAt: epochSeconds(started), endedAt: epochSeconds() };
      return {
        id: task.id,
        status: 'ok',
        ...(result === undefined ? {} : { result }),
        startedAt: epochSeconds(started),
        endedAt: epochSeconds(),
      };
    } catch (err) {
      logTaskFailure(task.id, err, env);
      return { id: task.id, status: 'error', error: toTaskError(err), startedAt: epochSeconds(started), endedAt: epochSeconds() };
    }
  };
}

/**
 * Wraps a task handler `(event, context) => result` into a Lambda handler that passes unpacked events
 * straight through and runs packed events' tasks inside this one instance.
 */
export function wrapHandler(userHandler: TaskHandler, options: WrapOptions = {}): PackedHandler {
  // One pool per size: Lambda never overlaps invocations in an instance, but a local host may, and a
  // pool must not be closed under another invocation's running tasks. Workers start on demand.
  const pools = new Map<number, ThreadPool>();
  const env = options.env ?? process.env;

  const threadPool = (size: number): ThreadPool => {
    const module = options.module;
    if (!module) throw new TypeError('threads mode needs wrapHandler(handler, { module: { path, exportName } })');
    let pool = pools.get(size);
    if (!pool) pools.set(size, (pool = new ThreadPool(module, size)));
    return pool;
  };

  const runPacked = async (req: PackedRequest, context: LambdaContext | undefined, cold: boolean): Promise<PackedResponse> => {
    const startedAt = epochSeconds();
    const deadline = deadlineMs(context);
    const mode = req.mode ?? options.mode ?? 'async';
    const ctx: LambdaContext = context ?? {};
    let executor: TaskExecutor;
    let concurrency: number;
    let onAbandon: (() => void) | undefined;
    if (mode === 'threads') {
      const size = req.poolSize ?? options.poolSize ?? instanceVcpus(env);
      const p = threadPool(size);
      const portable = toPortableContext(context, deadline);
      executor = (task) => p.run(task, portable);
      concurrency = size;
      // Workers still running abandoned tasks would steal CPU from the next invocation: replace them.
      onAbandon = () => {
        if (pools.get(size) === p) pools.delete(size);
        void p.close();
      };
    } else {
      executor = asyncExecutor(userHandler, ctx, env);
      concurrency = req.poolSize ?? options.poolSize ?? Math.max(1, req.tasks.length);
    }
    const tasks = await runScheduled(req.tasks, {
      concurrency,
      deadlineMs: deadline,
      startMarginMs: options.startMarginMs ?? DEFAULT_START_MARGIN_MS,
      returnMarginMs: options.returnMarginMs ?? DEFAULT_RETURN_MARGIN_MS,
      execute: executor,
      onAbandon,
    });
    const body = { v: PROTOCOL_VERSION, instance: describeInstance(cold, env), startedAt, endedAt: epochSeconds(), tasks } as const;
    // A synchronous response over Lambda's limit would fail every task: shed the largest results instead.
    // With a result sink the response goes to S3 (an Event invocation's own response is discarded).
    if (!req.resultSink) {
      const envelope = Buffer.byteLength(JSON.stringify({ [PACKED_MARKER]: { ...body, tasks: [] } })) + 64; // + sinkError room
      fitResponse(tasks, envelope, options.responseLimitBytes ?? SYNC_RESPONSE_LIMIT_BYTES);
    }
    return { [PACKED_MARKER]: body };
  };

  const handler = async (event: unknown, context?: LambdaContext): Promise<unknown> => {
    const cold = recordInvocation();
    if (!isPackedEvent(event)) {
      const result = await userHandler(event, context ?? {});
      // Lambda would fail to marshal it: make that a function error that says why, not a platform failure.
      const checked = serializeResult(result, 'the handler');
      if ('error' in checked) throw Object.assign(new Error(checked.error.message), { name: checked.error.type });
      return result;
    }
    const req = parsePackedRequest(event);
    const response = await runPacked(req, context, cold);
    if (req.resultSink) {
      // Loaded on demand so functions that never use a sink do not load the S3 client.
      const { writeResultSink } = await import('./result-sink');
      const sinkError = await writeResultSink(req.resultSink, response);
      if (sinkError) response[PACKED_MARKER].sinkError = sinkError;
    }
    return response;
  };

  return Object.assign(handler, {
    close: async (): Promise<void> => {
      const all = [...pools.values()];
      pools.clear();
      await Promise.all(all.map((p) => p.close()));
    },
  });
}
