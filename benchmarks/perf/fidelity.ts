/**
 * How faithful the embedded platform's CPU emulation is (issue 17), measured, never asserted by a test:
 * (1) the demo with two busy loops occupying both cores chooses the same p as a quiet run, service times
 *     within 10%;
 * (2) on one instance of v vCPUs, p CPU-bound tasks take ceil(p/v) × one task's time within 15%, with 1, 4
 *     or 32 other instances running;
 * (3) over three quiet demo runs, regret ≤ 3% median and ≤ 10% worst, and ProPack's measured service time
 *     within 15% of the prediction;
 * (4) ProPack beats no packing by ≥ 50% service time for every workload at C = 32.
 * Run: `npm run bench:fidelity` (about 20 minutes on 2 cores); writes benchmarks/perf/results/fidelity.json.
 * BENCH_DEMOS=0 measures (2) alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildBundle } from '../../src/engine/bundle';
import { demoPlan, runDemo } from '../../src/engine/demo';
import { deployFunction, LOCAL_ROLE } from '../../src/engine/deploy';
import { runPacked, type PackedRunResult } from '../../src/engine/packed-run';
import { openSession, type Session } from '../../src/engine/session';
import { startLocalPlatform, type LocalPlatform } from '../../src/local';
import { PRESETS } from '../../src/local/presets';
import { localTarget } from '../../src/platform';
import type { MeasuredBenchmarkReport } from '../../src/report/report-data';
import type { BenchmarkFunction } from '../../src/engine/bundle';
import { DEMO_SIZES, WORKLOADS } from '../workloads';

const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const SPIN = resolve(__dirname, 'overhead-handlers.js');
const FN = { architecture: 'x86_64' as const, region: 'us-east-1' };

/** Iterations of `spin` in one task, about 0.2 s on this machine's cores. */
const TASK_N = Number(process.env.BENCH_TASK_N ?? 200_000_000);

async function deploySpin(session: Session, name: string, memoryMb: number): Promise<void> {
  const bundle = await buildBundle({ kind: 'file', file: SPIN, exportName: 'spin', mode: 'threads' });
  await deployFunction(session.lambda, bundle, { name, memoryMb, architecture: 'x86_64', timeoutS: 900, role: LOCAL_ROLE });
}

/** One invocation's execution time on the platform's timeline (s): its instance's start to end. */
function instanceSeconds(r: PackedRunResult): number {
  const i = r.invocations[0];
  return i.endS - i.startS;
}

async function probe(session: Session, name: string, memoryMb: number, p: number): Promise<number> {
  const tasks = Array.from({ length: p }, (_, i) => ({ id: `t${i}`, payload: { n: TASK_N } }));
  const r = await runPacked({ invoker: session.invoker, functionName: name, fn: { ...FN, memoryMb }, tasks, packingDegree: p });
  if (r.outcomes.some((o) => o.status !== 'succeeded'))
    throw new Error(`probe ${name} p=${p}: ${r.outcomes.find((o) => o.status !== 'succeeded')?.reason}`);
  return instanceSeconds(r);
}

interface IsolationRow {
  vcpus: number;
  packingDegree: number;
  others: number;
  measuredS: number;
  expectedS: number;
  errorPct: number;
}

/** Criterion (2): probes on a quiet platform and beside 1, 4 and 32 busy instances of another function. */
async function isolation(platform: LocalPlatform, session: Session): Promise<{ oneTaskS: number; rows: IsolationRow[] }> {
  await deploySpin(session, 'fid-probe-1', 1769);
  await deploySpin(session, 'fid-probe-2', 3538);
  await deploySpin(session, 'fid-load', 1769);
  await probe(session, 'fid-probe-1', 1769, 1); // cold start and JIT out of the way
  await probe(session, 'fid-probe-2', 3538, 2);
  const oneTaskS = median([
    await probe(session, 'fid-probe-1', 1769, 1),
    await probe(session, 'fid-probe-1', 1769, 1),
    await probe(session, 'fid-probe-1', 1769, 1),
  ]);
  const rows: IsolationRow[] = [];
  for (const others of [1, 4, 32]) {
    // Each load task outlasts the probes: 8 tasks' worth of CPU per instance.
    const load = runPacked({
      invoker: session.invoker,
      functionName: 'fid-load',
      fn: { ...FN, memoryMb: 1769 },
      tasks: Array.from({ length: others }, (_, i) => ({ id: `l${i}`, payload: { n: TASK_N * 10 } })),
      packingDegree: 1,
    });
    while (platform.counts().inflight < others) await new Promise((r) => setTimeout(r, 20));
    for (const [name, memoryMb, vcpus] of [
      ['fid-probe-1', 1769, 1],
      ['fid-probe-2', 3538, 2],
    ] as const)
      for (const p of [1, 4]) {
        const measuredS = await probe(session, name, memoryMb, p);
        const expectedS = Math.ceil(p / vcpus) * oneTaskS;
        rows.push({
          vcpus,
          packingDegree: p,
          others,
          measuredS: round(measuredS),
          expectedS: round(expectedS),
          errorPct: round((100 * (measuredS - expectedS)) / expectedS, 1),
        });
        console.log(`isolation v=${vcpus} p=${p} others=${others}: ${measuredS.toFixed(3)} s, expected ${expectedS.toFixed(3)} s`);
      }
    await load;
  }
  return { oneTaskS: round(oneTaskS), rows };
}

