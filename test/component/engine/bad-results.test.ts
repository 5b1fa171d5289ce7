/**
 * Issue 13 against the real local platform: one bad result, one crashing task or one oversized payload
 * or result fails only its own task; every other task of its batch succeeds.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { runPacked, type TaskInput } from '../../../src/engine/packed-run';
import type { Session } from '../../../src/engine/session';
import { AsyncS3Invoker } from '../../../src/platform/async-invoker';
import type { InvokeOutcome, PackedInvoker } from '../../../src/platform/packed-invoker';
import { PACKED_MARKER, type PackedEvent } from '../../../src/runtime/protocol';
import { platformWithHandler } from '../../support/handler-platform';

const dir = mkdtempSync(join(tmpdir(), 'propack-bad-'));
const HANDLER = `
exports.handler = async (event) => {
  if (event.kind === 'bigint') return { n: 10n };
  if (event.kind === 'circular') { const o = { a: 1 }; o.self = o; return o; }
  if (event.kind === 'function') return () => 1;
  if (event.kind === 'exit') process.exit(7);
  if (event.kind === 'result-bytes') return 'r'.repeat(event.bytes);
  if (event.pad) return { padLength: event.pad.length };
  return { doubled: event.n * 2 };
};`;
const fn = { memoryMb: 1024, architecture: 'x86_64' as const, region: 'us-east-1' };
const MB = 1024 * 1024;
let session: Session;

let close: () => Promise<void>;

before(async () => {
  ({ session, close } = await platformWithHandler(dir, HANDLER, ['bad'], 1024, true));
});

after(() => close());

const tasks = (kinds: (Record<string, unknown> | undefined)[]): TaskInput[] =>
  kinds.map((k, i) => ({ id: `t${i}`, payload: { n: i, ...k } }));

test('a BigInt and a circular result among four packed tasks fail only their own tasks, with the reason, without retries', async () => {
  const r = await runPacked({
    invoker: session.invoker,
    functionName: 'bad',
    fn,
    tasks: tasks([{}, { kind: 'bigint' }, {}, { kind: 'circular' }]),
    packingDegree: 4,
  });
  assert.deepEqual(
    r.outcomes.map((o) => o.status),
    ['succeeded', 'failed', 'succeeded', 'failed'],
  );
  assert.deepEqual(
    r.outcomes.map((o) => o.result),
    [{ doubled: 0 }, undefined, { doubled: 4 }, undefined],
  );
  assert.equal(r.outcomes[1].reason, 'Propack.ResultNotSerializable: task "t1" returned a BigInt, which JSON cannot carry');
  assert.equal(r.outcomes[3].reason, 'Propack.ResultNotSerializable: task "t3" returned a circular structure, which JSON cannot carry');
  assert.deepEqual(
    r.outcomes.map((o) => o.attempts),
    [1, 1, 1, 1],
  );
  assert.equal(r.metrics.invocations, 1);
});

test('a raw (unpacked) invoke of a handler returning a function is a Lambda function error, not an HTTP 500', async () => {
  const res = await session.lambda.send(
    new InvokeCommand({ FunctionName: 'bad', Payload: new TextEncoder().encode(JSON.stringify({ kind: 'function' })) }),
  );
  assert.equal(res.StatusCode, 200);
  assert.equal(res.FunctionError, 'Unhandled');
  const body = JSON.parse(new TextDecoder().decode(res.Payload)) as { errorType: string; errorMessage: string };
  assert.equal(body.errorType, 'Propack.ResultNotSerializable');
  assert.equal(body.errorMessage, 'the handler returned a function, which JSON cannot carry');
});

test('a task calling process.exit(7) fails alone after the usual attempts; the rest of its batch is retried one per invocation and succeeds', async () => {
  const r = await runPacked({
    invoker: session.invoker,
    functionName: 'bad',
    fn,
    tasks: tasks([{}, {}, { kind: 'exit' }, {}]),
    packingDegree: 4,
    maxAttempts: 3,
  });
  assert.deepEqual(
    r.outcomes.map((o) => o.status),
    ['succeeded', 'succeeded', 'failed', 'succeeded'],
  );
  assert.match(r.outcomes[2].reason ?? '', /^Runtime\.ExitError: .*exit.* \(after 3 dispatches\)$/);
  assert.deepEqual(
    r.outcomes.map((o) => o.attempts),
    [2, 2, 3, 2],
  );
  // The crashed batch of 4, then each task alone: 3 succeed, the culprit crashes twice more.
  assert.deepEqual(r.invocations.map((i) => i.tasks).sort(), [1, 1, 1, 1, 1, 4]);
  assert.equal(r.failures.crashes, 3);
  assert.equal(r.duplicates, 0);
});

test('two 4 MB payloads at p=2 are split into two invocations and both succeed; a 7 MB payload fails at once with the reason', async () => {
  const pad = (mb: number): string => 'p'.repeat(mb * MB);
  const r = await runPacked({
    invoker: session.invoker,
    functionName: 'bad',
    fn,
    tasks: tasks([{ pad: pad(4) }, { pad: pad(4) }, { pad: pad(7) }]),
    packingDegree: 2,
  });
  assert.deepEqual(
    r.outcomes.map((o) => o.status),
    ['succeeded', 'succeeded', 'failed'],
  );
  assert.deepEqual(
    r.outcomes.slice(0, 2).map((o) => o.result),
    [{ padLength: 4 * MB }, { padLength: 4 * MB }],
  );
  assert.match(
    r.outcomes[2].reason ?? '',
    /^its packed event would be \d+ bytes, over the 6291456-byte payload limit of a synchronous invocation/,
  );
  assert.equal(r.outcomes[2].attempts, 0, 'never sent');
  assert.deepEqual(
    r.invocations.map((i) => i.tasks),
    [1, 1],
  );
});

test('results that together pass the 6 MB response limit: the runtime sheds one, the engine runs it again, both succeed', async () => {
  const r = await runPacked({
    invoker: session.invoker,
    functionName: 'bad',
    fn,
    tasks: tasks([
      { kind: 'result-bytes', bytes: 4 * MB },
      { kind: 'result-bytes', bytes: 4 * MB },
    ]),
    packingDegree: 2,
  });
  assert.deepEqual(
    r.outcomes.map((o) => o.status),
    ['succeeded', 'succeeded'],
  );
  assert.deepEqual(
    r.outcomes.map((o) => (o.result as string).length),
    [4 * MB, 4 * MB],
  );
  assert.deepEqual(r.outcomes.map((o) => o.attempts).sort(), [1, 2]);
});

test('a result over 6 MB on its own fails its task with the reason, without retries; its batch mate succeeds', async () => {
  const r = await runPacked({
    invoker: session.invoker,
    functionName: 'bad',
    fn,
    tasks: tasks([{}, { kind: 'result-bytes', bytes: 7 * MB }]),
    packingDegree: 2,
  });
  assert.deepEqual(
    r.outcomes.map((o) => o.status),
    ['succeeded', 'failed'],
  );
  assert.match(
    r.outcomes[1].reason ?? '',
    /^Propack\.ResultTooLarge: task "t1" returned 7340034 bytes of JSON, over Lambda's 6291456-byte response limit on its own/,
  );
  assert.equal(r.outcomes[1].attempts, 1);
});

test('async (Event, 1 MB with the result sink): two 600 KB payloads at p=2 go as two invocations and both succeed; 1.1 MB fails unsent', async () => {
  await session.s3.send(new CreateBucketCommand({ Bucket: 'bad-results' }));
  const invoker = new AsyncS3Invoker(session.lambda, session.s3, { bucket: 'bad-results', prefix: 'r/', resultTimeoutS: 5, pollMs: 20 });
  try {
    const kb = (n: number): string => 'q'.repeat(n * 1024);
    const r = await runPacked({
      invoker,
      functionName: 'bad',
      fn,
      tasks: tasks([{ pad: kb(600) }, { pad: kb(600) }, { pad: kb(1100) }]),
      packingDegree: 2,
    });
    assert.deepEqual(
      r.outcomes.map((o) => o.status),
      ['succeeded', 'succeeded', 'failed'],
      JSON.stringify(r.outcomes.map((o) => o.reason)),
    );
    assert.match(r.outcomes[2].reason ?? '', /over the 1048576-byte payload limit of an asynchronous \(Event\) invocation/);
    assert.deepEqual(
      r.invocations.map((i) => i.tasks),
      [1, 1],
    );
  } finally {
    invoker.close();
  }
});

/** Records the bytes of every event it is asked to send and answers each task ok. */
class SizingInvoker implements PackedInvoker {
  readonly sent: number[] = [];
  constructor(readonly payloadLimit: { maxBytes: number; extraBytes: number; label: string }) {}
  invoke(_fn: string, event: PackedEvent): Promise<InvokeOutcome> {
    this.sent.push(Buffer.byteLength(JSON.stringify(event)) + this.payloadLimit.extraBytes);
    const t = Date.now() / 1000;
    const tasks = event[PACKED_MARKER].tasks.map((k) => ({ id: k.id, status: 'ok' as const, startedAt: t, endedAt: t }));
    return Promise.resolve({
      kind: 'ok',
      body: { v: 1, instance: { id: 'i', cold: false, vcpus: 1, memoryMb: 128 }, startedAt: t, endedAt: t, tasks },
      sentAt: t,
      receivedAt: t,
    });
  }
}

