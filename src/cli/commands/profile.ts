/** `propack profile --function F (--benchmark NAME | --payloads FILE) ...`: measure a deployed function. */
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { WORKLOADS } from '../../../benchmarks/workloads';
import type { BenchmarkName } from '../../../benchmarks/types';
import { optimizeJoint } from '../../core/joint-optimizer';
import { optimize } from '../../core/optimizer';
import { MAX_MEMORY_MB, MIN_MEMORY_MB } from '../../core/pricing';
import type { Architecture, FunctionConfig, Profile } from '../../core/types';
import { setMemorySize } from '../../engine/deploy';
import { copyNameFor, withPackedCopy } from '../../engine/deployed-copy';
import { isValidFunctionName } from '../../local/names';
import { FileError, readText } from '../../engine/files';
import { measureVariant, runMemoryCampaign } from '../../engine/memory-campaign';
import { runProfileCampaign } from '../../engine/profiler';
import { loadProfile, profilePathFor, saveProfile } from '../../engine/profile-store';
import { ensureBucket } from '../../engine/s3-keys';
import { parseArgs, positiveInt, required, UsageError, type ParsedArgs } from '../args';
import { edgeAdvice } from '../format';
import { connect, PLATFORM_FLAGS, PLATFORM_HELP } from '../platform-flags';

export const PROFILE_HELP = `Usage: propack profile --function F (--benchmark video|sort|stateless-cost | --payloads tasks.json)
                       [--scaling-levels 8,32] [--degrees 1,2,4,8,16] [--repetitions 3] [--concurrency C]
                       [--memory-sizes 884,1769,3538] [--out FILE] [platform flags]
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
--copy profiles a Node.js function ProPack did not deploy, without changing it: its code package
(GetFunction's Code.Location) and configuration (role, memory, timeout, environment, layers, architecture,
runtime) become a packed copy, F-propack, whose handler is ProPack's runtime and whose original handler is
in PROPACK_ORIGINAL_HANDLER; the copy is profiled, then deleted (--keep-copy keeps it for packed runs: the
profile names it), and F's CodeSha256 and configuration are checked before and after.
Costs money on AWS: every profiling invocation is billed.

${PLATFORM_HELP}`;

/** A comma list of positive integers. */
function intList(raw: string | undefined, fallback: number[], cmd: string, flag: string): number[] {
  if (raw === undefined) return fallback;
  const xs = raw.split(',').map((s) => Number(s.trim()));
  if (xs.length === 0 || xs.some((x) => !Number.isInteger(x) || x < 1 || x > 100000)) throw new UsageError(`${cmd}: --${flag} must be a comma list of whole numbers, got "${raw}"`);
  return xs;
}

/** `--copy` / `--keep-copy` / `--copy-name`: profile a packed copy of a function ProPack did not deploy; undefined without them. */
function copyFlags(args: ParsedArgs, cmd: string, name: string): { copyName: string; keep: boolean } | undefined {
  const copyName = args.flags.get('copy-name');
  if (!args.booleans.has('copy') && !args.booleans.has('keep-copy') && copyName === undefined) return undefined;
  const chosen = copyName ?? copyNameFor(name);
  if (!isValidFunctionName(chosen) || chosen === name) throw new UsageError(`${cmd}: --copy-name must be a Lambda function name (letters, digits, - and _, at most 64) other than ${name}, got "${chosen}"`);
  return { copyName: chosen, keep: args.booleans.has('keep-copy') };
}

