import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isPackedEvent,
  isPackedResponse,
  packBatchInput,
  packEvent,
  parsePackedRequest,
  wrapHandler,
  type LambdaContext,
  type PackedResponse,
  type PackedTaskResult,
} from '../../../src/runtime';

const ctx = (remainingMs: number): LambdaContext => {
  const deadline = Date.now() + remainingMs;
  return { awsRequestId: 'req-1', getRemainingTimeInMillis: () => deadline - Date.now() };
};
const tasksOf = (r: unknown): PackedTaskResult[] => {
  assert.ok(isPackedResponse(r), 'packed response');
  return (r as PackedResponse).__propack.tasks;
};
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('an unpacked event passes straight through, unchanged, with its context', async () => {
  const event = { hello: 'world', tasks: [1, 2] };
  const context = ctx(10_000);
  let seen: unknown[] = [];
  const h = wrapHandler((e, c) => {
    seen = [e, c];
    return Promise.resolve({ echoed: e });
  });
  const out = await h(event, context);
  assert.deepEqual(out, { echoed: event });
  assert.equal(seen[0], event);
  assert.equal(seen[1], context);
  assert.equal(isPackedResponse(out), false);
});

test('packed async tasks run concurrently and come back in request order', async () => {
  let inflight = 0;
  let maxInflight = 0;
  const h = wrapHandler(async (e) => {
    inflight++;
    maxInflight = Math.max(maxInflight, inflight);
    await delay(20);
    inflight--;
    return { doubled: (e as { n: number }).n * 2 };
  });
  const ids = ['a', 'b', 'c', 'd', 'e'];
  const out = await h(packEvent(ids.map((id, n) => ({ id, payload: { n } }))), ctx(10_000));
  const tasks = tasksOf(out);
  assert.equal(maxInflight, 5, 'all five tasks were in flight at once');
  assert.deepEqual(
    tasks.map((t) => t.id),
    ids,
  );
  assert.deepEqual(
    tasks.map((t) => t.result),
    [0, 2, 4, 6, 8].map((d) => ({ doubled: d })),
  );
  for (const t of tasks) {
    assert.equal(t.status, 'ok');
    assert.ok(t.endedAt >= t.startedAt && t.endedAt - t.startedAt >= 0.015, 'task times are epoch seconds');
  }
  const body = (out as PackedResponse).__propack;
  assert.ok(Math.abs(body.startedAt - Date.now() / 1000) < 5, 'instance times are epoch seconds');
  assert.ok(body.instance.vcpus >= 1 && body.instance.memoryMb > 0 && body.instance.id.length > 0);
});

test('poolSize bounds async concurrency', async () => {
  let inflight = 0;
  let maxInflight = 0;
  const h = wrapHandler(async () => {
    inflight++;
    maxInflight = Math.max(maxInflight, inflight);
    await delay(5);
    inflight--;
  });
  const out = await h(
    packEvent(
      [1, 2, 3, 4, 5, 6].map((n) => ({ id: `t${n}`, payload: n })),
      { poolSize: 2 },
    ),
    ctx(10_000),
  );
  assert.equal(maxInflight, 2);
  assert.ok(tasksOf(out).every((t) => t.status === 'ok' && !('result' in t)));
});

test('a failing task never loses the others (async, sync throw and rejection)', async () => {
  const h = wrapHandler((e) => {
    const n = (e as { n: number }).n;
    if (n === 1) throw new TypeError('bad input 1');
    if (n === 2) return Promise.reject(new Error('bad input 2'));
    if (n === 3) return Promise.reject('a string');
    return Promise.resolve(n);
  });
  const tasks = tasksOf(await h(packEvent([0, 1, 2, 3, 4].map((n) => ({ id: `t${n}`, payload: { n } }))), ctx(10_000)));
  assert.deepEqual(
    tasks.map((t) => t.status),
    ['ok', 'error', 'error', 'error', 'ok'],
  );
  assert.deepEqual(tasks[1].error, { type: 'TypeError', message: 'bad input 1' });
  assert.deepEqual(tasks[2].error, { type: 'Error', message: 'bad input 2' });
  assert.deepEqual(tasks[3].error, { type: 'Error', message: 'a string' });
  assert.equal(tasks[4].result, 4);
});

test('tasks that cannot start before the deadline come back not-run', async () => {
  const h = wrapHandler(
    async () => {
      await delay(60);
      return 'done';
    },
    { startMarginMs: 1000 },
  );
  // 1,150 ms left, 1,000 ms margin, one at a time: the first tasks start, the rest cannot.
  const tasks = tasksOf(
    await h(
      packEvent(
        Array.from({ length: 8 }, (_, i) => ({ id: `t${i}`, payload: i })),
        { poolSize: 1 },
      ),
      ctx(1150),
    ),
  );
  const statuses = tasks.map((t) => t.status);
  const firstNotRun = statuses.indexOf('not-run');
  assert.ok(firstNotRun >= 1, `some tasks ran: ${statuses.join()}`);
  assert.ok(statuses.slice(0, firstNotRun).every((s) => s === 'ok'));
  assert.ok(
    statuses.slice(firstNotRun).every((s) => s === 'not-run'),
    statuses.join(),
  );
  for (const t of tasks.slice(firstNotRun)) assert.equal(t.result, undefined);
});

test('with the deadline already inside the margin nothing runs', async () => {
  let calls = 0;
  const h = wrapHandler(() => {
    calls++;
    return Promise.resolve();
  });
  const tasks = tasksOf(
    await h(
      packEvent([
        { id: 'a', payload: 1 },
        { id: 'b', payload: 2 },
      ]),
      ctx(500),
    ),
  );
  assert.equal(calls, 0);
  assert.deepEqual(
    tasks.map((t) => t.status),
    ['not-run', 'not-run'],
  );
});

