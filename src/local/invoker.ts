import { randomUUID } from 'node:crypto';
import type { InvocationFault } from './faults';
import { functionArn, type StoredFunction } from './function-store';
import type { Instance, InstancePool } from './instance-pool';
import { exitResult, type InvocationContext } from './execution-host';
import type { ResultMessage } from './worker-protocol';

/** The outcome of one invocation as the API reports it. */
export interface InvokeOutcome {
  requestId: string;
  ok: boolean;
  /** JSON text: the handler's result, or Lambda's error object. */
  body: string;
  /** START/log/END/REPORT lines, as Lambda writes them to CloudWatch. */
  log: string;
  instanceId: string;
  cold: boolean;
  /** Emulated provisioning wait + real module load (ms), when cold. */
  initMs?: number;
}

/** Delay (ms) before an injected crash kills the process: the invocation has been handed to the handler. */
const CRASH_AFTER_MS = 20;

/** Runs one invocation on an instance of `pool` with the function's timeout; `fault` injects a failure. */
export async function runInvocation(
  fn: StoredFunction,
  pool: InstancePool,
  payload: string,
  requestId: string = randomUUID(),
  fault: InvocationFault = 'none',
  context: InvocationContext = {},
): Promise<InvokeOutcome> {
  const inst = await pool.acquire();
  const cold = inst.cold;
  const timeoutMs = fn.config.Timeout * 1000;
  // Durations and the timeout are on the platform's emulated clock (emulated-clock.ts), as Lambda's own.
  const clock = pool.clock;
  const t0 = clock.nowMs();
  const real0 = performance.now();
  // An injected timeout fires at once while the handler keeps running: its late answer must be dropped.
  const timer = clock.after(fault === 'timeout' ? 1 : timeoutMs);
  const timedOut = timer.done.then(() => undefined);
  const run =
    fault === 'error'
      ? Promise.resolve<ResultMessage>({
          t: 'result',
          requestId,
          ok: false,
          log: 'injected handler error\n',
          maxMemoryMb: 0,
          body: JSON.stringify({ errorType: 'Propack.InjectedError', errorMessage: 'injected handler error (--faults error=)' }),
        })
      : inst.proc.invoke(
          {
            t: 'invoke',
            instanceId: inst.id,
            requestId,
            codeDir: fn.codeDir,
            handler: fn.config.Handler,
            functionArn: functionArn(fn.config.FunctionName),
            payload,
            // The handler reads the real clock: its deadline is where the emulated timeout lands at today's rate.
            deadline: Date.now() + timeoutMs / clock.rate,
          },
          context,
        );
  // The invocation is in the process now: its CPU is counted from here.
  pool.governor?.started(inst.proc);
  const result: ResultMessage | undefined =
    fault === 'crash' ? await crashMidTask(inst, run, requestId) : await Promise.race([run, timedOut]);
  timer.cancel();
  const ms = clock.nowMs() - t0;
  // The worker times the module load on the real clock; it ran at the invocation's average rate.
  const rate = Math.min(1, ms / Math.max(1e-3, performance.now() - real0));
  let outcome: Omit<InvokeOutcome, 'log'> & { log: string; memUsed: number };
  if (!result) {
    // Lambda stops the environment on a timeout; the process may host other instances, so it drains first.
    inst.proc.abandon(requestId);
    inst.proc.draining = true;
    const message = `${new Date().toISOString()} ${requestId} Task timed out after ${fn.config.Timeout.toFixed(2)} seconds`;
    outcome = {
      requestId,
      ok: false,
      body: JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: message }),
      log: message + '\n',
      instanceId: inst.id,
      cold,
      memUsed: 0,
    };
  } else {
    outcome = { requestId, ok: result.ok, body: result.body, log: result.log, instanceId: inst.id, cold, memUsed: result.maxMemoryMb };
  }
  const crashed = !result || isExitError(result);
  pool.release(inst, crashed || (!result.ok && isInitError(result)));
  const initMs = cold ? inst.coldStartMs + (result?.initMs ?? 0) * rate : undefined;
  return { ...outcome, initMs, log: lambdaLog(fn, requestId, outcome.log, ms, outcome.memUsed, initMs) };
}

/**
 * An injected crash of one execution environment mid-task. When the instance has its real process to
 * itself the process is killed; when logical instances share the process (beyond the per-function process
 * cap) only this one dies: its answer is abandoned and the instance retired, so one fault stays one crash.
 * A handler that finished first still loses its answer.
 */
async function crashMidTask(inst: Instance, run: Promise<ResultMessage>, requestId: string): Promise<ResultMessage> {
  await new Promise((r) => setTimeout(r, CRASH_AFTER_MS));
  const alone = inst.proc.instances.size <= 1;
  if (alone) inst.proc.kill();
  else inst.proc.abandon(requestId);
  const r = alone ? await run : undefined;
  if (r && !r.ok) return r;
  return exitResult(requestId, 'Runtime exited with error: signal: killed (injected crash)');
}

function isExitError(r: ResultMessage): boolean {
  return !r.ok && (r.body.includes('"Runtime.ExitError"') || r.body.includes('"Runtime.OutOfMemory"'));
}

function isInitError(r: ResultMessage): boolean {
  return r.body.includes('"Runtime.ImportModuleError"') || r.body.includes('"Runtime.HandlerNotFound"');
}

/**
 * Lambda's CloudWatch framing of an invocation's log, with the REPORT line (Init Duration on cold starts,
 * billed with the duration as Lambda has billed INIT since 2025-08-01: core/pricing.ts BILLING_RULES).
 */
function lambdaLog(fn: StoredFunction, requestId: string, body: string, ms: number, memUsed: number, initMs?: number): string {
  const init = initMs === undefined ? '' : `\tInit Duration: ${initMs.toFixed(2)} ms`;
  return (
    `START RequestId: ${requestId} Version: $LATEST\n${body}END RequestId: ${requestId}\n` +
    `REPORT RequestId: ${requestId}\tDuration: ${ms.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(ms + (initMs ?? 0)))} ms\t` +
    `Memory Size: ${fn.config.MemorySize} MB\tMax Memory Used: ${memUsed} MB${init}\t\n`
  );
}
