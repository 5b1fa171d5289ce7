import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { S3Client } from '@aws-sdk/client-s3';
import type { PackedHandler } from '../../../src/runtime';
import { packEvent, type PackedMode, type PackedResponse, type PackedTaskResult } from '../../../src/runtime/protocol';
import { createS3Client } from '../../../src/runtime/s3';
import type { BenchmarkName, PrepareOptions, PreparedJob } from '../../../benchmarks/types';
import { WORKLOADS } from '../../../benchmarks/workloads';
import { startLocalS3, type LocalS3 } from '../../support/s3';

/** What a workload test file shares: a real S3 client on a local s3rver, and one prepared job. */
export interface BenchFixture {
  s3: S3Client;
  job: PreparedJob;
}

/** Registers before/after hooks: s3rver with the job's bucket, the job's input, and cleanup of the handler's workers. */
export function benchmarkFixture(name: BenchmarkName, handler: PackedHandler, options: PrepareOptions): BenchFixture {
  const fx = {} as BenchFixture;
  let server: LocalS3;
  before(async () => {
    server = await startLocalS3([options.bucket]);
    fx.s3 = createS3Client();
    fx.job = await WORKLOADS[name].prepare(fx.s3, options);
  });
  after(async () => {
    await handler.close();
    fx.s3.destroy();
    await server.stop();
  });
  return fx;
}

/** Runs payloads through a wrapped function, `packing` tasks per packed invocation, invocations concurrently. */
export async function runPacked(
  handler: PackedHandler,
  payloads: unknown[],
  packing: number,
  mode?: PackedMode,
): Promise<PackedTaskResult[]> {
  const groups: unknown[][] = [];
  for (let i = 0; i < payloads.length; i += packing) groups.push(payloads.slice(i, i + packing));
  const responses = await Promise.all(
    groups.map(async (g, gi) => {
      const deadline = Date.now() + 120_000;
      const event = packEvent(
        g.map((payload, j) => ({ id: `t${gi * packing + j}`, payload })),
        mode ? { mode } : {},
      );
      return (await handler(event, { getRemainingTimeInMillis: () => deadline - Date.now() })) as PackedResponse;
    }),
  );
  return responses.flatMap((r) => r.__propack.tasks);
}

/** Runs every phase of a job in order and asserts every task succeeded. */
export async function runJob(handler: PackedHandler, job: PreparedJob, packing: number, mode?: PackedMode): Promise<PackedTaskResult[][]> {
  const out: PackedTaskResult[][] = [];
  for (const phase of job.phases) {
    const results = await runPacked(handler, phase.payloads, packing, mode);
    assert.deepEqual(
      results.filter((r) => r.status !== 'ok'),
      [],
      `phase ${phase.name}: every task ok`,
    );
    out.push(results);
  }
  return out;
}
