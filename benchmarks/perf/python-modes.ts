/**
 * Python packing figures: the stateless-cost pipeline in Python (Pillow, which releases the GIL in
 * resize and encode) and a pure-Python CPU loop (which holds it), deployed through the bundler in
 * `threads` and `processes` mode at 3,538 MB (2 vCPUs) and 1,769 MB (1 vCPU), run packed on the embedded
 * platform at p = 1, 2, 4, 8, 16 with C = 16 tasks fanned out at once. Per configuration, over REPS runs
 * after one warm-up run (so instances are warm): service time, mean task duration and mean billed
 * duration per invocation (one invocation = one instance's packed work), median and min–max.
 * The runtime's pool is its vCPUs (from the memory size): 1,769 MB runs an instance's tasks one at a time.
 * Run: `npm run bench:python`; writes benchmarks/perf/results/python-modes.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { PythonMode } from '../../src/engine/bundle-python';
import { runPacked, type TaskInput } from '../../src/engine/packed-run';
import { openSession, type Session } from '../../src/engine/session';
import { startLocalPlatform, type LocalPlatform } from '../../src/local';
import { pythonExecutable } from '../../src/local/python';
import { localTarget } from '../../src/platform';
import type { PackedInvoker } from '../../src/platform/packed-invoker';
import { prepareImages } from '../stateless-cost/input';
import { deployPythonWorkload, pythonWorkloadUnavailable, type PythonWorkload } from '../stateless-cost-py/function';

const TASKS = 16;
const REPS = 3;
const PACKING = [1, 2, 4, 8, 16];
const MEMORY_MB = [3538, 1769];
const MODES: PythonMode[] = ['threads', 'processes'];
// About 0.1 s of pure-Python work per task on this machine.
const CPU_STEPS = 2_000_000;
const WORKLOADS: PythonWorkload[] = ['stateless-cost-py', 'python-cpu'];

/** Median and spread of a few runs (seconds or ms, as measured). */
interface Spread {
  median: number;
  min: number;
  max: number;
}

interface Row {
  workload: PythonWorkload;
  mode: PythonMode;
  memoryMb: number;
  packingDegree: number;
  invocations: number;
  serviceTimeS: Spread;
  meanTaskS: Spread;
  meanBilledMsPerInvocation: Spread;
  loadAverage1m: number;
}

const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

function spread(xs: readonly number[], digits = 3): Spread {
  const s = [...xs].sort((a, b) => a - b);
  return { median: round(s[Math.floor(s.length / 2)], digits), min: round(s[0], digits), max: round(s[s.length - 1], digits) };
}

/** An invoker that records each task's duration (s, the instance's own clock) from the packed responses. */
function timingInvoker(inner: PackedInvoker, durations: number[]): PackedInvoker {
  return {
    ...(inner.payloadLimit ? { payloadLimit: inner.payloadLimit } : {}),
    ...(inner.timeline ? { timeline: inner.timeline } : {}),
    async invoke(functionName, event, signal) {
      const out = await inner.invoke(functionName, event, signal);
      if (out.kind === 'ok') for (const t of out.body.tasks) if (t.status === 'ok') durations.push(t.endedAt - t.startedAt);
      return out;
    },
  };
}

async function payloadsOf(session: Session, workload: PythonWorkload): Promise<unknown[]> {
  if (workload === 'python-cpu') return Array.from({ length: TASKS }, () => ({ steps: CPU_STEPS }));
  await session.s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
  // The workload's default sizes: 800×600 photos, 300×300 thumbnails at quality 85.
  const job = await prepareImages(session.s3, { bucket: 'bench', prefix: 'py', tasks: TASKS, seed: 7 });
  return job.phases[0].payloads;
}

