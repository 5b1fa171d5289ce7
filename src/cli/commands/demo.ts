/** `propack demo`: the whole pipeline on the embedded local platform, ending in a report. */
import { join, resolve } from 'node:path';
import { BENCHMARKS } from '../../../benchmarks/catalog';
import { demoSizes, WORKLOADS } from '../../../benchmarks/workloads';
import type { BenchmarkName } from '../../../benchmarks/types';
import { MAX_MEMORY_MB, MB_PER_VCPU, MIN_MEMORY_MB } from '../../core/pricing';
import { METRICS, OBJECTIVES } from '../../core/objectives';
import { buildBundle, type BenchmarkFunction } from '../../engine/bundle';
import { demoPlan, PYWREN_DEFAULT_MAX_CONCURRENCY, runDemo } from '../../engine/demo';
import type { ReportData } from '../../report/report-data';
import { writeReport } from '../../engine/report-write';
import { openSession } from '../../engine/session';
import { isPresetName, PRESETS, startLocalPlatform } from '../../local';
import { choice, parseArgs, positiveInt, UsageError } from '../args';
import { faultFlags } from '../fault-flags';
import { localTarget } from '../../platform';

export const DEMO_HELP = `Usage: propack demo [--benchmarks video,sort,stateless-cost] [--concurrency C] [--preset aws-2021|aws-2023|instant]
                    [--time-scale X] [--objective time|cost|both] [--metric net|tail|median] [--memory MB]
                    [--pywren on|off] [--out DIR] [--workspace DIR] [--faults SPEC] [--seed N]

Starts the embedded local platform, deploys the benchmark workloads, measures no packing at C, profiles
them, fits the model, chooses p, then measures PyWren-style async, ProPack's p and a grid of p at C, checks the
outputs, and writes DIR/report.html and DIR/summary.json (default ./propack-report). Profiles and runs go
to WORKSPACE/.propack/ (default: the current folder). Ctrl-C cancels and keeps what finished.
--pywren off skips the PyWren-style baseline, which starts C more cold instances (default: on up to
C=${PYWREN_DEFAULT_MAX_CONCURRENCY}, off above).
--faults/--seed inject seeded faults into the local platform (see propack local --help).`;

/** Runs the command; returns the exit code. */
export async function runDemoCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const cmd = 'demo';
  const args = parseArgs(cmd, argv, {
    values: [
      'benchmarks',
      'concurrency',
      'preset',
      'time-scale',
      'objective',
      'metric',
      'memory',
      'pywren',
      'out',
      'workspace',
      'faults',
      'seed',
    ],
  });
  const names = (args.flags.get('benchmarks') ?? BENCHMARKS.map((b) => b.name).join(',')).split(',').map((s) => s.trim());
  for (const n of names)
    if (!(n in WORKLOADS)) throw new UsageError(`${cmd}: unknown benchmark "${n}" (known: ${Object.keys(WORKLOADS).join(', ')})`);
  const concurrency = positiveInt(args, cmd, 'concurrency', 5000, 32);
  const preset = args.flags.get('preset') ?? 'aws-2021';
  if (!isPresetName(preset)) throw new UsageError(`${cmd}: --preset must be ${Object.keys(PRESETS).join('|')}, got "${preset}"`);
  const timeScaleRaw = args.flags.get('time-scale') ?? '1';
  const timeScale = Number(timeScaleRaw);
  if (!(timeScale > 0)) throw new UsageError(`${cmd}: --time-scale must be a number above 0, got "${timeScaleRaw}"`);
  const objective = choice(args, cmd, 'objective', OBJECTIVES, 'both');
  const metric = choice(args, cmd, 'metric', METRICS, 'net');
  const memoryMb = positiveInt(args, cmd, 'memory', MAX_MEMORY_MB, MB_PER_VCPU);
  if (memoryMb < MIN_MEMORY_MB) throw new UsageError(`${cmd}: --memory must be from ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB} MB`);
  const plan = demoPlan(concurrency);
  if (args.flags.has('pywren')) plan.pywren = choice(args, cmd, 'pywren', ['on', 'off'] as const, 'on') === 'on';
  const outDir = resolve(args.flags.get('out') ?? 'propack-report');
  const workspace = resolve(args.flags.get('workspace') ?? '.');
  const faults = faultFlags(args, cmd);

  const controller = new AbortController();
  const onSigint = (): void => {
    out('cancelling: no new invocations; finished work is kept (Ctrl-C again to quit now)');
    process.off('SIGINT', onSigint);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const started = Date.now();
  out(`starting the local platform (preset ${preset}, time scale ${timeScale})`);
  const platform = await startLocalPlatform({ preset, timeScale, ...faults });
  const session = openSession(localTarget(platform));
  try {
    const benchmarks = await runDemo({
      session,
      workloads: names.map((n) => WORKLOADS[n as BenchmarkName]),
      bundle: (name) => buildBundle({ kind: 'benchmark', name: name as BenchmarkFunction }),
      concurrency,
      objective,
      metric,
      memoryMb,
      architecture: 'x86_64',
      ...plan,
      sizes: demoSizes(concurrency),
      workspace,
      platformLabel: `local (${preset})`,
      source: { kind: 'local', tool: 'propack demo', detail: `local platform, preset ${preset}, time scale ${timeScale}` },
      concurrencyLimit: PRESETS[preset].accountConcurrency,
      signal: controller.signal,
      log: out,
    });
    const data: ReportData = { title: 'ProPack demo', generatedAt: new Date().toISOString(), platform: `local (${preset})`, benchmarks };
    writeReport(outDir, data);
    out('');
    out('| benchmark | C | no packing | PyWren | ProPack | oracle | regret |');
    out('|---|---|---|---|---|---|---|');
    const cell = (r: { packingDegree: number; serviceTime: number; cost: number }): string =>
      `p=${r.packingDegree} ${r.serviceTime.toFixed(2)} s $${r.cost.toPrecision(3)}`;
    for (const { benchmark, concurrency, measured: m } of benchmarks) {
      out(
        `| ${benchmark} | ${concurrency} | ${cell(m.noPacking)} | ${m.pywren ? cell(m.pywren) : '-'} | ${cell(m.propack)} | ${cell(m.oracle)} | ${(m.regret * 100).toFixed(1)}% |`,
      );
    }
    const cpu = platform.cpuEmulation();
    if (cpu)
      out(
        `\nCPU emulation: every environment held to its Lambda vCPU share; the clock ran slowed in ${((100 * cpu.slowTicks) / Math.max(1, cpu.ticks)).toFixed(0)}% of the time (slowest ${cpu.minRate.toPrecision(2)}× real time), ${cpu.stops} stops of a process past its share`,
      );
    out(`\nreport: ${join(outDir, 'report.html')} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    return controller.signal.aborted ? 1 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    session.close();
    await platform.stop();
  }
}
