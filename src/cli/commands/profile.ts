/** `propack profile --function F (--benchmark NAME | --payloads FILE) ...`: measure a deployed function. */
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { WORKLOADS } from '../../../benchmarks/workloads';
import type { BenchmarkName } from '../../../benchmarks/types';
import { MAX_CONCURRENCY } from '../../core/limits';
import { MAX_MEMORY_MB, MIN_MEMORY_MB } from '../../core/pricing';
import type { Architecture, FunctionConfig, Profile } from '../../core/types';
import { copyNameFor, withPackedCopy } from '../../engine/deployed-copy';
import { FileError, readText } from '../../engine/files';
import { measureVariant } from '../../engine/memory-campaign';
import type { TaskInput } from '../../engine/packed-run';
import { loadProfile, profilePathFor, saveProfile } from '../../engine/profile-store';
import { ensureBucket, LOCAL_RUN_BUCKET } from '../../engine/s3-keys';
import type { Session } from '../../engine/session';
import { profileRecommendSave, type ProfileWorkflowResult } from '../../engine/workflow-profile';
import { isValidFunctionName } from '../../local/names';
import { choice, parseArgs, positiveInt, required, UsageError, type ParsedArgs } from '../args';
import { isRoleArn } from '../../core/lambda-config';
import { LOCAL_ROLE } from '../../engine/deploy';
import { accountConcurrencyOf, mapDispatcherOf } from '../../engine/map-dispatch';
import { edgeAdvice } from '../format';
import { connect, PLATFORM_FLAGS, PLATFORM_HELP, type Connection } from '../platform-flags';

export const PROFILE_HELP = `Usage: propack profile --function F (--benchmark video|sort|stateless-cost | --payloads tasks.json)
                       [--scaling-levels 8,32] [--degrees 1,2,4,8,16] [--repetitions 3] [--concurrency C]
                       [--memory-sizes 884,1769,3538] [--out FILE] [platform flags]
                       [--dispatch stepfunctions [--result-bucket B --state-machine-role ARN]]
       propack profile --function F-arm (--benchmark NAME | --payloads tasks.json) --add-variant-to F.json
       propack profile --function F --copy [--keep-copy] [--copy-name F-propack] (--benchmark NAME | --payloads tasks.json) ...

Measures a deployed function: its packing profile (one warm instance at each degree, repeated until the
coefficient of variation is at most 5%, and under load) and its scaling profile (cold no-packing
fan-outs), then stores the profile (default .propack/profiles/<F>.json) with the recommendation for
--concurrency (default the largest scaling level). --payloads is a JSON array of task events; tasks cycle
through it. --memory-sizes measures packing again at each other memory size (MB, 128–10,240): the function
is reconfigured in place, as Lambda Power Tuning does, and set back to its own size at the end, even on
failure or Ctrl-C; the profile then records them as variants and the recommendation searches memory too
(see propack optimize --memory auto). --add-variant-to measures only the packing of F as deployed (say an
arm64 copy: propack deploy --arch arm64 --name F-arm) and adds it to an existing profile as a variant, so
the joint search weighs arm64 on measurements; arm64 needs AWS (the local platform runs x86_64 code).
--copy profiles a Node.js or Python function ProPack did not deploy, without changing it: its code package
(GetFunction's Code.Location) and configuration (role, memory, timeout, environment, layers, architecture,
runtime) become a packed copy, F-propack, whose handler is ProPack's runtime and whose original handler is
in PROPACK_ORIGINAL_HANDLER; the copy is profiled, then deleted (--keep-copy keeps it for packed runs: the
profile names it), and F's CodeSha256 and configuration are checked before and after.
--dispatch stepfunctions runs the scaling fan-outs through a Step Functions Distributed Map (as propack
run --dispatch stepfunctions does), so the Map's own start-up is measured into the scaling curve; on AWS
it needs --result-bucket and --state-machine-role.
Costs money on AWS: every profiling invocation is billed.

${PLATFORM_HELP}`;

/** A comma list of positive integers. */
function intList(raw: string | undefined, fallback: number[], cmd: string, flag: string): number[] {
  if (raw === undefined) return fallback;
  const xs = raw.split(',').map((s) => Number(s.trim()));
  if (xs.length === 0 || xs.some((x) => !Number.isInteger(x) || x < 1 || x > 100000))
    throw new UsageError(`${cmd}: --${flag} must be a comma list of whole numbers, got "${raw}"`);
  return xs;
}

const CMD = 'profile';

