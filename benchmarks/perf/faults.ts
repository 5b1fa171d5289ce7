/**
 * Reliability figures: runs the same job on the local platform under several seeded fault mixes and
 * accounts for every task (succeeded, failed-with-reason, lost, duplicates), with the retries, throttles and
 * the service-time and cost overhead against a clean run; then a load run of 5,000 tasks at p=1 against
 * account concurrency 1,000 (preset aws-2023, time-scaled) with the client's peak memory.
 * Run: `npm run bench:faults`; writes benchmarks/perf/results/faults.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { buildBundle, type FunctionBundle } from '../../src/engine/bundle';
import { deployFunction, LOCAL_ROLE } from '../../src/engine/deploy';
import { runPacked, type PackedRunResult, type TaskInput } from '../../src/engine/packed-run';
import { openSession } from '../../src/engine/session';
import { parseFaults, startLocalPlatform, type FaultRates } from '../../src/local';
import { AsyncS3Invoker } from '../../src/platform/async-invoker';
import { localTarget } from '../../src/platform';

const TASKS = 200;
const PACKING = 4;
const SLEEP_MS = 100;
const SEED = 2023;
const MIXES: { name: string; spec?: string; dispatch: 'sync' | 'async' }[] = [
  { name: 'clean', dispatch: 'sync' },
  { name: 'crash 5%', spec: 'crash=0.05', dispatch: 'sync' },
  { name: 'error 5%', spec: 'error=0.05', dispatch: 'sync' },
  { name: 'timeout 5%', spec: 'timeout=0.05', dispatch: 'sync' },
  { name: 'clean again (noise)', dispatch: 'sync' },
  { name: 'throttle 20%', spec: 'throttle=0.2', dispatch: 'sync' },
  { name: 'slow cold 10%', spec: 'slow-cold=0.1', dispatch: 'sync' },
  { name: 'issue mix', spec: 'crash=0.05,error=0.05,timeout=0.02,throttle=0.2,s3-error=0.01', dispatch: 'sync' },
  { name: 'issue mix, async + S3 5xx', spec: 'crash=0.05,error=0.05,timeout=0.02,throttle=0.2,s3-error=0.05', dispatch: 'async' },
  { name: 'heavy', spec: 'crash=0.15,error=0.15,timeout=0.1,throttle=0.5,slow-cold=0.3', dispatch: 'sync' },
];
// Each execution appends its id: executions beyond the task count are re-runs after faults.
const HANDLER = `
const fs = require('node:fs');
exports.handler = async (event) => {
  if (event.log) fs.appendFileSync(event.log, event.id + '\\n');
  await new Promise((r) => setTimeout(r, event.sleepMs));
  return { id: event.id };
};`;

interface Row {
  mix: string;
  faults: string;
  dispatch: string;
  tasks: number;
  succeeded: number;
  failedWithReason: number;
  lost: number;
  duplicates: number;
  executions: number;
  lateResultsIgnored: number;
  retries: number;
  throttles: number;
  crashes: number;
  timeouts: number;
  functionErrors: number;
  requestErrors: number;
  injected: Record<string, number>;
  serviceTimeS: number;
  costUsd: number;
  serviceTimeOverhead?: number;
  costOverhead?: number;
}

/** Lost: a task with no final outcome; duplicate: a task credited twice or credited another task's result. */
function account(tasks: readonly TaskInput[], r: PackedRunResult): { succeeded: number; failed: number; lost: number; duplicates: number } {
  const seen = new Map<string, number>();
  for (const o of r.outcomes) if (o) seen.set(o.id, (seen.get(o.id) ?? 0) + 1);
  const lost = tasks.filter((t) => !seen.has(t.id)).length;
  const duplicates =
    [...seen.values()].reduce((a, n) => a + n - 1, 0) +
    r.outcomes.filter((o) => o?.status === 'succeeded' && (o.result as { id?: string }).id !== o.id).length;
  const failed = r.outcomes.filter((o) => o?.status === 'failed' && (o.reason ?? '').length > 0).length;
  return { succeeded: r.outcomes.filter((o) => o?.status === 'succeeded').length, failed, lost, duplicates };
}