test('the split is exact: a batch whose packed event (envelope included) is exactly the limit goes as one, a byte more splits it', async () => {
  const three = tasks([{ pad: 'a'.repeat(1000) }, { pad: 'b'.repeat(1000) }, { pad: 'c'.repeat(1000) }]);
  const exact = (n: number): number => Buffer.byteLength(JSON.stringify({ [PACKED_MARKER]: { v: 1, tasks: three.slice(0, n) } })) + 100;
  for (const [maxBytes, want] of [
    [exact(3), [3]],
    [exact(3) - 1, [2, 1]],
    [exact(2) - 1, [1, 1, 1]],
  ] as const) {
    const invoker = new SizingInvoker({ maxBytes, extraBytes: 100, label: 'a test invocation' });
    const r = await runPacked({ invoker, functionName: 'x', fn, tasks: three, packingDegree: 3 });
    assert.equal(r.metrics.tasks.succeeded, 3);
    assert.deepEqual(
      r.invocations.map((i) => i.tasks),
      want,
      `limit ${maxBytes}`,
    );
    assert.ok(
      invoker.sent.every((b) => b <= maxBytes),
      `sent ${invoker.sent.join(', ')} within ${maxBytes}`,
    );
    if (want.length === 1) assert.equal(invoker.sent[0], maxBytes, 'the estimate is the real size');
  }
});
