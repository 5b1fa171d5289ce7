import assert from 'node:assert/strict';
import type { PackedHandler } from '../../../src/runtime';
import { packEvent, type PackedMode, type PackedResponse, type PackedTaskResult } from '../../../src/runtime/protocol';
import type { PreparedJob } from '../../../benchmarks/types';

/** Runs payloads through a wrapped function, `packing` tasks per packed invocation, invocations concurrently. */
export async function runPacked(handler: PackedHandler, payloads: unknown[], packing: number, mode?: PackedMode): Promise<PackedTaskResult[]> {
  const groups: unknown[][] = [];
  for (let i = 0; i < payloads.length; i += packing) groups.push(payloads.slice(i, i + packing));
  const responses = await Promise.all(groups.map(async (g, gi) => {
    const deadline = Date.now() + 120_000;
    const event = packEvent(g.map((payload, j) => ({ id: `t${gi * packing + j}`, payload })), mode ? { mode } : {});
    return (await handler(event, { getRemainingTimeInMillis: () => deadline - Date.now() })) as PackedResponse;
  }));
  return responses.flatMap((r) => r.__propack.tasks);
}

/** Runs every phase of a job in order and asserts every task succeeded. */
export async function runJob(handler: PackedHandler, job: PreparedJob, packing: number, mode?: PackedMode): Promise<PackedTaskResult[][]> {
  const out: PackedTaskResult[][] = [];
  for (const phase of job.phases) {
    const results = await runPacked(handler, phase.payloads, packing, mode);
    assert.deepEqual(results.filter((r) => r.status !== 'ok'), [], `phase ${phase.name}: every task ok`);
    out.push(results);
  }
  return out;
}