/** What the flags ask for, checked before any platform is started. */
interface ProfileRequest {
  name: string;
  benchmark?: BenchmarkName;
  /** Task events from --payloads (empty with --benchmark: the benchmark generates them once connected). */
  payloads: unknown[];
  scalingLevels: number[];
  degrees: number[];
  reps: number;
  concurrency: number;
  memorySizes: number[];
  /** --add-variant-to: the profile file and the profile it holds. */
  variantOf?: { path: string; base: Profile };
  out?: string;
  /** --copy: profile a packed copy of F (named copyName), kept afterwards when `keep`. */
  copy?: { copyName: string; keep: boolean };
}

/** `--copy` / `--keep-copy` / `--copy-name`: profile a packed copy of a function ProPack did not deploy; undefined without them. */
function copyFlags(args: ParsedArgs, name: string): { copyName: string; keep: boolean } | undefined {
  const copyName = args.flags.get('copy-name');
  if (!args.booleans.has('copy') && !args.booleans.has('keep-copy') && copyName === undefined) return undefined;
  const chosen = copyName ?? copyNameFor(name);
  if (!isValidFunctionName(chosen) || chosen === name)
    throw new UsageError(
      `${CMD}: --copy-name must be a Lambda function name (letters, digits, - and _, at most 64) other than ${name}, got "${chosen}"`,
    );
  return { copyName: chosen, keep: args.booleans.has('keep-copy') };
}

