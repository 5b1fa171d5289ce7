/** `propack run`: C tasks packed p per invocation, journaled so a killed client resumes where it stopped. */
import { resolve } from 'node:path';
import { summarizeRun, type TaskOutcome } from '../../core/run-metrics';
import { buildBundle } from '../../engine/bundle';
import { deployFunction, LOCAL_ROLE } from '../../engine/deploy';
import { readText } from '../../engine/files';
import { runPacked, type TaskInput } from '../../engine/packed-run';
import { RUN_SPEC_SCHEMA, RunJournal, type RunSpec } from '../../engine/run-journal';
import { newRunId } from '../../engine/run-store';
import { openSession } from '../../engine/session';
import { ensureBucket } from '../../engine/s3-keys';
import { startLocalPlatform, type LocalPlatform } from '../../local';
import { envLocalTarget, localTargetOf } from '../platform-flags';
import { AsyncS3Invoker } from '../../platform/async-invoker';
import { choice, parseArgs, positiveInt, UsageError, type ParsedArgs } from '../args';
import { faultFlags } from '../fault-flags';

export const RUN_HELP = `Usage: propack run --function F --payloads tasks.json [--concurrency C] [--packing-degree p] [--async]
                   [--handler FILE] [--memory MB] [--platform local] [--workspace DIR] [--json]
                   [--faults SPEC] [--seed N]
       propack run --resume ID [--workspace DIR] [--json]

Runs one task per element of the JSON array in tasks.json, p per invocation, C tasks in flight (default
all). --handler deploys FILE (CommonJS) as F first. Progress is journaled under
WORKSPACE/.propack/runs/<id>/ (spec.json, journal.ndjson fsync'd per task, summary.json at the end): a
killed run continues with --resume <id> and runs only the tasks not yet final. Ctrl-C stops dispatch at
once and keeps what finished. The embedded platform keeps functions in WORKSPACE/.propack/local; with
AWS_ENDPOINT_URL_LAMBDA and AWS_ENDPOINT_URL_S3 set it uses that running platform instead.
Exit 0 when every task succeeded, 1 when some failed, 130 when cancelled.`;

/** Lambda's synchronous and asynchronous request limits (bytes). */
const PAYLOAD_LIMIT = { sync: 6 * 1024 * 1024, async: 1024 * 1024 };
/** Function timeout (s) of a function `--handler` deploys. */
const DEPLOY_TIMEOUT_S = 60;
const RESULT_BUCKET = 'propack-runs';

/** Runs the command; returns the exit code. */
export async function runRunCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const cmd = 'run';
  const args = parseArgs(cmd, argv, {
    values: ['function', 'payloads', 'concurrency', 'packing-degree', 'handler', 'memory', 'platform', 'workspace', 'resume', 'faults', 'seed', 'max-attempts'],
    booleans: ['async', 'json'],
  });
  const workspace = resolve(args.flags.get('workspace') ?? '.');
  choice(args, cmd, 'platform', ['local'] as const, 'local');
  const faults = faultFlags(args, cmd);
  if (envLocalTarget() && (faults.faults || faults.seed !== undefined)) throw new UsageError(`${cmd}: --faults/--seed apply to the embedded platform; start the running one with them (propack local start --faults ...)`);
  const maxAttempts = positiveInt(args, cmd, 'max-attempts', 20, 3);
  const resumeId = args.flags.get('resume');
  const journal = resumeId !== undefined ? resumeRun(args, cmd, workspace, resumeId) : RunJournal.create(workspace, newSpec(args, cmd));
  const spec = journal.spec;
  const json = args.booleans.has('json');
  const log = (s: string): void => { if (!json) out(s); };

  const controller = new AbortController();
  const onSigint = (): void => {
    log('cancelling: no new invocations; finished tasks are journaled');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  let platform: LocalPlatform | undefined;
  try {
    const target = envLocalTarget() ?? (platform = await startLocalPlatform({ dataDir: resolve(workspace, '.propack', 'local'), ...faults }), localTargetOf(platform));
    const session = openSession(target);
    try {
      const handler = args.flags.get('handler');
      if (handler) {
        const bundle = await buildBundle({ kind: 'file', file: resolve(handler) });
        await deployFunction(session.lambda, bundle, { name: spec.functionName, memoryMb: spec.memoryMb, architecture: 'x86_64', timeoutS: DEPLOY_TIMEOUT_S, role: LOCAL_ROLE, environment: { AWS_ENDPOINT_URL_S3: target.s3Endpoint } });
      }
      const remaining = journal.remaining();
      log(`run ${spec.id}: ${spec.tasks.length - remaining.length} of ${spec.tasks.length} tasks already final, running ${remaining.length} at p=${spec.packingDegree}`);
      if (spec.dispatch === 'async') await ensureBucket(session.s3, RESULT_BUCKET);
      const invoker = spec.dispatch === 'async'
        ? new AsyncS3Invoker(session.lambda, session.s3, { bucket: RESULT_BUCKET, prefix: `propack-results/${spec.id}/${Date.now()}/`, resultTimeoutS: DEPLOY_TIMEOUT_S * 3 })
        : session.invoker;
      const fn = { memoryMb: spec.memoryMb, architecture: 'x86_64' as const, region: target.region };
      const r = await runPacked({
        invoker, functionName: spec.functionName, fn, tasks: remaining, packingDegree: spec.packingDegree, maxAttempts,
        maxInFlight: Math.ceil(spec.concurrency / spec.packingDegree), signal: controller.signal,
        // Cancelled tasks are not final for the run: a resume runs them.
        onTaskFinal: (o) => { if (!controller.signal.aborted) journal.append(o); },
      });
      if (invoker instanceof AsyncS3Invoker) invoker.close();
      const all = journal.outcomes().map((o, i) => o ?? cancelledOutcome(spec.tasks[i]));
      const metrics = summarizeRun(all, r.invocations, fn, { throttles: r.metrics.throttles });
      const summary = {
        id: spec.id, functionName: spec.functionName, packingDegree: spec.packingDegree, concurrency: spec.concurrency, dispatch: spec.dispatch,
        cancelled: r.cancelled, resumed: resumeId !== undefined,
        tasks: metrics.tasks, ranNow: remaining.length, throttles: r.metrics.throttles, retries: r.metrics.retries, failures: r.failures,
        lateResultsIgnored: r.duplicates, serviceTime: r.metrics.serviceTime, costUsd: r.metrics.costUsd,
        outcomes: all.map(({ id, status, reason, attempts, result }) => ({ id, status, ...(reason ? { reason } : {}), attempts, ...(result !== undefined ? { result } : {}) })),
      };
      const path = journal.writeSummary(summary);
      if (json) out(JSON.stringify({ ...summary, outcomes: undefined, summary: path }));
      else out(`run ${spec.id}: ${metrics.tasks.succeeded} succeeded, ${metrics.tasks.failed} failed, ${r.metrics.throttles} throttles, ${r.metrics.retries} retries${r.cancelled ? ' (cancelled: resume with --resume ' + spec.id + ')' : ''}\nsummary: ${path}`);
      return r.cancelled ? 130 : metrics.tasks.failed > 0 ? 1 : 0;
    } finally {
      session.close();
    }
  } finally {
    process.off('SIGINT', onSigint);
    journal.close();
    await platform?.stop();
  }
}

