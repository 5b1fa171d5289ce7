/**
 * Time of one task of each workload at its default sizes, run directly (no packing) against a local
 * s3rver in this process: the "what one task costs" figure the README quotes.
 * Run: `npm run bench:workloads`; writes benchmarks/perf/results/workloads.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import S3rver from 's3rver';
import { createS3Client } from '../../src/runtime/s3';
import { handler as sortTask } from '../sort/handler';
import { handler as imageTask } from '../stateless-cost/handler';
import type { BenchmarkName } from '../types';
import { handler as videoTask } from '../video/handler';
import { WORKLOADS } from '../workloads';

const TASKS = 8;
const TASK_HANDLERS: Record<BenchmarkName, (event: unknown) => Promise<unknown>> = {
  video: videoTask,
  sort: sortTask,
  'stateless-cost': imageTask,
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'propack-bench-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: dir,
    silent: true,
    configureBuckets: [{ name: 'bench', configs: [] }],
  });
  const { port } = await server.run();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
  });
  const s3 = createS3Client();
  const results = [];
  for (const w of Object.values(WORKLOADS)) {
    const t0 = performance.now();
    const job = await w.prepare(s3, { bucket: 'bench', prefix: w.name, tasks: TASKS });
    const prepareMs = performance.now() - t0;
    const phases = [];
    for (const phase of job.phases) {
      const times: number[] = [];
      for (const payload of phase.payloads) {
        const t = performance.now();
        await TASK_HANDLERS[w.name](payload);
        times.push(performance.now() - t);
      }
      phases.push({ phase: phase.name, tasks: times.length, medianMs: Math.round(median(times)), maxMs: Math.round(Math.max(...times)) });
    }
    const check = await w.check(s3, job);
    results.push({ benchmark: w.name, sizes: job.sizes, prepareMs: Math.round(prepareMs), phases, checkOk: check.ok });
    console.log(
      `${w.name.padEnd(15)} ${phases.map((p) => `${p.phase}: median ${p.medianMs} ms, max ${p.maxMs} ms`).join('; ')} (check ${check.ok ? 'ok' : 'FAILED'})`,
    );
  }
  s3.destroy();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  const out = {
    benchmark: 'workload-tasks',
    measuredAt: new Date().toISOString(),
    node: process.version,
    cores: availableParallelism(),
    loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
    results,
  };
  const resultsDir = resolve(__dirname, '../../../benchmarks/perf/results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'workloads.json'), `${JSON.stringify(out, null, 2)}\n`);
  if (results.some((r) => !r.checkOk)) process.exitCode = 1;
}

void main();