/** Reads --payloads: a non-empty JSON array of task events. */
function readPayloads(payloadFile: string): unknown[] {
  try {
    const parsed = JSON.parse(readText(payloadFile)) as unknown;
    if (!Array.isArray(parsed) || parsed.length === 0)
      throw new UsageError(`${CMD}: ${payloadFile} must hold a non-empty JSON array of task events`);
    return parsed;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${CMD}: ${e instanceof FileError ? e.message : `${payloadFile} is not valid JSON: ${(e as Error).message}`}`);
  }
}

/** Checks the flags; every problem is a UsageError naming the flag. */
function readRequest(args: ParsedArgs): ProfileRequest {
  const name = required(args, CMD, 'function');
  const copy = copyFlags(args, name);
  const benchmark = args.flags.get('benchmark');
  const payloadFile = args.flags.get('payloads');
  if (!benchmark === !payloadFile) throw new UsageError(`${CMD}: give either --benchmark NAME or --payloads FILE`);
  if (benchmark && !(benchmark in WORKLOADS))
    throw new UsageError(`${CMD}: unknown benchmark "${benchmark}" (known: ${Object.keys(WORKLOADS).join(', ')})`);
  const scalingLevels = intList(args.flags.get('scaling-levels'), [8, 32], CMD, 'scaling-levels');
  const degrees = intList(args.flags.get('degrees'), [1, 2, 4, 8, 16], CMD, 'degrees');
  const reps = positiveInt(args, CMD, 'repetitions', 50, 3);
  const concurrency = positiveInt(args, CMD, 'concurrency', MAX_CONCURRENCY, Math.max(...scalingLevels));
  const memorySizes = intList(args.flags.get('memory-sizes'), [], CMD, 'memory-sizes');
  const badSize = memorySizes.find((m) => m < MIN_MEMORY_MB || m > MAX_MEMORY_MB);
  if (badSize !== undefined)
    throw new UsageError(`${CMD}: --memory-sizes: ${badSize} MB is outside Lambda's ${MIN_MEMORY_MB}–${MAX_MEMORY_MB} MB`);
  const payloads = payloadFile ? readPayloads(payloadFile) : [];
  const variantPath = args.flags.get('add-variant-to');
  let variantOf: ProfileRequest['variantOf'];
  if (variantPath !== undefined) {
    if (memorySizes.length > 0)
      throw new UsageError(`${CMD}: --add-variant-to measures F as deployed; --memory-sizes cannot be combined with it`);
    try {
      variantOf = { path: variantPath, base: loadProfile(variantPath) };
    } catch (e) {
      throw new UsageError(`${CMD}: --add-variant-to: ${(e as Error).message}`);
    }
  }
  return {
    name,
    benchmark: benchmark as BenchmarkName | undefined,
    payloads,
    scalingLevels,
    degrees,
    reps,
    concurrency,
    memorySizes,
    variantOf,
    out: args.flags.get('out'),
    copy,
  };
}

/** The deployed function's configuration; a function that cannot be read is a UsageError. */
async function readFunction(conn: Connection, name: string): Promise<FunctionConfig> {
  const { session } = conn;
  let cfg;
  try {
    cfg = await session.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
  } catch (e) {
    throw new UsageError(
      `${CMD}: cannot read function ${name} on ${conn.label}: ${(e as Error).message.split('\n')[0]} (deploy it with propack deploy)`,
    );
  }
  return {
    name,
    memoryMb: cfg.MemorySize ?? 128,
    architecture: (cfg.Architectures?.[0] ?? 'x86_64') as Architecture,
    region: session.target.region,
    runtime: cfg.Runtime ?? 'nodejs20.x',
  };
}

/** The benchmark's generated task events (input written to the function's own bucket). */
async function benchmarkPayloads(session: Session, r: ProfileRequest & { benchmark: BenchmarkName }): Promise<unknown[]> {
  const bucket = `propack-${r.name}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63);
  await ensureBucket(session.s3, bucket);
  const job = await WORKLOADS[r.benchmark].prepare(session.s3, {
    bucket,
    prefix: `profile/${r.name}`,
    tasks: Math.max(...r.scalingLevels),
    seed: 7,
  });
  return job.phases[0].payloads;
}

/** What both workflows measure with: the tasks, the repetitions, the cancel signal and the printer. */
interface Measuring {
  session: Session;
  fn: FunctionConfig;
  makeTasks: (count: number, round: number) => TaskInput[];
  repetitions: { min: number; max: number; targetCv: number };
  signal: AbortSignal;
  out: (s: string) => void;
}

/** --add-variant-to: measures the packing of the function as deployed and adds it to the profile. */
async function addVariant(m: Measuring, r: ProfileRequest & { variantOf: NonNullable<ProfileRequest['variantOf']> }): Promise<number> {
  const { fn, session, out } = m;
  const { base, path: variantPath } = r.variantOf;
  if (fn.architecture === 'arm64' && session.target.kind !== 'aws')
    throw new UsageError(`${CMD}: ${fn.name} is arm64, but the local platform runs x86_64 code; measure arm64 on AWS (--platform aws)`);
  const same = (v: { memoryMb: number; architecture: Architecture }): boolean =>
    v.memoryMb === fn.memoryMb && v.architecture === fn.architecture;
  if (same(base.function))
    throw new UsageError(
      `${CMD}: ${variantPath} was itself measured at ${fn.memoryMb} MB ${fn.architecture}; a variant must differ in memory or architecture`,
    );
  out(`measuring packing of ${fn.name} (${fn.memoryMb} MB, ${fn.architecture}) as a variant of ${base.function.name}`);
  const variant = await measureVariant(
    {
      session,
      fn,
      degrees: r.degrees,
      makeTasks: m.makeTasks,
      repetitions: m.repetitions,
      signal: m.signal,
      onStep: (step) => out(`[var ] ${step.trim()}`),
    },
    fn.memoryMb,
    fn.architecture,
    0,
  );
  base.variants = [...(base.variants ?? []).filter((v) => !same(v)), variant];
  const path = r.out ?? variantPath;
  saveProfile(path, base);
  out(`saved ${path}: ${base.variants.length} variant(s); propack optimize --profile ${path} --memory auto --arch auto weighs them`);
  return 0;
}

/** The closing lines: the recommendation, the memory recommendation or why there is none, the edge note. */
function printRecommendation(out: (s: string) => void, r: ProfileWorkflowResult, ownMemoryMb: number, concurrency: number): void {
  const { choice, path, memory } = r;
  if (memory?.ok) {
    const c = memory.joint.choice;
    out(
      `saved ${path}: recommended p=${choice.packingDegree} at ${ownMemoryMb} MB, C=${concurrency} (both, net); with memory: ${c.memoryMb} MB, p=${c.packingDegree} (${memory.joint.tradeOff.text})`,
    );
  } else if (memory) {
    out(`saved ${path}: recommended p=${choice.packingDegree} at C=${concurrency} (both, net); no memory recommendation: ${memory.reason}`);
  } else {
    out(`saved ${path}: recommended p=${choice.packingDegree} at C=${concurrency} (both, net)`);
  }
  if (choice.edge) out(`note: ${edgeAdvice(choice.edge, `propack profile --function ${r.profile.function.name} …`)}`);
}

/** A new profile: the campaign (and the memory campaign), the recommendation for both/net, saved. */
async function profileNew(m: Measuring, r: ProfileRequest, conn: Connection, args: ParsedArgs): Promise<number> {
  const { session, fn, out } = m;
  // Without the share every size gets the whole machine: the variants would measure no CPU effect at all.
  let noted = session.target.kind !== 'local' || args.flags.get('cpu-share') !== 'host';
  const onMemoryStep = (step: string): void => {
    if (!noted)
      out(
        `note: with --cpu-share host the local platform gives every memory size this machine's whole CPU; sizes will differ only in price`,
      );
    noted = true;
    out(`[mem ] ${step.trim()}`);
  };
  const viaMap = choice(args, CMD, 'dispatch', ['direct', 'stepfunctions'] as const, 'direct') === 'stepfunctions';
  const aws = session.target.kind === 'aws';
  if (viaMap && aws && !(args.flags.get('result-bucket') && isRoleArn(args.flags.get('state-machine-role') ?? '')))
    throw new UsageError(
      `${CMD}: --dispatch stepfunctions on AWS needs --result-bucket NAME and --state-machine-role arn:aws:iam::<account>:role/<name>`,
    );
  const bucket = aws ? (args.flags.get('result-bucket') ?? '') : LOCAL_RUN_BUCKET;
  if (viaMap && !aws) await ensureBucket(session.s3, bucket);
  const accountConcurrency = viaMap ? await accountConcurrencyOf(session.lambda) : 1000;
  const result = await profileRecommendSave({
    session,
    fn,
    makeTasks: m.makeTasks,
    scalingLevels: r.scalingLevels,
    ...(viaMap
      ? {
          scalingRounds: (c: number) =>
            mapDispatcherOf(session, {
              functionName: fn.name,
              bucket,
              runId: `${r.name}-profile-c${c}-${Date.now()}`,
              roleArn: aws ? (args.flags.get('state-machine-role') ?? '') : LOCAL_ROLE,
              concurrency: c,
              accountConcurrency,
              // Scaling runs of a few instances end in well under a second on the embedded platform.
              ...(aws ? {} : { pollMs: 100 }),
            }),
        }
      : {}),
    degrees: r.degrees,
    loadedInstances: 4,
    repetitions: m.repetitions,
    source: {
      kind: session.target.kind === 'aws' ? 'aws' : 'local',
      tool: 'propack profile',
      detail: viaMap ? `${conn.label}; scaling through a Step Functions Distributed Map` : conn.label,
    },
    signal: m.signal,
    onStep: (step, fraction) => out(`[${(fraction * 100).toFixed(0).padStart(3)}%] ${step}`),
    memorySizesMb: r.memorySizes,
    onMemoryStep,
    recommendMemory: true,
    question: { concurrency: r.concurrency, objective: 'both', metric: 'net' },
    // Under F's own name, also when a packed copy of F was measured.
    path: r.out ?? profilePathFor('.', r.name),
  });
  printRecommendation(out, result, fn.memoryMb, r.concurrency);
  return 0;
}

