/** `propack run`: C tasks packed p per invocation, journaled so a killed client resumes where it stopped. */
import { resolve } from 'node:path';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { describeRetries, summarizeRun, type TaskOutcome } from '../../core/run-metrics';
import { LOCAL_PLATFORM_FOLDER, PIP_CACHE_FOLDER } from '../../core/workspace-layout';
import { buildBundle, HandlerFileError } from '../../engine/bundle';
import { deployFunction, LOCAL_ROLE } from '../../engine/deploy';
import { readText } from '../../engine/files';
import { runPacked, type TaskInput } from '../../engine/packed-run';
import { RUN_SPEC_SCHEMA, RunJournal, type RunSpec } from '../../engine/run-journal';
import { newRunId } from '../../engine/run-store';
import { accountConcurrencyOf, mapDispatcherOf } from '../../engine/map-dispatch';
import { SFN_LIMITS } from '../../core/step-functions';
import { isRoleArn } from '../../core/lambda-config';
import { openSession, type Session } from '../../engine/session';
import { ensureBucket, LOCAL_RUN_BUCKET } from '../../engine/s3-keys';
import { startLocalPlatform, type LocalPlatform } from '../../local';
import { envLocalTarget, localTargetOf } from '../platform-flags';
import type { PlatformTarget } from '../../platform';
import { AsyncS3Invoker } from '../../platform/async-invoker';
import { choice, parseArgs, positiveInt, UsageError, type ParsedArgs } from '../args';
import { faultFlags } from '../fault-flags';
import { RUNTIME_CHOICES, runtimeFlag } from '../runtime-flag';

export const RUN_HELP = `Usage: propack run --function F --payloads tasks.json [--concurrency C] [--packing-degree p] [--dispatch sync|async|stepfunctions]
                   [--handler FILE [--mode M] [--runtime R]] [--memory MB] [--workspace DIR] [--json] [--faults SPEC] [--seed N]
       propack run --platform aws --region R [--aws-profile P] --function F --payloads tasks.json
                   [--concurrency C] [--packing-degree p] [--async --result-bucket B] [--handler FILE --role ARN]
                   [--dispatch stepfunctions --result-bucket B --state-machine-role ARN]
       propack run --resume ID [--workspace DIR] [--json]

Runs one task per element of the JSON array in tasks.json, p per invocation, C tasks in flight (default
all). --handler deploys FILE (TypeScript, ESM or CommonJS, bundled with esbuild; or a Python module, zipped with its
folder and its requirements.txt installed by pip) as F first, with --mode as its packed mode (Node.js: async|threads; Python:
threads|processes) and --runtime as its Lambda runtime (${RUNTIME_CHOICES}; default python3.12 or nodejs20.x). Progress is journaled under
WORKSPACE/.propack/runs/<id>/ (spec.json, journal.ndjson fsync'd per task, summary.json at the end): a
killed run continues with --resume <id> and runs only the tasks not yet final. Ctrl-C stops dispatch at
once and keeps what finished. The embedded platform keeps functions in WORKSPACE/.propack/local; with
PROPACK_ENDPOINT_FILE=<the endpoint.json "propack local start" printed> (or AWS_ENDPOINT_URL_LAMBDA and
AWS_ENDPOINT_URL_S3 plus its key in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) it uses that running platform.
--platform aws runs against the deployed function F in your account (credentials from the SDK's provider
chain; --handler deploys FILE first and then needs --role); memory and architecture are read from F, so the
cost is F's; --async needs a bucket you own for the results (--result-bucket). A resume goes to the
platform, region and profile the run started on. Every invocation is billed.
--dispatch stepfunctions hands the tasks to a Step Functions Distributed Map instead of holding the
invocations from here: the tasks go to S3, the state machine propack-F-p<p>-c<n> is created or updated
(ItemBatcher p items per child execution, MaxConcurrency ceil(C/p) within the account's limit, Retry on
throttling), an execution is started and followed, and its results are read from the ResultWriter files.
A killed client loses nothing: the Map runs on, and --resume collects it. On AWS it needs --result-bucket
(tasks and results) and --state-machine-role (a role Step Functions assumes: lambda:InvokeFunction on F,
s3:GetObject/PutObject on the bucket, states:StartExecution/DescribeExecution/StopExecution for the
Map's children); Step Functions bills $0.025 per 1,000 state transitions (one per child execution and
one per Task attempt), added to the run's cost. --async is --dispatch async.
Exit 0 when every task succeeded, 1 when some failed, 130 when cancelled.`;