function resumeRun(args: ParsedArgs, cmd: string, workspace: string, id: string): RunJournal {
  for (const f of ['function', 'payloads', 'concurrency', 'packing-degree', 'memory']) {
    if (args.flags.has(f)) throw new UsageError(`${cmd}: --${f} cannot change on --resume (the run's spec.json fixes it)`);
  }
  if (args.booleans.has('async')) throw new UsageError(`${cmd}: --async cannot change on --resume`);
  try {
    return RunJournal.resume(workspace, id);
  } catch (e) {
    throw new UsageError(`${cmd}: ${(e as Error).message}`);
  }
}

function newSpec(args: ParsedArgs, cmd: string): RunSpec {
  const functionName = args.flags.get('function');
  if (!functionName || !/^[A-Za-z0-9_-]{1,64}$/.test(functionName)) throw new UsageError(`${cmd}: --function must be a Lambda function name ([A-Za-z0-9_-], 1 to 64 characters), got "${functionName ?? ''}"`);
  const payloadsPath = args.flags.get('payloads');
  if (!payloadsPath) throw new UsageError(`${cmd}: --payloads is required (a JSON array, one element per task)`);
  const dispatch = args.booleans.has('async') ? 'async' : 'sync';
  const payloads = readPayloads(cmd, payloadsPath, PAYLOAD_LIMIT[dispatch]);
  const packingDegree = positiveInt(args, cmd, 'packing-degree', 10_000, 1);
  const concurrency = positiveInt(args, cmd, 'concurrency', 100_000, payloads.length);
  const memoryMb = positiveInt(args, cmd, 'memory', 10_240, 512);
  if (memoryMb < 128) throw new UsageError(`${cmd}: --memory must be from 128 to 10240 MB`);
  const tasks: TaskInput[] = payloads.map((payload, i) => ({ id: `task-${i}`, payload }));
  return { schema: RUN_SPEC_SCHEMA, id: newRunId(functionName), createdAt: new Date().toISOString(), functionName, packingDegree, concurrency, dispatch, memoryMb, tasks };
}

/** The payload array; a file that is not a non-empty JSON array, or a payload over Lambda's limit, is a UsageError. */
function readPayloads(cmd: string, path: string, limit: number): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readText(path));
  } catch (e) {
    throw new UsageError(`${cmd}: --payloads ${e instanceof SyntaxError ? `${path} is not valid JSON` : (e as Error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new UsageError(`${cmd}: --payloads ${path} must hold a non-empty JSON array, one element per task`);
  parsed.forEach((p, i) => {
    const size = Buffer.byteLength(JSON.stringify(p) ?? 'null');
    if (size > limit) throw new UsageError(`${cmd}: task ${i} payload is ${size} bytes, over Lambda's ${limit}-byte request limit; pass large inputs through S3`);
  });
  return parsed;
}




function cancelledOutcome(t: TaskInput): TaskOutcome {
  return { id: t.id, status: 'failed', reason: 'cancelled before it finished (resume the run to finish it)', attempts: 0, completedS: 0 };
}