interface DemoRow {
  benchmark: string;
  chosen: number;
  oracle: number;
  regretPct: number;
  noPackingS: number;
  propackS: number;
  predictedS: number;
  predictionErrorPct: number;
  gainPct: number;
}

/** One demo at C = 32 on a fresh platform (preset aws-2021), as `propack demo` runs it. */
async function demo(label: string): Promise<{ rows: DemoRow[]; wallS: number; cpu: unknown }> {
  const t0 = Date.now();
  const workspace = mkdtempSync(join(tmpdir(), 'propack-fidelity-'));
  const platform = await startLocalPlatform({ preset: 'aws-2021' });
  const session = openSession(localTarget(platform));
  try {
    const reports: MeasuredBenchmarkReport[] = await runDemo({
      session,
      workloads: Object.values(WORKLOADS),
      bundle: (name) => buildBundle({ kind: 'benchmark', name: name as BenchmarkFunction }),
      concurrency: 32,
      objective: 'both',
      metric: 'net',
      memoryMb: 1769,
      architecture: 'x86_64',
      ...demoPlan(32),
      sizes: DEMO_SIZES,
      workspace,
      platformLabel: 'local (aws-2021)',
      source: { kind: 'local', tool: 'bench:fidelity', detail: label },
      concurrencyLimit: PRESETS['aws-2021'].accountConcurrency,
      log: () => undefined,
    });
    const rows = reports.map((b): DemoRow => {
      const m = b.measured;
      const predictedS = b.recommended.predicted.serviceTime;
      return {
        benchmark: b.benchmark,
        chosen: m.propack.packingDegree,
        oracle: m.oracle.packingDegree,
        regretPct: round(100 * m.regret, 1),
        noPackingS: round(m.noPacking.serviceTime),
        propackS: round(m.propack.serviceTime),
        predictedS: round(predictedS),
        predictionErrorPct: round((100 * (m.propack.serviceTime - predictedS)) / predictedS, 1),
        gainPct: round((100 * (m.noPacking.serviceTime - m.propack.serviceTime)) / m.noPacking.serviceTime, 1),
      };
    });
    for (const r of rows) console.log(`${label} ${JSON.stringify(r)}`);
    return { rows, wallS: round((Date.now() - t0) / 1000, 0), cpu: platform.cpuEmulation() };
  } finally {
    session.close();
    await platform.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** Two busy loops, one per core, until stopped. */
function busyLoops(): ChildProcess[] {
  return [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

async function main(): Promise<void> {
  const started = Date.now();
  const platform = await startLocalPlatform({ preset: 'instant', maxProcessesPerFunction: 8 });
  const session = openSession(localTarget(platform));
  let iso: Awaited<ReturnType<typeof isolation>>;
  try {
    iso = await isolation(platform, session);
  } finally {
    session.close();
    await platform.stop();
  }
  const result: Record<string, unknown> = {
    machine: { cpus: availableParallelism(), node: process.version },
    isolation: { ...iso, worstErrorPct: Math.max(...iso.rows.map((r) => Math.abs(r.errorPct))), target: '≤ 15%' },
  };
  if (process.env.BENCH_DEMOS !== '0') {
    const quiet: Awaited<ReturnType<typeof demo>>[] = [];
    for (const i of [1, 2, 3]) quiet.push(await demo(`quiet-${i}`));
    const loops = busyLoops();
    let loaded: Awaited<ReturnType<typeof demo>>;
    try {
      loaded = await demo('busy-loops');
    } finally {
      for (const l of loops) l.kill('SIGKILL');
    }
    const all = quiet.flatMap((q) => q.rows);
    const regrets = all.map((r) => r.regretPct);
    const byName = (rows: DemoRow[], name: string): DemoRow => rows.find((r) => r.benchmark === name) as DemoRow;
    result.demos = {
      quiet,
      loaded,
      underLoad: loaded.rows.map((l) => {
        const q = byName(quiet[0].rows, l.benchmark);
        return {
          benchmark: l.benchmark,
          quietP: q.chosen,
          loadedP: l.chosen,
          samePick: q.chosen === l.chosen,
          serviceDiffPct: round((100 * (l.propackS - q.propackS)) / q.propackS, 1),
        };
      }),
      regret: { medianPct: median(regrets), worstPct: Math.max(...regrets), target: 'median ≤ 3%, worst ≤ 10%' },
      prediction: { worstErrorPct: Math.max(...all.map((r) => Math.abs(r.predictionErrorPct))), target: '≤ 15%' },
      gain: { leastPct: Math.min(...all.map((r) => r.gainPct)), target: '≥ 50%' },
    };
  }
  result.loadAverage1m = round(loadavg()[0], 2);
  result.wallS = round((Date.now() - started) / 1000, 0);
  const dir = resolve(__dirname, '../../../benchmarks/perf/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'fidelity.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result.isolation, null, 2));
  if (result.demos) console.log(JSON.stringify({ ...(result.demos as object), quiet: undefined, loaded: undefined }, null, 2));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
