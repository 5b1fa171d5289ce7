/**
 * What one cold fan-out at ProPack's scale costs this machine (issue 17), measured, never asserted by a
 * test: C tasks of a built-in workload at p = 1 on a fresh deployment (C cold instances), preset aws-2021,
 * CPU emulation on, as the demo's no-packing run (BENCH_P packs them, as ProPack's run). Reports real time, the emulated service time, the CPU the
 * platform's whole process tree used (this process, its workers, S3), per cold instance, how busy the
 * cores were, each instance's mean run on the emulated timeline, and the bill with its Init Duration per instance.
 * Run: `npm run bench:scale` (BENCH_C, BENCH_WORKLOAD, BENCH_P override 400, video, 1); writes benchmarks/perf/results/scale.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { buildBundle, type BenchmarkFunction } from '../../src/engine/bundle';
import { deployFunction, LOCAL_ROLE } from '../../src/engine/deploy';
import { runPacked } from '../../src/engine/packed-run';
import { openSession } from '../../src/engine/session';
import { startLocalPlatform } from '../../src/local';
import { localTarget } from '../../src/platform';
import type { BenchmarkName } from '../types';
import { demoSizes, WORKLOADS } from '../workloads';

const C = Number(process.env.BENCH_C ?? 400);
const NAME = (process.env.BENCH_WORKLOAD ?? 'video') as BenchmarkName;
/** Packing degree: 1, the demo's no-packing run; higher, a packed run as ProPack's own (ceil(C/p) instances). */
const P = Number(process.env.BENCH_P ?? 1);
const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** CPU seconds of this process and of its reaped children (Linux /proc/self/stat utime+stime, cutime+cstime). */
function treeCpuS(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // After the comm field: state is index 0, so utime..cstime (fields 14–17 of stat) are indices 11–14.
  return [11, 12, 13, 14].reduce((s, i) => s + Number(fields[i]), 0) / 100;
}

async function main(): Promise<void> {
  const cpu0 = treeCpuS();
  const platform = await startLocalPlatform({ preset: 'aws-2021' });
  const session = openSession(localTarget(platform));
  const fn = { memoryMb: 1769, architecture: 'x86_64' as const, region: platform.region };
  let result: Record<string, unknown>;
  try {
    await session.s3.send(new CreateBucketCommand({ Bucket: 'bench-scale' }));
    const job = await WORKLOADS[NAME].prepare(session.s3, {
      bucket: 'bench-scale',
      prefix: NAME,
      tasks: C,
      seed: 7,
      sizes: demoSizes(C)[NAME],
    });
    await deployFunction(session.lambda, await buildBundle({ kind: 'benchmark', name: NAME as BenchmarkFunction }), {
      name: `scale-${NAME}`,
      memoryMb: fn.memoryMb,
      architecture: fn.architecture,
      timeoutS: 300,
      role: LOCAL_ROLE,
      environment: { AWS_ENDPOINT_URL_S3: platform.s3Endpoint },
    });
    const cpu1 = treeCpuS();
    const t0 = Date.now();
    const r = await runPacked({
      invoker: session.invoker,
      functionName: `scale-${NAME}`,
      fn,
      tasks: job.phases[0].payloads.map((payload, i) => ({ id: `t${i}`, payload })),
      packingDegree: P,
      mode: 'async',
    });
    const realS = (Date.now() - t0) / 1000;
    session.close();
    await platform.stop(); // its workers exit and are reaped: their CPU counts below
    const cpuS = treeCpuS() - cpu1;
    const inits = r.invocations.filter((i) => i.cold && i.initS !== undefined).map((i) => i.initS as number);
    // Each instance's own run on the emulated timeline: a faster real run must leave it where it was.
    const ran = r.invocations.map((i) => i.endS - i.startS);
    result = {
      machine: { cpus: availableParallelism(), node: process.version, loadavg1: round(loadavg()[0], 2) },
      workload: NAME,
      concurrency: C,
      packingDegree: P,
      succeeded: r.outcomes.filter((o) => o.status === 'succeeded').length,
      failedReasons: r.outcomes.filter((o) => o.status === 'failed').map((o) => o.reason),
      retries: r.metrics.retries,
      retryCauses: r.metrics.retryCauses,
      failures: r.failures,
      realS: round(realS, 1),
      serviceTimeS: round(r.metrics.serviceTime),
      scalingTimeS: round(r.metrics.scalingTime),
      cpuS: round(cpuS, 1),
      cpuPerInstanceS: round(cpuS / C),
      coresBusy: round(cpuS / (realS * availableParallelism()), 2),
      costUsd: round(r.metrics.costUsd, 5),
      initMeanS: round(inits.reduce((a, b) => a + b, 0) / Math.max(1, inits.length)),
      invocationMeanS: round(ran.reduce((a, b) => a + b, 0) / Math.max(1, ran.length)),
      setupCpuS: round(cpu1 - cpu0, 1),
      cpuEmulation: platform.cpuEmulation(),
    };
  } catch (e) {
    session.close();
    await platform.stop();
    throw e;
  }
  console.log(JSON.stringify(result, null, 1));
  const dir = resolve(__dirname, '../../../benchmarks/perf/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'scale.json'), JSON.stringify(result, null, 2) + '\n');
}

void main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
