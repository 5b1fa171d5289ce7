/**
 * Issue 19: a packed run dispatched through a Step Functions Distributed Map on the embedded platform,
 * through the real SFN, S3 and Lambda clients: every task accounted for as on the direct path, a failing
 * task retried in a later round and failed with its reason, cancel stops the execution, and a second client
 * collects an execution another one started (as a resume after kill -9 does) without starting a new one.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { LOCAL_ROLE } from '../../../src/engine/deploy';
import { MapDispatcher, type MapExecutionRef } from '../../../src/engine/map-dispatch';
import { runPacked, type TaskInput } from '../../../src/engine/packed-run';
import { ensureBucket, LOCAL_RUN_BUCKET } from '../../../src/engine/s3-keys';
import type { Session } from '../../../src/engine/session';
import { platformWithHandler } from '../../support/handler-platform';

const dir = mkdtempSync(join(tmpdir(), 'propack-map-'));
const HANDLER = `
exports.handler = async (event) => {
  if (event.fail) throw new Error('task ' + event.n + ' refuses');
  if (event.waitMs) await new Promise((r) => setTimeout(r, event.waitMs));
  return { doubled: event.n * 2 };
};`;
const fn = { memoryMb: 1769, architecture: 'x86_64' as const, region: 'us-east-1' };
let session: Session;
let close: () => Promise<void>;

before(async () => {
  ({ session, close } = await platformWithHandler(dir, HANDLER, ['mapped'], 1769));
  await ensureBucket(session.s3, LOCAL_RUN_BUCKET);
});

after(() => close());

const tasks = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})): TaskInput[] =>
  Array.from({ length: n }, (_, i) => ({ id: `t${i}`, payload: { n: i, ...extra(i) } }));

function dispatcher(runId: string, more: Partial<ConstructorParameters<typeof MapDispatcher>[0]> = {}): MapDispatcher {
  return new MapDispatcher({
    sfn: session.sfn,
    s3: session.s3,
    functionName: 'mapped',
    bucket: LOCAL_RUN_BUCKET,
    runId,
    roleArn: LOCAL_ROLE,
    concurrency: 40,
    accountConcurrency: 1000,
    pollMs: 20,
    ...more,
  });
}

test('40 tasks at p = 8 through the Map: one execution of 5 children, every result back in its task', async () => {
  const rounds = dispatcher('whole');
  const r = await runPacked({ invoker: session.invoker, rounds, functionName: 'mapped', fn, tasks: tasks(40), packingDegree: 8 });
  assert.deepEqual(
    r.outcomes.map((o) => o.status),
    Array<string>(40).fill('succeeded'),
  );
  assert.deepEqual(
    r.outcomes.map((o) => o.result),
    Array.from({ length: 40 }, (_, i) => ({ doubled: i * 2 })),
  );
  assert.equal(rounds.stats.executions.length, 1);
  assert.equal(rounds.stats.children, 5);
  assert.equal(r.invocations.length, 5, 'one invocation per child execution');
  assert.ok(
    r.invocations.every((i) => i.tasks === 8 && i.endS >= i.startS),
    'each child carried 8 tasks',
  );
  assert.ok(r.metrics.serviceTime > 0 && r.metrics.costUsd > 0);
  assert.ok(
    r.invocations.some((i) => i.cold && (i.initS ?? 0) > 0),
    'cold starts bill their init, read from the REPORT line of LogType Tail',
  );
  assert.ok(rounds.costUsd() > 0, 'Step Functions bills the dispatch');
});

test('a task that fails is retried in later rounds and fails with its reason; the others succeed once', async () => {
  const rounds = dispatcher('retry');
  const r = await runPacked({
    invoker: session.invoker,
    rounds,
    functionName: 'mapped',
    fn,
    tasks: tasks(10, (i) => (i === 3 ? { fail: true } : {})),
    packingDegree: 5,
    maxAttempts: 2,
  });
  const failed = r.outcomes.filter((o) => o.status === 'failed');
  assert.deepEqual(
    failed.map((o) => o.id),
    ['t3'],
  );
  assert.match(failed[0].reason ?? '', /task 3 refuses \(after 2 attempts\)/);
  assert.equal(rounds.stats.executions.length, 2, 'the retry ran in a second execution');
  assert.equal(r.outcomes.filter((o) => o.status === 'succeeded').length, 9);
});

test('cancel stops the execution and fails the unfinished tasks as cancelled', async () => {
  const controller = new AbortController();
  let started: MapExecutionRef | undefined;
  const rounds = dispatcher('cancel', {
    onExecution: (e) => {
      started = e;
      controller.abort();
    },
  });
  const r = await runPacked({
    invoker: session.invoker,
    rounds,
    functionName: 'mapped',
    fn,
    tasks: tasks(16, () => ({ waitMs: 2000 })),
    packingDegree: 4,
    signal: controller.signal,
  });
  assert.equal(r.cancelled, true);
  assert.ok(r.outcomes.every((o) => o.status === 'failed' && /cancelled/.test(o.reason ?? '')));
  assert.ok(started);
  const ex = await session.sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
  assert.equal(ex.status, 'ABORTED');
});

test('a second client collects the execution a first one started, and starts none of its own', async () => {
  let first: MapExecutionRef | undefined;
  const startedOnce = new Promise<void>((resolve) => {
    const d1 = dispatcher('adopt', {
      onExecution: (e) => {
        first = e;
        resolve();
      },
    });
    // The first client goes on following its execution, as a client about to be killed would.
    void runPacked({
      invoker: session.invoker,
      rounds: d1,
      functionName: 'mapped',
      fn,
      tasks: tasks(12, () => ({ waitMs: 300 })),
      packingDegree: 4,
    });
  });
  await startedOnce;
  assert.ok(first);
  const d2 = dispatcher('adopt', { adopt: [first] });
  const r = await runPacked({
    invoker: session.invoker,
    rounds: d2,
    functionName: 'mapped',
    fn,
    tasks: tasks(12, () => ({ waitMs: 300 })),
    packingDegree: 4,
  });
  assert.deepEqual(
    r.outcomes.map((o) => o.status),
    Array<string>(12).fill('succeeded'),
  );
  assert.equal(d2.stats.executions.length, 0, 'no new execution');
  assert.equal(d2.stats.children, 3);
});

test('a resumed run (same run id, rounds counted from 1 again) starts executions of its own names', async () => {
  for (let i = 0; i < 2; i++) {
    const rounds = dispatcher('resumed');
    const r = await runPacked({ invoker: session.invoker, rounds, functionName: 'mapped', fn, tasks: tasks(6), packingDegree: 3 });
    assert.deepEqual(
      r.outcomes.map((o) => o.status),
      Array<string>(6).fill('succeeded'),
      `run ${i + 1}`,
    );
    assert.equal(rounds.stats.executions.length, 1);
  }
});