test('a task still running at the return margin is reported, not lost with the instance', async () => {
  const h = wrapHandler((e) => (e === 'hang' ? new Promise(() => undefined) : Promise.resolve('quick')), {
    startMarginMs: 100,
    returnMarginMs: 200,
  });
  const started = Date.now();
  const tasks = tasksOf(
    await h(
      packEvent([
        { id: 'q', payload: 'quick' },
        { id: 'h', payload: 'hang' },
      ]),
      ctx(400),
    ),
  );
  // Without the return margin the hanging task would keep the invocation open forever.
  assert.ok(Date.now() - started < 2000, 'returned instead of waiting for the hanging task');
  assert.equal(tasks[0].status, 'ok');
  assert.equal(tasks[1].status, 'error');
  assert.equal(tasks[1].error?.type, 'DeadlineExceeded');
});

test('a malformed packed request fails the invocation with a reason', async () => {
  const h = wrapHandler(() => Promise.resolve());
  await assert.rejects(h({ __propack: { v: 1, tasks: 'nope' } }), /tasks must be an array/);
  await assert.rejects(h({ __propack: { v: 2, tasks: [] } }), /v must be 1/);
  await assert.rejects(h({ __propack: { v: 1, tasks: [{ payload: 1 }] } }), /tasks\[0\]\.id/);
  await assert.rejects(h(packEvent([], { mode: 'threads' })), /threads mode needs/);
});

test("a Step Functions Map batch with ProPack's BatchInput runs as the packed event of its Items", async () => {
  const seen: unknown[] = [];
  const h = wrapHandler((e) => {
    seen.push(e);
    return Promise.resolve({ doubled: (e as { n: number }).n * 2 });
  });
  const items = [3, 1, 2].map((n) => ({ id: `t${n}`, payload: { n } }));
  const batch = await h({ Items: items, BatchInput: packBatchInput({ poolSize: 1 }) }, ctx(10_000));
  const tasks = tasksOf(batch);
  assert.deepEqual(
    tasks.map((t) => [t.id, t.status, t.result]),
    items.map((t) => [t.id, 'ok', { doubled: t.payload.n * 2 }]),
  );
  assert.deepEqual(seen, [{ n: 3 }, { n: 1 }, { n: 2 }], 'poolSize 1 from BatchInput: one at a time, in order');
  assert.deepEqual(Object.keys(batch as object), ['__propack'], 'the normal packed response, nothing else');
  // The same tasks as a packed event answer the same, task for task.
  const direct = tasksOf(await h(packEvent(items, { poolSize: 1 }), ctx(10_000)));
  assert.deepEqual(
    direct.map((t) => [t.id, t.status, t.result]),
    tasks.map((t) => [t.id, t.status, t.result]),
  );
});

test("an Items event without ProPack's BatchInput is the user's own and goes to the handler", async () => {
  const events = [{ Items: [{ id: 'a', payload: 1 }] }, { Items: [{ id: 'a' }], BatchInput: { other: 1 } }, { Items: 'x', BatchInput: 5 }];
  const h = wrapHandler((e) => Promise.resolve({ echoed: e }));
  for (const e of events) {
    const out = await h(e, ctx(10_000));
    assert.deepEqual(out, { echoed: e });
    assert.equal(isPackedEvent(e), false);
  }
  assert.equal(isPackedEvent({ Items: [], BatchInput: packBatchInput() }), true);
});

test('a malformed Map batch fails the invocation with the field named as the batch spells it', async () => {
  const h = wrapHandler(() => Promise.resolve());
  const cases: [unknown, RegExp][] = [
    [{ Items: 'nope', BatchInput: packBatchInput() }, /^TypeError: Items must be an array$/],
    [{ BatchInput: packBatchInput() }, /^TypeError: Items must be an array$/],
    [
      { Items: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 4 }], BatchInput: packBatchInput() },
      /^TypeError: Items\[3\]\.id must be a string$/,
    ],
    [{ Items: [], BatchInput: { __propack: { v: 2 } } }, /^TypeError: BatchInput\.__propack\.v must be 1, got 2$/],
    [{ Items: [], BatchInput: { __propack: 'v1' } }, /^TypeError: BatchInput\.__propack must be an object$/],
    [
      { Items: [], BatchInput: { __propack: { v: 1, mode: 'fibers' } } },
      /^TypeError: BatchInput\.__propack\.mode must be "async" or "threads"$/,
    ],
    [{ Items: [], BatchInput: packBatchInput({ poolSize: 0 }) }, /^TypeError: BatchInput\.__propack\.poolSize must be a positive integer$/],
    [{ Items: [], BatchInput: { __propack: { v: 1, tasks: [] } } }, /BatchInput\.__propack\.tasks must not be set/],
    [
      { Items: [], BatchInput: { __propack: { v: 1, resultSink: { bucket: 'b', key: 'k' } } } },
      /BatchInput\.__propack\.resultSink must not be set/,
    ],
  ];
  for (const [event, message] of cases) {
    await assert.rejects(h(event), (err: unknown) => {
      assert.ok(err instanceof TypeError, String(err));
      assert.match(String(err), message);
      return true;
    });
  }
});

test('packBatchInput builds the marker and options a Map hands to every batch', () => {
  assert.deepEqual(packBatchInput(), { __propack: { v: 1 } });
  assert.deepEqual(packBatchInput({ mode: 'threads', poolSize: 4 }), { __propack: { v: 1, mode: 'threads', poolSize: 4 } });
  assert.deepEqual(parsePackedRequest({ Items: [{ id: 'x', payload: null }], BatchInput: packBatchInput({ mode: 'threads' }) }), {
    v: 1,
    mode: 'threads',
    tasks: [{ id: 'x', payload: null }],
  });
});