/** Lambda's synchronous and asynchronous request limits (bytes). */
const PAYLOAD_LIMIT = { sync: 6 * 1024 * 1024, async: 1024 * 1024, stepfunctions: SFN_LIMITS.maxInputBytesPerBatch };
/** Function timeout (s) of a function `--handler` deploys. */
const DEPLOY_TIMEOUT_S = 60;

/** Runs the command; returns the exit code. */
export async function runRunCommand(
  argv: string[],
  out: (s: string) => void,
  err: (s: string) => void = (s) => process.stderr.write(s + '\n'),
): Promise<number> {
  const cmd = 'run';
  const args = parseArgs(cmd, argv, {
    values: [
      'function',
      'payloads',
      'concurrency',
      'packing-degree',
      'handler',
      'memory',
      'platform',
      'workspace',
      'resume',
      'faults',
      'seed',
      'max-attempts',
      'region',
      'aws-profile',
      'result-bucket',
      'role',
      'mode',
      'runtime',
      'dispatch',
      'state-machine-role',
    ],
    booleans: ['async', 'json'],
  });
  const workspace = resolve(args.flags.get('workspace') ?? '.');
  const faults = faultFlags(args, cmd);
  if (envLocalTarget() && (faults.faults || faults.seed !== undefined))
    throw new UsageError(
      `${cmd}: --faults/--seed apply to the embedded platform; start the running one with them (propack local start --faults ...)`,
    );
  if (args.flags.has('mode') && !args.flags.has('handler'))
    throw new UsageError(`${cmd}: --mode sets the packed mode of a --handler FILE it deploys`);
  const mode = args.flags.has('mode') ? choice(args, cmd, 'mode', ['async', 'threads', 'processes'] as const) : undefined;
  if (args.flags.has('runtime') && !args.flags.has('handler'))
    throw new UsageError(`${cmd}: --runtime sets the Lambda runtime of a --handler FILE it deploys`);
  const runtime = runtimeFlag(args, cmd);
  const maxAttempts = positiveInt(args, cmd, 'max-attempts', 20, 3);
  const resumeId = args.flags.get('resume');
  const journal = resumeId !== undefined ? resumeRun(args, cmd, workspace, resumeId) : RunJournal.create(workspace, newSpec(args, cmd));
  const spec = journal.spec;
  const json = args.booleans.has('json');
  const log = (s: string): void => {
    if (!json) out(s);
  };
  // Skipped or cut journal lines: on stderr even with --json, so the JSON on stdout stays one object.
  for (const w of journal.warnings) err(`propack run: warning: ${w}`);

  const controller = new AbortController();
  const onSigint = (): void => {
    log('cancelling: no new invocations; finished tasks are journaled');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  let platform: LocalPlatform | undefined;
  try {
    const aws = spec.platform;
    if (aws && (faults.faults || faults.seed !== undefined))
      throw new UsageError(`${cmd}: --faults/--seed inject faults into the embedded platform, not into AWS`);
    const target: PlatformTarget = aws
      ? { kind: 'aws', region: aws.region, ...(aws.profile ? { profile: aws.profile } : {}) }
      : (envLocalTarget() ??
        ((platform = await startLocalPlatform({ dataDir: resolve(workspace, LOCAL_PLATFORM_FOLDER), ...faults })),
        localTargetOf(platform)));
    const session = openSession(target);
    try {
      const handler = args.flags.get('handler');
      if (handler) {
        // A handler that cannot be bundled is bad input (exit 2, one line), as for propack deploy.
        const bundle = await buildBundle(
          { kind: 'file', file: resolve(handler), ...(mode ? { mode } : {}) },
          {
            platform: target.kind,
            architecture: 'x86_64',
            pipCacheDir: resolve(workspace, PIP_CACHE_FOLDER),
            ...(runtime ? { runtime } : {}),
          },
        ).catch((e: unknown) => {
          throw e instanceof HandlerFileError ? new UsageError(`${cmd}: ${e.message}`) : e;
        });
        const role = target.kind === 'aws' ? args.flags.get('role') : LOCAL_ROLE;
        const environment = target.kind === 'local' ? { AWS_ENDPOINT_URL_S3: target.s3Endpoint } : undefined;
        await deployFunction(session.lambda, bundle, {
          name: spec.functionName,
          memoryMb: spec.memoryMb,
          architecture: 'x86_64',
          timeoutS: DEPLOY_TIMEOUT_S,
          ...(role ? { role } : {}),
          ...(environment ? { environment } : {}),
        });
      }
      const config = aws
        ? await functionConfig(session, spec.functionName, cmd)
        : { memoryMb: spec.memoryMb, architecture: spec.architecture ?? 'x86_64' };
      const remaining = journal.remaining();
      log(
        `run ${spec.id}: ${spec.tasks.length - remaining.length} of ${spec.tasks.length} tasks already final, running ${remaining.length} at p=${spec.packingDegree}${aws ? ` on aws:${aws.profile ?? 'default'}@${aws.region}` : ''}`,
      );
      const bucket = aws?.resultBucket ?? LOCAL_RUN_BUCKET;
      if (spec.dispatch !== 'sync' && !aws) await ensureBucket(session.s3, bucket);
      const rounds =
        spec.dispatch === 'stepfunctions'
          ? mapDispatcherOf(session, {
              functionName: spec.functionName,
              bucket,
              runId: spec.id,
              roleArn: aws?.stateMachineRole ?? LOCAL_ROLE,
              concurrency: spec.concurrency,
              accountConcurrency: await accountConcurrencyOf(session.lambda),
              // Written before dispatch goes on: a client killed now still finds the execution on --resume.
              onExecution: (e) => journal.appendExecution(e),
              adopt: journal.executions(),
            })
          : undefined;
      const invoker =
        spec.dispatch === 'async'
          ? new AsyncS3Invoker(session.lambda, session.s3, {
              bucket,
              prefix: `propack-results/${spec.id}/${Date.now()}/`,
              resultTimeoutS: DEPLOY_TIMEOUT_S * 3,
              ...(session.invoker.timeline ? { timeline: session.invoker.timeline } : {}),
            })
          : session.invoker;
      const fn = { ...config, region: target.region };
      const r = await runPacked({
        invoker,
        ...(rounds ? { rounds } : {}),
        functionName: spec.functionName,
        fn,
        tasks: remaining,
        packingDegree: spec.packingDegree,
        maxAttempts,
        maxInFlight: Math.ceil(spec.concurrency / spec.packingDegree),
        signal: controller.signal,
        // Cancelled tasks are not final for the run: a resume runs them. Results that still arrive (a
        // stopped Map's children in flight) are.
        onTaskFinal: (o) => {
          if (!controller.signal.aborted || o.status === 'succeeded') journal.append(o);
        },
      });
      if (invoker instanceof AsyncS3Invoker) invoker.close();
      const all = journal.outcomes().map((o, i) => o ?? cancelledOutcome(spec.tasks[i]));
      const metrics = summarizeRun(all, r.invocations, fn, { throttles: r.metrics.throttles, retryCauses: r.metrics.retryCauses });
      const dispatchCostUsd = rounds?.costUsd() ?? 0;
      const summary = {
        id: spec.id,
        functionName: spec.functionName,
        packingDegree: spec.packingDegree,
        concurrency: spec.concurrency,
        dispatch: spec.dispatch,
        platform: aws ? `aws:${aws.profile ?? 'default'}@${aws.region}` : 'local',
        memoryMb: fn.memoryMb,
        architecture: fn.architecture,
        cancelled: r.cancelled,
        resumed: resumeId !== undefined,
        tasks: metrics.tasks,
        ranNow: remaining.length,
        throttles: r.metrics.throttles,
        retries: r.metrics.retries,
        retryCauses: r.metrics.retryCauses,
        failures: r.failures,
        lateResultsIgnored: r.duplicates,
        serviceTime: r.metrics.serviceTime,
        costUsd: r.metrics.costUsd + dispatchCostUsd,
        ...(rounds ? { dispatchCostUsd, stepFunctions: rounds.stats } : {}),
        // What holding the run cost this client: CPU seconds and peak resident memory (MB) of this process.
        client: clientUsage(),
        outcomes: all.map(({ id, status, reason, attempts, result }) => ({
          id,
          status,
          ...(reason ? { reason } : {}),
          attempts,
          ...(result !== undefined ? { result } : {}),
        })),
      };
      const path = journal.writeSummary(summary);
      if (json) out(JSON.stringify({ ...summary, outcomes: undefined, summary: path }));
      else
        out(
          `run ${spec.id}: ${metrics.tasks.succeeded} succeeded, ${metrics.tasks.failed} failed, ${r.metrics.throttles} throttles, ${describeRetries(r.metrics.retries, r.metrics.retryCauses)}${r.cancelled ? ' (cancelled: resume with --resume ' + spec.id + ')' : ''}\nsummary: ${path}`,
        );
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
  for (const f of [
    'function',
    'payloads',
    'concurrency',
    'packing-degree',
    'memory',
    'platform',
    'region',
    'aws-profile',
    'result-bucket',
  ]) {
    if (args.flags.has(f)) throw new UsageError(`${cmd}: --${f} cannot change on --resume (the run's spec.json fixes it)`);
  }
  for (const f of ['async', 'dispatch', 'state-machine-role'])
    if (args.flags.has(f) || args.booleans.has(f)) throw new UsageError(`${cmd}: --${f} cannot change on --resume`);
  try {
    return RunJournal.resume(workspace, id);
  } catch (e) {
    throw new UsageError(`${cmd}: ${(e as Error).message}`);
  }
}

/** Memory and architecture of a deployed function, so the run's cost is what AWS bills; a missing function is a UsageError. */
async function functionConfig(
  session: Session,
  name: string,
  cmd: string,
): Promise<{ memoryMb: number; architecture: 'x86_64' | 'arm64' }> {
  try {
    const c = await session.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    return { memoryMb: c.MemorySize ?? 128, architecture: c.Architectures?.[0] === 'arm64' ? 'arm64' : 'x86_64' };
  } catch (e) {
    throw new UsageError(
      `${cmd}: cannot read function ${name}: ${(e as Error).message.split('\n')[0]} (deploy it with propack deploy --platform aws, or pass --handler FILE --role ARN)`,
    );
  }
}

/** Where a new run goes: undefined for the local platform, the AWS region, profile and result bucket otherwise. */
function platformOf(args: ParsedArgs, cmd: string): RunSpec['platform'] {
  const kind = choice(args, cmd, 'platform', ['local', 'aws'] as const, 'local');
  if (kind === 'local') {
    for (const f of ['region', 'aws-profile', 'result-bucket', 'role', 'state-machine-role'])
      if (args.flags.has(f)) throw new UsageError(`${cmd}: --${f} applies to --platform aws`);
    return undefined;
  }
  const region = args.flags.get('region') ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError(`${cmd}: --region is required with --platform aws (or set AWS_REGION)`);
  if (args.flags.has('memory') && !args.flags.has('handler'))
    throw new UsageError(
      `${cmd}: --memory on AWS applies only with --handler (a deployed function runs, and is billed, at its own memory size)`,
    );
  if (args.flags.has('handler') && !args.flags.has('role'))
    throw new UsageError(`${cmd}: --handler on AWS creates or updates the function and needs --role arn:aws:iam::<account>:role/<name>`);
  const resultBucket = args.flags.get('result-bucket');
  if (dispatchOf(args, cmd) === 'async' && !resultBucket)
    throw new UsageError(
      `${cmd}: --async on AWS needs --result-bucket NAME, a bucket you own in ${region} where the packed runtime writes results`,
    );
  const stateMachineRole = args.flags.get('state-machine-role');
  if (dispatchOf(args, cmd) === 'stepfunctions' && (!resultBucket || !stateMachineRole))
    throw new UsageError(
      `${cmd}: --dispatch stepfunctions on AWS needs --result-bucket NAME (a bucket you own in ${region} for the tasks and results) and --state-machine-role arn:aws:iam::<account>:role/<name> (see propack asl --sam for its policies)`,
    );
  if (stateMachineRole && !isRoleArn(stateMachineRole))
    throw new UsageError(`${cmd}: --state-machine-role must be an IAM role ARN, arn:aws:iam::<12-digit account>:role/<name>`);
  const profile = args.flags.get('aws-profile') ?? process.env.AWS_PROFILE;
  return {
    kind: 'aws',
    region,
    ...(profile ? { profile } : {}),
    ...(resultBucket ? { resultBucket } : {}),
    ...(stateMachineRole ? { stateMachineRole } : {}),
  };
}

function newSpec(args: ParsedArgs, cmd: string): RunSpec {
  const functionName = args.flags.get('function');
  if (!functionName || !/^[A-Za-z0-9_-]{1,64}$/.test(functionName))
    throw new UsageError(
      `${cmd}: --function must be a Lambda function name ([A-Za-z0-9_-], 1 to 64 characters), got "${functionName ?? ''}"`,
    );
  const payloadsPath = args.flags.get('payloads');
  if (!payloadsPath) throw new UsageError(`${cmd}: --payloads is required (a JSON array, one element per task)`);
  const dispatch = dispatchOf(args, cmd);
  const payloads = readPayloads(cmd, payloadsPath, PAYLOAD_LIMIT[dispatch]);
  const packingDegree = positiveInt(args, cmd, 'packing-degree', 10_000, 1);
  const concurrency = positiveInt(args, cmd, 'concurrency', 100_000, payloads.length);
  const memoryMb = positiveInt(args, cmd, 'memory', 10_240, 512);
  if (memoryMb < 128) throw new UsageError(`${cmd}: --memory must be from 128 to 10240 MB`);
  const tasks: TaskInput[] = payloads.map((payload, i) => ({ id: `task-${i}`, payload }));
  const platform = platformOf(args, cmd);
  return {
    schema: RUN_SPEC_SCHEMA,
    id: newRunId(functionName),
    createdAt: new Date().toISOString(),
    functionName,
    packingDegree,
    concurrency,
    dispatch,
    memoryMb,
    ...(platform ? { platform } : {}),
    tasks,
  };
}

/** The payload array; a file that is not a non-empty JSON array, or a payload over Lambda's limit, is a UsageError. */
function readPayloads(cmd: string, path: string, limit: number): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readText(path));
  } catch (e) {
    throw new UsageError(`${cmd}: --payloads ${e instanceof SyntaxError ? `${path} is not valid JSON` : (e as Error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0)
    throw new UsageError(`${cmd}: --payloads ${path} must hold a non-empty JSON array, one element per task`);
  parsed.forEach((p, i) => {
    const size = Buffer.byteLength(JSON.stringify(p) ?? 'null');
    if (size > limit)
      throw new UsageError(
        `${cmd}: task ${i} payload is ${size} bytes, over Lambda's ${limit}-byte request limit; pass large inputs through S3`,
      );
  });
  return parsed;
}

/** This process's CPU time (s, user + system) and peak resident set (MB) so far. */
function clientUsage(): { cpuS: number; peakRssMb: number } {
  const u = process.resourceUsage();
  return { cpuS: Math.round((u.userCPUTime + u.systemCPUTime) / 1000) / 1000, peakRssMb: Math.round(u.maxRSS / 1024) };
}

/** --dispatch, with --async as its older spelling of async. */
function dispatchOf(args: ParsedArgs, cmd: string): RunSpec['dispatch'] {
  if (args.booleans.has('async')) {
    if (args.flags.has('dispatch') && args.flags.get('dispatch') !== 'async')
      throw new UsageError(`${cmd}: --async and --dispatch ${args.flags.get('dispatch') ?? ''} contradict each other`);
    return 'async';
  }
  return choice(args, cmd, 'dispatch', ['sync', 'async', 'stepfunctions'] as const, 'sync');
}

function cancelledOutcome(t: TaskInput): TaskOutcome {
  return { id: t.id, status: 'failed', reason: 'cancelled before it finished (resume the run to finish it)', attempts: 0, completedS: 0 };
}
