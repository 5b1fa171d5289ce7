/** Issue 13: one result JSON cannot carry fails only its own task; a response over 6 MB sheds its largest results. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { packEvent, wrapHandler, type PackedResponse, type PackedTaskResult } from '../../../src/runtime';
import { badResultTask } from './fixtures/handlers';

const fixture = join(__dirname, 'fixtures', 'handlers.js');
const asyncH = wrapHandler(badResultTask);
const threadsH = wrapHandler(badResultTask, { mode: 'threads', module: { path: fixture, exportName: 'badResultTask' } });
after(() => threadsH.close());

const KINDS = ['plain', 'bigint', 'circular', 'function'];

for (const [mode, h] of [
  ['async', asyncH],
  ['threads', threadsH],
] as const) {
  test(`${mode}: a BigInt, a circular object and a function each fail only their own task; the response is JSON`, async () => {
    const out = (await h(
      packEvent(
        KINDS.map((kind, i) => ({ id: `t${i}`, payload: { kind } })),
        { poolSize: 4 },
      ),
    )) as PackedResponse;
    // What Lambda does with the response: it must serialize, or every task would be lost.
    const tasks = (JSON.parse(JSON.stringify(out)) as PackedResponse).__propack.tasks;
    assert.deepEqual(
      tasks.map((t) => t.status),
      ['ok', 'error', 'error', 'error'],
    );
    assert.deepEqual(tasks[0].result, { ok: 'plain' });
    const errs = tasks.slice(1).map((t) => t.error);
    assert.deepEqual(
      errs.map((e) => e?.type),
      Array(3).fill('Propack.ResultNotSerializable'),
    );
    assert.deepEqual(
      errs.map((e) => e?.message),
      [
        'task "t1" returned a BigInt, which JSON cannot carry',
        'task "t2" returned a circular structure, which JSON cannot carry',
        'task "t3" returned a function, which JSON cannot carry',
      ],
    );
    assert.ok(
      errs.every((e) => e?.retryable === false),
      'running it again cannot help',
    );
  });
}

test('an unpacked event whose result JSON cannot carry is a function error that says why', async () => {
  await assert.rejects(asyncH({ kind: 'function' }), {
    name: 'Propack.ResultNotSerializable',
    message: 'the handler returned a function, which JSON cannot carry',
  });
  await assert.rejects(asyncH({ kind: 'bigint' }), {
    name: 'Propack.ResultNotSerializable',
    message: 'the handler returned a BigInt, which JSON cannot carry',
  });
  assert.deepEqual(await asyncH({ kind: 'x' }), { ok: 'x' });
});

test('a packed response over the limit sheds its largest results: a result too large alone fails for good, one that only did not fit may run again', async () => {
  const limit = 10_000;
  const h = wrapHandler((e) => 'x'.repeat((e as { n: number }).n), { responseLimitBytes: limit });
  const sizes = [100, 4_000, 4_500, 20_000, 3_000];
  const out = (await h(packEvent(sizes.map((n, i) => ({ id: `t${i}`, payload: { n } }))))) as PackedResponse;
  const tasks: PackedTaskResult[] = out.__propack.tasks;
  assert.ok(Buffer.byteLength(JSON.stringify(out)) <= limit, `response is ${Buffer.byteLength(JSON.stringify(out))} bytes`);
  assert.deepEqual(
    tasks.map((t) => t.status),
    ['ok', 'ok', 'error', 'error', 'ok'],
  );
  assert.equal(tasks[3].error?.type, 'Propack.ResultTooLarge');
  assert.match(
    tasks[3].error?.message ?? '',
    /^task "t3" returned 20002 bytes of JSON, over Lambda's 10000-byte response limit on its own/,
  );
  assert.equal(tasks[3].error?.retryable, false);
  assert.match(
    tasks[2].error?.message ?? '',
    /^task "t2" returned 4502 bytes of JSON; with the batch's other results the response would be \d+ bytes/,
  );
  assert.equal(tasks[2].error?.retryable, undefined, 'fits alone: may run again in a smaller batch');
});
