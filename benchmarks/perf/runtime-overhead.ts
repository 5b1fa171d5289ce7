/**
 * Runtime overhead per packed task versus calling the handler directly (target ≤ 1 ms), in async mode
 * and in threads mode with a warm pool, plus the one-off cost of starting a worker pool.
 * Run: `npm run bench:runtime`; writes benchmarks/perf/results/runtime.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { packEvent, wrapHandler, type PackedHandler, type PackedMode } from '../../src/runtime';
import { spinAsync } from './overhead-handlers';

const TASKS = 200;
const ROUNDS = 15;
const PAYLOAD = { n: 2000 };
const TARGET_MS = 1;
const ctx = { getRemainingTimeInMillis: () => 600_000 };

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

async function directMsPerTask(): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < TASKS; i++) await spinAsync(PAYLOAD);
  return (performance.now() - t) / TASKS;
}

async function packedMsPerTask(h: PackedHandler, mode: PackedMode, poolSize: number): Promise<number> {
  const event = packEvent(
    Array.from({ length: TASKS }, (_, i) => ({ id: `t${i}`, payload: PAYLOAD })),
    { mode, poolSize },
  );
  const t = performance.now();
  await h(event, ctx);
  return (performance.now() - t) / TASKS;
}

interface ModeResult {
  mode: PackedMode;
  poolSize: number;
  tasksPerInvocation: number;
  directMsPerTask: number;
  packedMsPerTask: number;
  overheadMsPerTask: number;
}

/** Median over rounds of (packed − direct) per task; both run the same tasks one at a time. */
async function measure(mode: PackedMode): Promise<ModeResult> {
  const module = { path: join(__dirname, 'overhead-handlers.js'), exportName: 'spinAsync' };
  const h = wrapHandler(spinAsync, { mode, module });
  // poolSize 1 in both modes, so the packed tasks run serially just like the direct loop.
  await packedMsPerTask(h, mode, 1); // warm-up: JIT, and the worker's module load in threads mode
  const direct: number[] = [];
  const packed: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    direct.push(await directMsPerTask());
    packed.push(await packedMsPerTask(h, mode, 1));
  }
  await h.close();
  const d = median(direct);
  const p = median(packed);
  return {
    mode,
    poolSize: 1,
    tasksPerInvocation: TASKS,
    directMsPerTask: round3(d),
    packedMsPerTask: round3(p),
    overheadMsPerTask: round3(Math.max(0, p - d)),
  };
}

/** One-off: first packed threads invocation (pool start + module load in each worker) minus a warm one. */
async function poolStartMs(): Promise<number> {
  const module = { path: join(__dirname, 'overhead-handlers.js'), exportName: 'spinAsync' };
  const h = wrapHandler(spinAsync, { mode: 'threads', module });
  const event = packEvent([{ id: 'a', payload: PAYLOAD }], { poolSize: availableParallelism() });
  let t = performance.now();
  await h(event, ctx);
  const cold = performance.now() - t;
  t = performance.now();
  await h(event, ctx);
  const warm = performance.now() - t;
  await h.close();
  return round3(cold - warm);
}

async function main(): Promise<void> {
  const asyncResult = await measure('async');
  const threadsResult = await measure('threads');
  const startMs = await poolStartMs();
  const worst = Math.max(asyncResult.overheadMsPerTask, threadsResult.overheadMsPerTask);
  const out = {
    benchmark: 'runtime-overhead',
    measuredAt: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    loadAverage1m: round3(loadavg()[0]),
    targetMsPerTask: TARGET_MS,
    withinTarget: worst <= TARGET_MS,
    results: [asyncResult, threadsResult],
    threadPoolStartMs: startMs,
  };
  const dir = resolve(__dirname, '../../../benchmarks/perf/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'runtime.json'), `${JSON.stringify(out, null, 2)}\n`);
  for (const r of out.results) {
    console.log(
      `${r.mode.padEnd(7)} direct ${r.directMsPerTask.toFixed(3)} ms/task  packed ${r.packedMsPerTask.toFixed(3)} ms/task  overhead ${r.overheadMsPerTask.toFixed(3)} ms/task`,
    );
  }
  console.log(
    `thread pool start (one-off per instance): ${startMs.toFixed(1)} ms; target ≤ ${TARGET_MS} ms/task: ${out.withinTarget ? 'met' : 'MISSED'}`,
  );
  if (!out.withinTarget) process.exitCode = 1;
}

void main();
