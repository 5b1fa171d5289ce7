/**
 * One child execution of a Map Run: its single lambda:invoke Task, run through the platform's own Lambda
 * (in process, so presets, concurrency limits, faults and the CPU governor apply), retried by the Task's
 * Retry rules, its outcome named as Step Functions names it.
 */
import { randomUUID } from 'node:crypto';
import { retryDelayS, retryRuleFor, SFN_LIMITS, type RetryRule } from '../core/step-functions';
import type { InvokeOutcome } from './invoker';
import { LambdaApiError } from './lambda-error';
import { parseFunctionRef } from './names';

/** Invokes a function synchronously (LambdaService.invokeSync); throws LambdaApiError when Lambda refuses. */
export type SyncInvoke = (functionName: string, payload: string) => Promise<InvokeOutcome>;

/** How a child ended; `ABORTED` when its Map Run stopped before or between its attempts. */
export type ChildOutcome =
  | { status: 'SUCCEEDED'; output: string; attempts: number }
  | { status: 'FAILED'; error: string; cause: string; attempts: number }
  | { status: 'ABORTED'; attempts: number };

/** What a child needs besides its input. */
export interface ChildContext {
  invoke: SyncInvoke;
  functionRef: string;
  retry: readonly RetryRule[];
  /**
   * The child's output: the payload alone (`OutputPath: "$.Payload"`), or lambda:invoke's whole result, with
   * the log's last 4 KB as `LogResult` when the Task asks for `LogType: "Tail"`.
   */
  output: 'payload' | 'result' | 'result-with-log';
  /** Waits `ms` of emulated time; resolves false when the Map Run was stopped meanwhile. */
  wait(ms: number): Promise<boolean>;
  /** True once the Map Run is stopping: no further attempt starts. */
  stopped(): boolean;
  /** Uniform [0, 1): Retry's full jitter. */
  random(): number;
  /** Multiplies Retry's delays (the platform's timeScale, as every emulated delay). */
  timeScale: number;
}

/** Step Functions' longest `cause` (characters). */
const CAUSE_LIMIT = 32_768;

/** A failed attempt, named as Step Functions names it. */
interface Failure {
  error: string;
  cause: string;
}

/** Runs the child's Task on `payload` (the batch's JSON) until it succeeds, fails for good, or the run stops. */
export async function runChild(ctx: ChildContext, payload: string): Promise<ChildOutcome> {
  const retries = new Map<RetryRule, number>();
  for (let attempts = 1; ; attempts++) {
    if (ctx.stopped()) return { status: 'ABORTED', attempts: attempts - 1 };
    const r = await attempt(ctx, payload);
    if ('output' in r) return { status: 'SUCCEEDED', output: r.output, attempts };
    // States.DataLimitExceeded is terminal: no Retry rule, not even States.ALL, retries it.
    const rule = r.error === 'States.DataLimitExceeded' ? undefined : retryRuleFor(ctx.retry, r.error);
    const done = rule ? (retries.get(rule) ?? 0) : 0;
    if (!rule || done >= rule.maxAttempts) return { status: 'FAILED', ...r, attempts };
    retries.set(rule, done + 1);
    const delayMs = retryDelayS(rule, done + 1, ctx.random()) * 1000 * ctx.timeScale;
    if (!(await ctx.wait(delayMs))) return { status: 'ABORTED', attempts };
  }
}

async function attempt(ctx: ChildContext, payload: string): Promise<{ output: string } | Failure> {
  const name = parseFunctionRef(ctx.functionRef);
  if (!name)
    return {
      error: 'Lambda.ResourceNotFoundException',
      cause: serviceCause(`Function not found: ${ctx.functionRef}`, 404, 'ResourceNotFoundException'),
    };
  let o: InvokeOutcome;
  try {
    o = await ctx.invoke(name, payload);
  } catch (e) {
    if (e instanceof LambdaApiError) {
      const error = e.status === 429 ? 'Lambda.TooManyRequestsException' : e.status >= 500 ? 'Lambda.ServiceException' : `Lambda.${e.type}`;
      return { error, cause: serviceCause(e.message, e.status, e.type) };
    }
    return { error: 'Lambda.ServiceException', cause: serviceCause(e instanceof Error ? e.message : String(e), 500, 'ServiceException') };
  }
  if (!o.ok) return { error: functionErrorType(o.body), cause: o.body.slice(0, CAUSE_LIMIT) };
  const bytes = Buffer.byteLength(o.body);
  if (bytes > SFN_LIMITS.maxPayloadBytes)
    return {
      error: 'States.DataLimitExceeded',
      cause: `The state/task returned a result of ${bytes} bytes, more than the maximum of ${SFN_LIMITS.maxPayloadBytes} bytes (256 KiB) a state's output may take.`,
    };
  return { output: ctx.output === 'payload' ? o.body : invokeResult(o, ctx.output === 'result-with-log') };
}

/** lambda:invoke's result as Step Functions returns it: the payload parsed when it is JSON, the log tail base64. */
function invokeResult(o: InvokeOutcome, withLog: boolean): string {
  let payload: unknown = o.body;
  try {
    payload = JSON.parse(o.body);
  } catch {
    // Not JSON: Step Functions hands it on as a string.
  }
  const tail = Buffer.from(o.log, 'utf8').subarray(-4096).toString('base64');
  return JSON.stringify({ ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200, ...(withLog ? { LogResult: tail } : {}) });
}

/** The function's errorType (Lambda's error JSON), else `Lambda.Unknown`, as Step Functions names function errors. */
function functionErrorType(body: string): string {
  try {
    const v: unknown = JSON.parse(body);
    const t = typeof v === 'object' && v !== null ? (v as { errorType?: unknown }).errorType : undefined;
    return typeof t === 'string' && t !== '' ? t : 'Lambda.Unknown';
  } catch {
    return 'Lambda.Unknown';
  }
}

/** The cause Step Functions gives a Lambda service error (the SDK's message with its status and request id). */
function serviceCause(message: string, status: number, type: string): string {
  return `${message} (Service: Lambda, Status Code: ${status}, Error Code: ${type}, Request ID: ${randomUUID()})`;
}
