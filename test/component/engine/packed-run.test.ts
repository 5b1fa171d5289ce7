import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { clockNowS, PiecewiseTimeline } from '../../../src/core/timeline';
import { runPacked, type TaskInput } from '../../../src/engine/packed-run';
import type { Session } from '../../../src/engine/session';
import type { InvokeOutcome, PackedInvoker } from '../../../src/platform/packed-invoker';
import { PACKED_MARKER, type PackedEvent } from '../../../src/runtime/protocol';
import { platformWithHandler } from '../../support/handler-platform';

const dir = mkdtempSync(join(tmpdir(), 'propack-run-'));
const HANDLER = `
const fs = require('node:fs');
exports.handler = async (event) => {
  if (event.fail === 'error') throw new Error('bad input ' + event.n);
  if (event.fail === 'crash-once' && !fs.existsSync(event.marker)) { fs.writeFileSync(event.marker, 'x'); process.exit(3); }
  if (event.sleepMs) await new Promise((r) => setTimeout(r, event.sleepMs));
  return { doubled: event.n * 2 };
};`;
const fn = { memoryMb: 512, architecture: 'x86_64' as const, region: 'us-east-1' };
let session: Session;

let close: () => Promise<void>;

before(async () => {
  ({ session, close } = await platformWithHandler(dir, HANDLER, ['runs', 'throttled'], 512));
});

after(() => close());

const tasks = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})): TaskInput[] =>
  Array.from({ length: n }, (_, i) => ({ id: `t${i}`, payload: { n: i, ...extra(i) } }));

test('ten tasks at p=3: four invocations, every task succeeds with its own result', async () => {
  const r = await runPacked({ invoker: session.invoker, functionName: 'runs', fn, tasks: tasks(10), packingDegree: 3 });
  assert.equal(r.metrics.tasks.succeeded, 10);
  assert.equal(r.metrics.invocations, 4);
  assert.deepEqual(
    r.outcomes.map((o) => (o.result as { doubled: number }).doubled),
    [0, 2, 4, 6, 8, 10, 12, 14, 16, 18],
  );
  assert.deepEqual(r.invocations.map((i) => i.tasks).sort(), [1, 3, 3, 3]);
  // Four new instances: each cold start's INIT comes from the REPORT line and is billed with its run.
  const cold = r.invocations.filter((i) => i.cold);
  assert.equal(cold.length, 4);
  for (const i of cold) {
    assert.ok(i.initS !== undefined && i.initS > 0, JSON.stringify(i));
    assert.ok(i.billedMs >= (i.endS - i.startS + i.initS) * 1000 - 1, JSON.stringify(i));
  }
  assert.ok(r.metrics.serviceTime > 0 && r.metrics.costUsd > 0);
  assert.ok(r.metrics.p50 <= r.metrics.p90 && r.metrics.p90 <= r.metrics.serviceTime);
  assert.equal(r.duplicates, 0);
});

test('a task that always throws fails with its reason after bounded attempts; the others succeed', async () => {
  const r = await runPacked({
    invoker: session.invoker,
    functionName: 'runs',
    fn,
    tasks: tasks(6, (i) => (i === 4 ? { fail: 'error' } : {})),
    packingDegree: 3,
    maxAttempts: 3,
  });
  const bad = r.outcomes[4];
  assert.equal(bad.status, 'failed');
  assert.match(bad.reason ?? '', /bad input 4/);
  assert.equal(bad.attempts, 3);
  // Its two retries are counted under the handler's error, not as an anonymous "task error".
  assert.equal(r.metrics.retries, 2);
  assert.deepEqual(r.metrics.retryCauses, [{ reason: 'Error: bad input 4', count: 2 }]);
  assert.equal(r.metrics.tasks.succeeded, 5);
  assert.equal(r.outcomes.length, 6);
});

test('an instance crash fails its invocation; the batch is retried and counted once', async () => {
  const marker = join(dir, 'crashed');
  const r = await runPacked({
    invoker: session.invoker,
    functionName: 'runs',
    fn,
    tasks: tasks(4, (i) => (i === 1 ? { fail: 'crash-once', marker } : {})),
    packingDegree: 2,
  });
  assert.equal(r.metrics.tasks.succeeded, 4);
  assert.equal(r.outcomes[0].attempts, 2, 'the crashed batch ran twice');
  assert.equal(r.metrics.retries, 2);
  assert.equal(r.metrics.retryCauses.length, 1, JSON.stringify(r.metrics.retryCauses));
  assert.equal(r.metrics.retryCauses[0].count, 2);
  assert.match(r.metrics.retryCauses[0].reason, /^Runtime\.ExitError: /);
  assert.equal(r.duplicates, 0);
});