async function measure(platform: LocalPlatform, session: Session, name: string, memoryMb: number, p: number, tasks: TaskInput[]) {
  const one = async () => {
    const durations: number[] = [];
    const r = await runPacked({
      invoker: timingInvoker(session.invoker, durations),
      functionName: name,
      fn: { memoryMb, architecture: 'x86_64', region: platform.region },
      tasks,
      packingDegree: p,
      maxAttempts: 1,
    });
    if (r.metrics.tasks.succeeded !== tasks.length)
      throw new Error(`${name} p=${p}: ${r.metrics.tasks.failed} task(s) failed: ${r.outcomes.find((o) => o.status === 'failed')?.reason}`);
    return {
      serviceTimeS: r.metrics.serviceTime,
      meanTaskS: mean(durations),
      billedMs: mean(r.invocations.map((i) => i.billedMs)),
      invocations: r.invocations.length,
    };
  };
  await one(); // warm-up: starts the instances, so every measured run is warm
  const runs = [];
  for (let i = 0; i < REPS; i++) runs.push(await one());
  return runs;
}

async function main(): Promise<void> {
  for (const w of WORKLOADS) {
    const missing = pythonWorkloadUnavailable(w);
    if (missing) throw new Error(missing);
  }
  const started = performance.now();
  const rows: Row[] = [];
  for (const workload of WORKLOADS) {
    // One platform per workload; 16 processes so that p=1's 16 instances each have a process of their own.
    const platform = await startLocalPlatform({ preset: 'instant', maxProcessesPerFunction: TASKS, enforceCpu: false });
    const session = openSession(localTarget(platform));
    try {
      const tasks: TaskInput[] = (await payloadsOf(session, workload)).map((payload, i) => ({ id: `t${i}`, payload }));
      for (const memoryMb of MEMORY_MB) {
        for (const mode of MODES) {
          const name = `${workload}-${mode}-${memoryMb}`;
          await deployPythonWorkload(session.lambda, { workload, name, mode, memoryMb, s3Endpoint: platform.s3Endpoint });
          for (const p of PACKING) {
            const runs = await measure(platform, session, name, memoryMb, p, tasks);
            const row: Row = {
              workload,
              mode,
              memoryMb,
              packingDegree: p,
              invocations: runs[0].invocations,
              serviceTimeS: spread(runs.map((r) => r.serviceTimeS)),
              meanTaskS: spread(runs.map((r) => r.meanTaskS)),
              meanBilledMsPerInvocation: spread(
                runs.map((r) => r.billedMs),
                0,
              ),
              loadAverage1m: round(loadavg()[0], 2),
            };
            rows.push(row);
            process.stdout.write(`${JSON.stringify(row)}\n`);
          }
        }
      }
    } finally {
      session.close();
      await platform.stop();
    }
  }
  const out = {
    benchmark: 'python-modes',
    measuredAt: new Date().toISOString(),
    node: process.version,
    python: pythonExecutable(),
    cores: availableParallelism(),
    loadAverage1mAtEnd: round(loadavg()[0], 2),
    wallS: round((performance.now() - started) / 1000, 1),
    tasks: TASKS,
    repetitions: REPS,
    cpuSteps: CPU_STEPS,
    note: 'median (min–max) of the repetitions after one warm-up run; task times on the instance clock; billed ms per invocation = per instance',
    rows,
  };
  const dir = resolve(__dirname, '..', '..', '..', 'benchmarks', 'perf', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'python-modes.json'), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`\n${markdownTable(rows)}`);
}

/** The docs' table: one line per (workload, memory, p), threads beside processes. */
function markdownTable(rows: readonly Row[]): string {
  const cell = (s: Spread, unit: string, digits: number) =>
    `${s.median.toFixed(digits)} ${unit} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
  let md =
    '| workload | MB | p | service time threads | service time processes | mean task threads | mean task processes | billed/invocation threads | billed/invocation processes |\n|---|---|---|---|---|---|---|---|---|\n';
  for (const t of rows.filter((r) => r.mode === 'threads')) {
    const pr = rows.find(
      (r) => r.mode === 'processes' && r.workload === t.workload && r.memoryMb === t.memoryMb && r.packingDegree === t.packingDegree,
    );
    if (!pr) continue;
    md += `| ${t.workload} | ${t.memoryMb} | ${t.packingDegree} | ${cell(t.serviceTimeS, 's', 2)} | ${cell(pr.serviceTimeS, 's', 2)} | ${cell(t.meanTaskS, 's', 3)} | ${cell(pr.meanTaskS, 's', 3)} | ${cell(t.meanBilledMsPerInvocation, 'ms', 0)} | ${cell(pr.meanBilledMsPerInvocation, 'ms', 0)} |\n`;
  }
  return md;
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:python: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
