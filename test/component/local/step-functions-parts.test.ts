// The pure parts of the embedded Step Functions (issue 19): batching, result files, definition extras and
// a child's retry decisions, without a platform (here rather than in test/unit, which may not import src/local).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packedMapDefinition, type PackedMapSpec } from '../../../src/core/step-functions';
import type { InvokeOutcome } from '../../../src/local/invoker';
import { LambdaApiError } from '../../../src/local/lambda-error';
import { runChild, type ChildContext } from '../../../src/local/sfn-child';
import { planOf } from '../../../src/local/sfn-definition';
import { SfnApiError } from '../../../src/local/sfn-error';
import { batchItems } from '../../../src/local/sfn-items';
import { ENTRIES_PER_FILE, resultFolder, splitEntries, type ResultEntry } from '../../../src/local/sfn-result-writer';

const SPEC: PackedMapSpec = {
  functionName: 'f',
  items: { bucket: 'b', key: 'k' },
  results: { bucket: 'b', prefix: 'p' },
  packingDegree: 4,
  maxConcurrency: 2,
  batchInput: { x: 1 },
};

test('batches hold at most MaxItemsPerBatch items and MaxInputBytesPerBatch bytes of JSON, in order', () => {
  const items = Array.from({ length: 10 }, (_, i) => i);
  assert.deepEqual(batchItems(items, 4, 1000), [
    [0, 1, 2, 3],
    [4, 5, 6, 7],
    [8, 9],
  ]);
  // "[0,1,2]" is 7 bytes: a 7-byte cap takes three one-digit items.
  assert.deepEqual(batchItems(items, 100, 7), [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
  assert.deepEqual(batchItems([], 4, 10), []);
  const tooBig = batchItems(['a'.repeat(20)], 4, 10);
  assert.ok(!Array.isArray(tooBig) && tooBig.error === 'States.ItemReaderFailed');
});

test('result files split at ENTRIES_PER_FILE entries; folders never get a doubled slash', () => {
  const entry = { ExecutionArn: 'a', Input: '{}', Status: 'SUCCEEDED' } as ResultEntry;
  const files = splitEntries(Array.from({ length: ENTRIES_PER_FILE + 1 }, () => entry));
  assert.deepEqual(
    files.map((f) => (JSON.parse(f) as unknown[]).length),
    [ENTRIES_PER_FILE, 1],
  );
  assert.deepEqual([resultFolder('runs/', 'id'), resultFolder('', 'id'), resultFolder('a/b', 'id')], ['runs/id', 'id', 'a/b/id']);
});

test('a plan keeps the Map label, BatchInput presence and tolerated failures; other ASL is InvalidDefinition', () => {
  const plan = planOf(JSON.stringify(packedMapDefinition(SPEC)));
  assert.deepEqual(
    [plan.label, plan.batchInput, plan.toleratedFailurePercentage, plan.toleratedFailureCount],
    ['PackedMap', { x: 1 }, 100, undefined],
  );
  const def = packedMapDefinition(SPEC) as { States: { PackedMap: Record<string, unknown> } };
  delete (def.States.PackedMap.ItemBatcher as Record<string, unknown>).BatchInput;
  def.States.PackedMap.ResultSelector = { a: 1 };
  assert.throws(
    () => planOf(JSON.stringify(def)),
    (e: unknown) => e instanceof SfnApiError && e.type === 'InvalidDefinition' && /ResultSelector is not served/.test(e.message),
  );
  delete def.States.PackedMap.ResultSelector;
  assert.equal(planOf(JSON.stringify(def)).batchInput, undefined);
  def.States.PackedMap.ToleratedFailurePercentage = 101;
  assert.throws(() => planOf(JSON.stringify(def)), /ToleratedFailurePercentage must be a number from 0 to 100/);
});

/** A child context whose invocations answer `answers` in turn (a LambdaApiError is thrown). */
function context(answers: (Partial<InvokeOutcome> | LambdaApiError)[], retry: ChildContext['retry']) {
  const waits: number[] = [];
  let calls = 0;
  const ctx: ChildContext = {
    invoke: async () => {
      const a = answers[Math.min(calls++, answers.length - 1)];
      if (a instanceof LambdaApiError) throw a;
      return { requestId: 'r', ok: true, body: '{}', log: '', instanceId: 'i', cold: false, ...a };
    },
    functionRef: 'arn:aws:lambda:us-east-1:123456789012:function:f',
    retry,
    output: 'payload',
    wait: async (ms) => {
      waits.push(ms);
      return true;
    },
    stopped: () => false,
    random: () => 0.5,
    timeScale: 1,
  };
  return { ctx, waits, calls: () => calls };
}

const throttle = new LambdaApiError(429, 'TooManyRequestsException', 'Rate Exceeded.');
const RULE = { errorEquals: ['Lambda.TooManyRequestsException'], intervalS: 1, maxAttempts: 2, backoffRate: 2, jitter: 'NONE' as const };

test('a child retries what a rule names, as often as it allows, with its delays; then fails with the error', async () => {
  const ok = context([throttle, throttle, { body: '{"n":1}' }], [RULE]);
  assert.deepEqual(await runChild(ok.ctx, '{}'), { status: 'SUCCEEDED', output: '{"n":1}', attempts: 3 });
  assert.deepEqual(ok.waits, [1000, 2000]);
  const out = context([throttle], [RULE]);
  const r = await runChild(out.ctx, '{}');
  assert.deepEqual([r.status, r.status === 'FAILED' && r.error, r.attempts], ['FAILED', 'Lambda.TooManyRequestsException', 3]);
  const service = context([new LambdaApiError(503, 'ServiceException', 'stopping')], []);
  const s = await runChild(service.ctx, '{}');
  assert.equal(s.status === 'FAILED' && s.error, 'Lambda.ServiceException');
});

test('a function error is retried only when a rule names it; its Error is the errorType or Lambda.Unknown', async () => {
  const body = JSON.stringify({ errorType: 'BadItem', errorMessage: 'no' });
  const unnamed = context([{ ok: false, body }], [RULE]);
  const u = await runChild(unnamed.ctx, '{}');
  assert.deepEqual(
    [u.status, u.status === 'FAILED' && u.error, u.status === 'FAILED' && u.cause, unnamed.calls()],
    ['FAILED', 'BadItem', body, 1],
  );
  const named = context([{ ok: false, body }, { body: '1' }], [{ ...RULE, errorEquals: ['BadItem'] }]);
  assert.equal((await runChild(named.ctx, '{}')).status, 'SUCCEEDED');
  const all = context([{ ok: false, body: 'not json' }, { body: '1' }], [{ ...RULE, errorEquals: ['States.ALL'] }]);
  assert.equal((await runChild(all.ctx, '{}')).status, 'SUCCEEDED');
  const unknown = await runChild(context([{ ok: false, body: 'not json' }], []).ctx, '{}');
  assert.equal(unknown.status === 'FAILED' && unknown.error, 'Lambda.Unknown');
});

test('an output over 256 KiB is States.DataLimitExceeded, which not even States.ALL retries', async () => {
  const big = context([{ body: JSON.stringify('x'.repeat(262_144)) }], [{ ...RULE, errorEquals: ['States.ALL'] }]);
  const r = await runChild(big.ctx, '{}');
  assert.deepEqual([r.status, r.status === 'FAILED' && r.error, big.calls()], ['FAILED', 'States.DataLimitExceeded', 1]);
});