/** Runs the command; returns the exit code. */
export async function runProfileCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const cmd = 'profile';
  const args = parseArgs(cmd, argv, { values: ['function', 'benchmark', 'payloads', 'scaling-levels', 'degrees', 'repetitions', 'concurrency', 'memory-sizes', 'add-variant-to', 'out', 'copy-name', ...PLATFORM_FLAGS], booleans: ['copy', 'keep-copy'] });
  const name = required(args, cmd, 'function');
  const copy = copyFlags(args, cmd, name);
  const benchmark = args.flags.get('benchmark');
  const payloadFile = args.flags.get('payloads');
  if (!benchmark === !payloadFile) throw new UsageError(`${cmd}: give either --benchmark NAME or --payloads FILE`);
  if (benchmark && !(benchmark in WORKLOADS)) throw new UsageError(`${cmd}: unknown benchmark "${benchmark}" (known: ${Object.keys(WORKLOADS).join(', ')})`);
  const scalingLevels = intList(args.flags.get('scaling-levels'), [8, 32], cmd, 'scaling-levels');
  const degrees = intList(args.flags.get('degrees'), [1, 2, 4, 8, 16], cmd, 'degrees');
  const reps = positiveInt(args, cmd, 'repetitions', 50, 3);
  const concurrency = positiveInt(args, cmd, 'concurrency', 1_000_000, Math.max(...scalingLevels));
  const memorySizes = intList(args.flags.get('memory-sizes'), [], cmd, 'memory-sizes');
  const badSize = memorySizes.find((m) => m < MIN_MEMORY_MB || m > MAX_MEMORY_MB);
  if (badSize !== undefined) throw new UsageError(`${cmd}: --memory-sizes: ${badSize} MB is outside Lambda's ${MIN_MEMORY_MB}–${MAX_MEMORY_MB} MB`);
  let payloads: unknown[] = [];
  if (payloadFile) {
    try {
      const parsed = JSON.parse(readText(payloadFile)) as unknown;
      if (!Array.isArray(parsed) || parsed.length === 0) throw new UsageError(`${cmd}: ${payloadFile} must hold a non-empty JSON array of task events`);
      payloads = parsed;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`${cmd}: ${e instanceof FileError ? e.message : `${payloadFile} is not valid JSON: ${(e as Error).message}`}`);
    }
  }
  const variantOf = args.flags.get('add-variant-to');
  let base: Profile | undefined;
  if (variantOf !== undefined) {
    if (memorySizes.length > 0) throw new UsageError(`${cmd}: --add-variant-to measures F as deployed; --memory-sizes cannot be combined with it`);
    try {
      base = loadProfile(variantOf);
    } catch (e) {
      throw new UsageError(`${cmd}: --add-variant-to: ${(e as Error).message}`);
    }
  }
  const conn = await connect(args, cmd);
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const { session } = conn;
    /** Measures `target`: the function itself, or its packed copy. */
    const measure = async (target: string): Promise<number> => {
      let cfg;
      try {
        cfg = await session.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: target }));
      } catch (e) {
        throw new UsageError(`${cmd}: cannot read function ${target} on ${conn.label}: ${(e as Error).message.split('\n')[0]} (deploy it with propack deploy)`);
      }
      if (benchmark) {
        const bucket = `propack-${target}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 63);
        await ensureBucket(session.s3, bucket);
        const job = await WORKLOADS[benchmark as BenchmarkName].prepare(session.s3, { bucket, prefix: `profile/${target}`, tasks: Math.max(...scalingLevels), seed: 7 });
        payloads = job.phases[0].payloads;
      }
      const fn: FunctionConfig = {
        name: target,
        memoryMb: cfg.MemorySize ?? 128,
        architecture: (cfg.Architectures?.[0] ?? 'x86_64') as Architecture,
        region: session.target.region,
        runtime: cfg.Runtime ?? 'nodejs20.x',
      };
      const makeTasks = (count: number, round: number) => Array.from({ length: count }, (_, i) => ({ id: `prof-${round}-${i}`, payload: payloads[i % payloads.length] }));
      const repetitions = { min: Math.min(2, reps), max: reps, targetCv: 0.05 };
      if (base && variantOf) {
        if (fn.architecture === 'arm64' && session.target.kind !== 'aws') throw new UsageError(`${cmd}: ${target} is arm64, but the local platform runs x86_64 code; measure arm64 on AWS (--platform aws)`);
        const same = (v: { memoryMb: number; architecture: Architecture }): boolean => v.memoryMb === fn.memoryMb && v.architecture === fn.architecture;
        if (same(base.function)) throw new UsageError(`${cmd}: ${variantOf} was itself measured at ${fn.memoryMb} MB ${fn.architecture}; a variant must differ in memory or architecture`);
        out(`measuring packing of ${target} (${fn.memoryMb} MB, ${fn.architecture}) as a variant of ${base.function.name}`);
        const variant = await measureVariant({ session, fn, degrees, makeTasks, repetitions, signal: controller.signal, onStep: (step) => out(`[var ] ${step.trim()}`) }, fn.memoryMb, fn.architecture, 0);
        base.variants = [...(base.variants ?? []).filter((v) => !same(v)), variant];
        const path = args.flags.get('out') ?? variantOf;
        saveProfile(path, base);
        out(`saved ${path}: ${base.variants.length} variant(s); propack optimize --profile ${path} --memory auto --arch auto weighs them`);
        return 0;
      }
      const profile = await runProfileCampaign({
        session,
        fn,
        makeTasks,
        scalingLevels,
        degrees,
        loadedInstances: 4,
        repetitions,
        source: { kind: session.target.kind === 'aws' ? 'aws' : 'local', tool: 'propack profile', detail: conn.label },
        signal: controller.signal,
        onStep: (step, fraction) => out(`[${(fraction * 100).toFixed(0).padStart(3)}%] ${step}`),
      });
      const others = memorySizes.filter((m) => m !== fn.memoryMb);
      if (others.length > 0) {
        if (session.target.kind === 'local' && args.flags.get('cpu-share') !== 'lambda') {
          // Without the share every size gets the whole machine: the variants would measure no CPU effect at all.
          out(`note: the local platform gives every memory size this machine's whole CPU unless it runs with --cpu-share lambda; sizes will differ only in price`);
        }
        profile.variants = await runMemoryCampaign({
          session,
          fn,
          configure: (memoryMb) => setMemorySize(session.lambda, target, memoryMb),
          configurations: others.map((memoryMb) => ({ memoryMb, architecture: fn.architecture })),
          degrees,
          makeTasks,
          repetitions,
          signal: controller.signal,
          onStep: (step) => out(`[mem ] ${step.trim()}`),
        });
      }
      const choice = optimize(profile, { concurrency, objective: 'both', metric: 'net' });
      const decidedAt = new Date().toISOString();
      profile.recommendations = [
        { concurrency, objective: 'both', metric: 'net', model: 'fitted', packingDegree: choice.packingDegree, predicted: choice.predicted, baseline: choice.baseline, decidedAt },
      ];
      const path = args.flags.get('out') ?? profilePathFor('.', name);
      const edgeNote = (): void => {
        if (choice.edge) out(`note: ${edgeAdvice(choice.edge, `propack profile --function ${name} …`)}`);
      };
      // The measurements are saved before anything else can fail.
      saveProfile(path, profile);
      if (profile.variants?.length) {
        let joint;
        try {
          // Only the measured sizes: they are what this profile can vouch for.
          joint = optimizeJoint(profile, { concurrency, objective: 'both', metric: 'net', architecture: fn.architecture, memoryStepsMb: [fn.memoryMb, ...others] });
        } catch (e) {
          out(`saved ${path}: recommended p=${choice.packingDegree} at C=${concurrency} (both, net); no memory recommendation: ${(e as Error).message}`);
          edgeNote();
          return 0;
        }
        const c = joint.choice;
        profile.recommendations.push({ concurrency, objective: 'both', metric: 'net', model: 'fitted', packingDegree: c.packingDegree, memoryMb: c.memoryMb, architecture: c.architecture, predicted: c, baseline: choice.baseline, decidedAt });
        saveProfile(path, profile);
        out(`saved ${path}: recommended p=${choice.packingDegree} at ${fn.memoryMb} MB, C=${concurrency} (both, net); with memory: ${c.memoryMb} MB, p=${c.packingDegree} (${joint.tradeOff.text})`);
        edgeNote();
        return 0;
      }
      out(`saved ${path}: recommended p=${choice.packingDegree} at C=${concurrency} (both, net)`);
      edgeNote();
      return 0;
    };
    if (!copy) return await measure(name);
    return await withPackedCopy(session.lambda, name, { ...copy, onStep: (step) => out(`[copy] ${step}`) }, async (c) => {
      out(`profiling ${name} through its packed copy ${c.name} (${name} itself is not changed)`);
      return measure(c.name);
    });
  } finally {
    process.off('SIGINT', onSigint);
    await conn.close();
  }
}