async function runMix(bundle: FunctionBundle, dir: string, mix: (typeof MIXES)[number]): Promise<Row> {
  const faults: FaultRates | undefined = mix.spec ? parseFaults(mix.spec) : undefined;
  const platform = await startLocalPlatform({
    preset: 'instant',
    eventRetryDelaysMs: [50, 100],
    ...(faults ? { faults, seed: SEED } : {}),
  });
  const session = openSession(localTarget(platform));
  const log = join(dir, `${mix.name.replace(/\W+/g, '-')}.log`);
  try {
    await deployFunction(session.lambda, bundle, {
      name: 'bench-faults',
      memoryMb: 1769,
      architecture: 'x86_64',
      timeoutS: 30,
      role: LOCAL_ROLE,
      environment: { AWS_ENDPOINT_URL_S3: platform.s3Endpoint },
    });
    const tasks: TaskInput[] = Array.from({ length: TASKS }, (_, i) => ({ id: `t${i}`, payload: { id: `t${i}`, log, sleepMs: SLEEP_MS } }));
    let invoker = session.invoker;
    let asyncInvoker: AsyncS3Invoker | undefined;
    if (mix.dispatch === 'async') {
      await session.s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
      invoker = asyncInvoker = new AsyncS3Invoker(session.lambda, session.s3, {
        bucket: 'bench',
        prefix: 'r/',
        resultTimeoutS: 60,
        pollMs: 50,
      });
    }
    const r = await runPacked({
      invoker,
      functionName: 'bench-faults',
      fn: { memoryMb: 1769, architecture: 'x86_64', region: platform.region },
      tasks,
      packingDegree: PACKING,
      maxAttempts: 5,
      backoff: { baseMs: 20, capMs: 1000 },
    });
    asyncInvoker?.close();
    const a = account(tasks, r);
    return {
      mix: mix.name,
      faults: mix.spec ?? '-',
      dispatch: mix.dispatch,
      tasks: TASKS,
      succeeded: a.succeeded,
      failedWithReason: a.failed,
      lost: a.lost,
      duplicates: a.duplicates,
      executions: readFileSync(log, 'utf8').split('\n').filter(Boolean).length,
      lateResultsIgnored: r.duplicates,
      retries: r.metrics.retries,
      throttles: r.metrics.throttles,
      ...r.failures,
      injected: platform.faultCounts(),
      serviceTimeS: round(r.metrics.serviceTime),
      costUsd: r.metrics.costUsd,
    };
  } finally {
    session.close();
    await platform.stop();
  }
}

/** 5,000 tasks at p=1 against account concurrency 1,000: everything completes, 429s absorbed, peak RSS sampled. */
async function runLoad(bundle: FunctionBundle): Promise<Record<string, number>> {
  const platform = await startLocalPlatform({
    preset: 'aws-2023',
    timeScale: 0.02,
    accountConcurrency: 1000,
    maxProcessesPerFunction: 4,
    enforceCpu: false,
  });
  const session = openSession(localTarget(platform));
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  try {
    await deployFunction(session.lambda, bundle, {
      name: 'bench-load',
      memoryMb: 1769,
      architecture: 'x86_64',
      timeoutS: 60,
      role: LOCAL_ROLE,
    });
    const tasks: TaskInput[] = Array.from({ length: 5000 }, (_, i) => ({ id: `t${i}`, payload: { id: `t${i}`, sleepMs: 200 } }));
    const t0 = performance.now();
    const r = await runPacked({
      invoker: session.invoker,
      functionName: 'bench-load',
      fn: { memoryMb: 1769, architecture: 'x86_64', region: platform.region },
      tasks,
      packingDegree: 1,
      maxThrottles: 1000,
      backoff: { baseMs: 50, capMs: 2000 },
    });
    const a = account(tasks, r);
    return {
      tasks: 5000,
      succeeded: a.succeeded,
      failedWithReason: a.failed,
      lost: a.lost,
      duplicates: a.duplicates,
      throttles: r.metrics.throttles,
      retries: r.metrics.retries,
      wallS: round((performance.now() - t0) / 1000),
      clientPeakRssMb: Math.round(peakRss / 2 ** 20),
    };
  } finally {
    clearInterval(sampler);
    session.close();
    await platform.stop();
  }
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'propack-bench-faults-'));
  writeFileSync(join(dir, 'handler.js'), HANDLER);
  const bundle = await buildBundle({ kind: 'file', file: join(dir, 'handler.js') });
  const rows: Row[] = [];
  for (const mix of MIXES) {
    const row = await runMix(bundle, dir, mix);
    rows.push(row);
    process.stdout.write(`${mix.name}: ${JSON.stringify(row)}\n`);
  }
  const clean = rows[0];
  for (const r of rows) {
    r.serviceTimeOverhead = round(r.serviceTimeS / clean.serviceTimeS - 1);
    r.costOverhead = round(r.costUsd / clean.costUsd - 1);
  }
  const load = process.argv.includes('--no-load') ? undefined : await runLoad(bundle);
  if (load) process.stdout.write(`load: ${JSON.stringify(load)}\n`);
  const out = {
    benchmark: 'faults',
    measuredAt: new Date().toISOString(),
    node: process.version,
    cores: availableParallelism(),
    loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
    seed: SEED,
    tasks: TASKS,
    packingDegree: PACKING,
    taskSleepMs: SLEEP_MS,
    rows,
    load,
  };
  const resultsDir = resolve(__dirname, '../../../benchmarks/perf/results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'faults.json'), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(
    '\n| mix | tasks | succeeded | failed (reason) | lost | duplicates | executions | retries | throttles | crashes / timeouts / errors | service time | cost overhead |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n',
  );
  for (const r of rows) {
    process.stdout.write(
      `| ${r.mix} | ${r.tasks} | ${r.succeeded} | ${r.failedWithReason} | ${r.lost} | ${r.duplicates} | ${r.executions} | ${r.retries} | ${r.throttles} | ${r.crashes} / ${r.timeouts} / ${r.functionErrors} | ${r.serviceTimeS.toFixed(2)} s (${pct(r.serviceTimeOverhead)}) | ${pct(r.costOverhead)} |\n`,
    );
  }
  if (rows.some((r) => r.lost > 0 || r.duplicates > 0) || (load && (load.lost > 0 || load.duplicates > 0 || load.succeeded !== 5000)))
    process.exitCode = 1;
}

const pct = (x: number | undefined): string => `${(x ?? 0) >= 0 ? '+' : ''}${((x ?? 0) * 100).toFixed(0)}%`;

main().catch((e: unknown) => {
  process.stderr.write(`bench:faults: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