/** Runs the command; returns the exit code. */
export async function runProfileCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const args = parseArgs(CMD, argv, {
    values: [
      'function',
      'benchmark',
      'payloads',
      'scaling-levels',
      'degrees',
      'repetitions',
      'concurrency',
      'memory-sizes',
      'add-variant-to',
      'out',
      'copy-name',
      'dispatch',
      'result-bucket',
      'state-machine-role',
      ...PLATFORM_FLAGS,
    ],
    booleans: ['copy', 'keep-copy'],
  });
  const r = readRequest(args);
  const conn = await connect(args, CMD);
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const { session } = conn;
    /** Measures `target`: the function itself, or its packed copy. */
    const measure = async (target: string): Promise<number> => {
      const fn = await readFunction(conn, target);
      const payloads = r.benchmark ? await benchmarkPayloads(session, { ...r, benchmark: r.benchmark }) : r.payloads;
      const m: Measuring = {
        session,
        fn,
        makeTasks: (count, round) =>
          Array.from({ length: count }, (_, i) => ({ id: `prof-${round}-${i}`, payload: payloads[i % payloads.length] })),
        repetitions: { min: Math.min(2, r.reps), max: r.reps, targetCv: 0.05 },
        signal: controller.signal,
        out,
      };
      return r.variantOf ? await addVariant(m, { ...r, variantOf: r.variantOf }) : await profileNew(m, r, conn, args);
    };
    if (!r.copy) return await measure(r.name);
    return await withPackedCopy(session.lambda, r.name, { ...r.copy, onStep: (step) => out(`[copy] ${step}`) }, async (c) => {
      out(`profiling ${r.name} through its packed copy ${c.name} (${r.name} itself is not changed)`);
      return measure(c.name);
    });
  } finally {
    process.off('SIGINT', onSigint);
    await conn.close();
  }
}
