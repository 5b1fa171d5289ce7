import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { packEvent, wrapHandler, type PackedResponse, type PackedTaskResult } from '../../../src/runtime';
import { cpuTask } from './fixtures/handlers';

const fixture = join(__dirname, 'fixtures', 'handlers.js');
const handlers = [
  wrapHandler(cpuTask as never, { mode: 'threads', module: { path: fixture, exportName: 'cpuTask' } }),
  wrapHandler(cpuTask as never, { mode: 'threads', module: { path: fixture, exportName: 'contextTask' } }),
  wrapHandler(cpuTask as never, { mode: 'threads', module: { path: fixture, exportName: 'notAFunction' } }),
  wrapHandler(cpuTask as never, {
    mode: 'threads',
    module: { path: join(__dirname, 'fixtures', 'exits-on-load.js'), exportName: 'handler' },
  }),
];
const [cpu, context, broken, exiting] = handlers;
after(() => Promise.all(handlers.map((h) => h.close())));

const run = async (h: typeof cpu, payloads: unknown[], poolSize: number, remainingMs = 60_000): Promise<PackedTaskResult[]> => {
  const deadline = Date.now() + remainingMs;
  const out = (await h(
    packEvent(
      payloads.map((payload, i) => ({ id: `t${i}`, payload })),
      { poolSize },
    ),
    {
      awsRequestId: 'r-42',
      getRemainingTimeInMillis: () => deadline - Date.now(),
    },
  )) as PackedResponse;
  return out.__propack.tasks;
};
const span = (ts: PackedTaskResult[]): number => Math.max(...ts.map((t) => t.endedAt)) - Math.min(...ts.map((t) => t.startedAt));
const WORK = { iterations: 3e7 };

test('threads mode runs tasks on worker threads, never the main thread', async () => {
  const tasks = await run(cpu, [WORK, WORK, WORK, WORK], 2);
  assert.ok(
    tasks.every((t) => t.status === 'ok'),
    JSON.stringify(tasks),
  );
  const threads = new Set(tasks.map((t) => (t.result as { threadId: number }).threadId));
  assert.ok(!threads.has(0), 'not the main thread');
  assert.ok(threads.size <= 2, 'at most poolSize workers');
  assert.deepEqual(
    tasks.map((t) => (t.result as { checksum: number }).checksum),
    Array(4).fill(cpuTask(WORK).checksum),
  );
});

test('packing contention is real: one worker serializes the tasks, so the instance takes p times longer', async () => {
  await run(cpu, [WORK], 1); // warm-up: a new one-worker pool, its module load and JIT
  const singles = [await run(cpu, [WORK], 1), await run(cpu, [WORK], 1)];
  const packed = await run(cpu, [WORK, WORK, WORK, WORK], 1);
  const one = Math.min(...singles.map(([t]) => t.endedAt - t.startedAt));
  for (let i = 1; i < packed.length; i++) assert.ok(packed[i].startedAt >= packed[i - 1].endedAt - 0.002, 'no two tasks overlap');
  assert.ok(span(packed) >= 2.5 * one, `4 packed tasks took ${span(packed)} s vs ${one} s for one`);
});

test('two workers run tasks in parallel', async () => {
  const tasks = await run(cpu, [WORK, WORK], 2);
  assert.ok(tasks[1].startedAt < tasks[0].endedAt && tasks[0].startedAt < tasks[1].endedAt, 'the two tasks overlap in time');
});

test('a failing or crashing task in a worker never loses the others, and the pool recovers', async () => {
  const tasks = await run(cpu, [WORK, { ...WORK, fail: true }, { ...WORK, exitThread: true }, WORK], 2);
  assert.deepEqual(
    tasks.map((t) => t.status),
    ['ok', 'error', 'error', 'ok'],
  );
  assert.deepEqual(tasks[1].error, { type: 'RangeError', message: 'task asked to fail' });
  assert.match(tasks[2].error?.message ?? '', /exited with code 3/);
  const again = await run(cpu, [WORK, WORK], 2);
  assert.ok(again.every((t) => t.status === 'ok'));
});

test('the worker rebuilds the context with a working deadline', async () => {
  const [t] = await run(context, [{}], 1, 30_000);
  const r = t.result as { remaining: number; requestId: string };
  assert.equal(r.requestId, 'r-42');
  assert.ok(r.remaining > 25_000 && r.remaining <= 30_000, String(r.remaining));
});

test('a bad handler export is a task error, not a crash', async () => {
  const tasks = await run(broken, [{}, {}], 1);
  assert.deepEqual(
    tasks.map((t) => t.status),
    ['error', 'error'],
  );
  assert.match(tasks[0].error?.message ?? '', /notAFunction.*is not a function/);
});

test('a module that kills its worker while loading fails each task once, without a respawn loop', async () => {
  const tasks = await run(exiting, [{}, {}, {}], 2);
  assert.deepEqual(
    tasks.map((t) => t.status),
    ['error', 'error', 'error'],
  );
  assert.ok(
    tasks.every((t) => /exited with code 5/.test(t.error?.message ?? '')),
    JSON.stringify(tasks),
  );
});