test('429s from reserved concurrency 1 are absorbed with backoff and counted', async () => {
  await session.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'throttled', ReservedConcurrentExecutions: 1 }));
  const r = await runPacked({
    invoker: session.invoker,
    functionName: 'throttled',
    fn,
    tasks: tasks(6, () => ({ sleepMs: 100 })),
    packingDegree: 1,
    backoff: { baseMs: 20, capMs: 200 },
  });
  assert.equal(r.metrics.tasks.succeeded, 6);
  assert.ok(r.metrics.throttles > 0, 'some invocations were throttled');
  assert.equal(r.metrics.retries, 0, 'a throttled request never ran, so it is not a retry');
  assert.deepEqual(r.metrics.retryCauses, []);
});

test('cancellation stops dispatch and ends every unfinished task as cancelled', async () => {
  const controller = new AbortController();
  const r = await runPacked({
    invoker: session.invoker,
    functionName: 'runs',
    fn,
    tasks: tasks(8, () => ({ sleepMs: 3000 })),
    packingDegree: 1,
    maxInFlight: 2,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.inFlight > 0) controller.abort();
    },
  });
  assert.equal(r.cancelled, true);
  assert.equal(r.outcomes.length, 8);
  for (const o of r.outcomes) {
    assert.equal(o.status, 'failed');
    assert.match(o.reason ?? '', /cancelled/);
  }
  assert.ok(r.metrics.invocations <= 2, 'nothing was dispatched after the cancel');
});

test('results for tasks a batch did not carry (a late reply) are ignored and counted as duplicates', async () => {
  // A scripted invoker: a real server cannot be made to answer with another batch's task, so this one fault is simulated.
  let calls = 0;
  const invoker: PackedInvoker = {
    async invoke(_fn: string, event: PackedEvent): Promise<InvokeOutcome> {
      calls++;
      const ids = event[PACKED_MARKER].tasks.map((t) => t.id);
      const now = Date.now() / 1000;
      const results = [...ids, 'stranger'].map((id) => ({ id, status: 'ok' as const, result: id, startedAt: now, endedAt: now }));
      return {
        kind: 'ok',
        sentAt: now,
        receivedAt: now,
        body: {
          v: 1,
          instance: { id: `i${calls}`, cold: calls === 1, vcpus: 1, memoryMb: 512 },
          startedAt: now,
          endedAt: now,
          tasks: results,
        },
      };
    },
  };
  const r = await runPacked({ invoker, functionName: 'x', fn, tasks: tasks(4), packingDegree: 2 });
  assert.equal(r.metrics.tasks.succeeded, 4);
  assert.equal(r.duplicates, 2);
  assert.ok(r.outcomes.every((o) => o.result === o.id));
});

test('times are taken on the clock the timeline is built on: a wall clock stepped 7 s ahead gives no negative times', async () => {
  // Scripted: a wall clock that steps away from the monotonic one (a VM's time resync) cannot be made on
  // demand. The timeline runs on a clock 7 s behind Date.now; each invocation slows it to 0.01 (as the
  // platform does under load). Taken on Date.now, the run's start mapped 7 s into the timeline's future at
  // rate 1 and every task then ended about 7 s before it (a C = 1,000 demo measured -0.45 s of service time).
  const clock = (): number => Date.now() - 7000;
  const timeline = new PiecewiseTimeline(clock(), clock);
  let calls = 0;
  const invoker: PackedInvoker = {
    timeline,
    async invoke(_fn: string, event: PackedEvent): Promise<InvokeOutcome> {
      calls++;
      const sentAt = clockNowS(timeline);
      timeline.setRate(clock(), calls % 2 === 1 ? 0.01 : 0.02);
      await new Promise((r) => setImmediate(r));
      const at = clockNowS(timeline);
      const results = event[PACKED_MARKER].tasks.map((t) => ({
        id: t.id,
        status: 'ok' as const,
        result: t.id,
        startedAt: at,
        endedAt: at,
      }));
      return {
        kind: 'ok',
        sentAt,
        receivedAt: clockNowS(timeline),
        body: { v: 1, instance: { id: `i${calls}`, cold: false, vcpus: 1, memoryMb: 512 }, startedAt: at, endedAt: at, tasks: results },
      };
    },
  };
  const r = await runPacked({ invoker, functionName: 'x', fn, tasks: tasks(6), packingDegree: 2 });
  assert.equal(r.metrics.tasks.succeeded, 6);
  for (const o of r.outcomes) assert.ok(o.completedS >= 0 && o.completedS < 1, `completed at ${o.completedS} s`);
  for (const i of r.invocations) assert.ok(i.startS >= 0 && i.sentS >= 0, JSON.stringify(i));
});

test('a task id given twice is refused before anything runs', async () => {
  await assert.rejects(
    runPacked({ invoker: session.invoker, functionName: 'runs', fn, tasks: [...tasks(2), { id: 't0', payload: {} }], packingDegree: 1 }),
    /task id "t0" appears twice/,
  );
});
