/** `propack deploy <handler-file> --name F [--memory MB] [--arch x86_64|arm64] ...` */
import { BENCHMARKS } from '../../../benchmarks/catalog';
import { MAX_MEMORY_MB, MB_PER_VCPU, MIN_MEMORY_MB } from '../../core/pricing';
import { buildBundle, type BenchmarkFunction, type BundleSource } from '../../engine/bundle';
import { DEFAULT_NODE_RUNTIME, deployFunction, LOCAL_ROLE } from '../../engine/deploy';
import { choice, parseArgs, positiveInt, required, UsageError } from '../args';
import { RUNTIME_CHOICES, runtimeFlag } from '../runtime-flag';
import { connect, PLATFORM_FLAGS, PLATFORM_HELP } from '../platform-flags';

export const DEPLOY_HELP = `Usage: propack deploy <handler.js|handler.py> --name F [--export handler] [--mode async|threads|processes] [--memory MB]
                      [--arch x86_64|arm64] [--timeout S] [--runtime R] [--role ARN] [platform flags]
       propack deploy --benchmark video|sort|stateless-cost --name F [...]

Bundles the handler with esbuild (TypeScript, ESM or CommonJS; npm dependencies from its project,
@aws-sdk/* left to the Lambda runtime) beside the ProPack runtime (a zip) and creates or updates the
function; see docs/functions.md. --mode threads runs packed CPU-bound tasks in a worker-thread pool
sized to the instance's vCPUs. A Python handler (.py) is zipped with its folder beside the Python runtime
(--mode threads or processes; a requirements.txt in the folder is installed with pip, Lambda's manylinux
wheels for --platform aws: docs/python.md). --runtime: ${RUNTIME_CHOICES} (default
python3.12 for Python, nodejs20.x for Node.js; it must match the handler's language). --role is required
to create a function on AWS.

${PLATFORM_HELP}`;

/** Runs the command; returns the exit code. */
export async function runDeploy(argv: string[], out: (s: string) => void): Promise<number> {
  const cmd = 'deploy';
  const args = parseArgs(cmd, argv, {
    values: ['name', 'export', 'mode', 'memory', 'arch', 'timeout', 'role', 'benchmark', 'runtime', ...PLATFORM_FLAGS],
    positionals: 1,
  });
  const name = required(args, cmd, 'name');
  const file = args.positionals[0];
  const benchmark = args.flags.get('benchmark');
  if (!file === !benchmark) throw new UsageError(`${cmd}: give either a handler file or --benchmark NAME`);
  if (benchmark && !BENCHMARKS.some((b) => b.name === benchmark))
    throw new UsageError(`${cmd}: unknown benchmark "${benchmark}" (known: ${BENCHMARKS.map((b) => b.name).join(', ')})`);
  const memoryMb = positiveInt(args, cmd, 'memory', MAX_MEMORY_MB, MB_PER_VCPU);
  if (memoryMb < MIN_MEMORY_MB) throw new UsageError(`${cmd}: --memory must be from ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB} MB`);
  const architecture = choice(args, cmd, 'arch', ['x86_64', 'arm64'] as const, 'x86_64');
  const timeoutS = positiveInt(args, cmd, 'timeout', 900, 300);
  const source: BundleSource = benchmark
    ? { kind: 'benchmark', name: benchmark as BenchmarkFunction }
    : {
        kind: 'file',
        file: file as string,
        exportName: args.flags.get('export'),
        ...(args.flags.has('mode') ? { mode: choice(args, cmd, 'mode', ['async', 'threads', 'processes'] as const) } : {}),
      };
  const runtime = runtimeFlag(args, cmd);
  const platform = choice(args, cmd, 'platform', ['local', 'aws'] as const, 'local');
  let bundle;
  try {
    bundle = await buildBundle(source, { platform, architecture, ...(runtime ? { runtime } : {}) });
  } catch (e) {
    throw new UsageError(`${cmd}: ${(e as Error).message}`);
  }
  const conn = await connect(args, cmd);
  try {
    const local = conn.session.target.kind === 'local';
    const r = await deployFunction(conn.session.lambda, bundle, {
      name,
      memoryMb,
      architecture,
      timeoutS,
      role: args.flags.get('role') ?? (local ? LOCAL_ROLE : undefined),
      ...(local && conn.session.target.kind === 'local' ? { environment: { AWS_ENDPOINT_URL_S3: conn.session.target.s3Endpoint } } : {}),
    });
    out(
      `${r.action} ${name} on ${conn.label} (${memoryMb} MB, ${architecture}, ${bundle.runtime ?? DEFAULT_NODE_RUNTIME}, ${(bundle.zip.length / 1024).toFixed(0)} KB, sha256 ${r.sha256})`,
    );
    return 0;
  } finally {
    await conn.close();
  }
}
