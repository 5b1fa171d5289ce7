/**
 * The engine's guarantees against the real local platform with seeded faults injected: every task ends
 * succeeded or failed-with-reason, a retried task is credited once, late answers of timed-out instances
 * are never credited twice, throttles, retries and failures are counted per run, and faults reproduce.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { buildBundle, type FunctionBundle } from '../../../src/engine/bundle';
import { deployFunction, LOCAL_ROLE } from '../../../src/engine/deploy';
import { runPacked, type PackedRunResult, type TaskInput } from '../../../src/engine/packed-run';
import { openSession } from '../../../src/engine/session';
import { startLocalPlatform, type LocalPlatformOptions } from '../../../src/local';
import { AsyncS3Invoker } from '../../../src/platform/async-invoker';
import { createS3Client } from '../../../src/platform';
import { targetOf } from '../local/helpers';

const dir = mkdtempSync(join(tmpdir(), 'propack-faults-'));
// Every execution appends its task id: a task that ran twice (a retry after a crash or timeout) shows twice.
const HANDLER = `
const fs = require('node:fs');
exports.handler = async (event) => {
  fs.appendFileSync(event.log, event.id + '\\n');
  await new Promise((r) => setTimeout(r, event.sleepMs));
  return { id: event.id };
};`;
const fn = { memoryMb: 512, architecture: 'x86_64' as const, region: 'us-east-1' };
let bundle: FunctionBundle;

before(async () => {
  writeFileSync(join(dir, 'handler.js'), HANDLER);
  bundle = await buildBundle({ kind: 'file', file: join(dir, 'handler.js') });
});

function tasks(n: number, log: string, sleepMs = 60): TaskInput[] {
  return Array.from({ length: n }, (_, i) => ({ id: `t${i}`, payload: { id: `t${i}`, log, sleepMs } }));
}

/** Starts a faulty platform, deploys the handler, runs `body`, stops everything. */
async function withFaultyPlatform<T>(
  opts: LocalPlatformOptions,
  body: (s: ReturnType<typeof openSession>, faultCounts: () => Record<string, number>) => Promise<T>,
): Promise<T> {
  const platform = await startLocalPlatform({ preset: 'instant', eventRetryDelaysMs: [20, 40], ...opts });
  const session = openSession(targetOf(platform));
  try {
    await deployFunction(session.lambda, bundle, {
      name: 'faulty',
      memoryMb: 512,
      architecture: 'x86_64',
      timeoutS: 30,
      role: LOCAL_ROLE,
      environment: { AWS_ENDPOINT_URL_S3: platform.s3Endpoint },
    });
    return await body(session, () => platform.faultCounts());
  } finally {
    session.close();
    await platform.stop();
  }
}

/** Every task final exactly once, succeeded with its own result or failed with a reason. */
function assertAccounted(r: PackedRunResult, n: number): void {
  assert.equal(r.outcomes.length, n);
  assert.equal(new Set(r.outcomes.map((o) => o.id)).size, n, 'each task has one outcome');
  for (const o of r.outcomes) {
    if (o.status === 'succeeded') assert.deepEqual(o.result, { id: o.id }, 'a result is credited to its own task');
    else assert.ok(o.reason && o.reason.length > 0, `failed task ${o.id} has a reason`);
  }
  assert.equal(r.metrics.tasks.succeeded + r.metrics.tasks.failed, n, 'a retried task is counted once');
  assert.equal(
    r.metrics.retries,
    r.outcomes.reduce((a, o) => a + o.attempts - 1, 0),
  );
}

test('sync, every fault on: all 60 tasks end final once; crashes, timeouts, errors, throttles are counted', async () => {
  const log = join(dir, 'sync.log');
  await withFaultyPlatform(
    { faults: { crash: 0.15, error: 0.15, timeout: 0.15, throttle: 0.3, slowCold: 0.2 }, seed: 11 },
    async (session, counts) => {
      const r = await runPacked({
        invoker: session.invoker,
        functionName: 'faulty',
        fn,
        tasks: tasks(60, log),
        packingDegree: 2,
        maxAttempts: 15,
        backoff: { baseMs: 5, capMs: 50 },
      });
      assertAccounted(r, 60);
      const c = counts();
      assert.ok(c.crash > 0 && c.error > 0 && c.timeout > 0 && c.throttle > 0, `every fault kind was injected: ${JSON.stringify(c)}`);
      assert.equal(r.metrics.throttles, c.throttle, 'every injected 429 reached the engine and was counted');
      assert.equal(r.failures.functionErrors, c.error);
      assert.equal(r.failures.timeouts, c.timeout);
      assert.ok(r.failures.crashes >= c.crash, 'a crash also fails the other invocations its process hosted');
      assert.ok(r.metrics.retries > 0);
      assert.equal(r.metrics.tasks.succeeded, 60, 'fifteen attempts absorb these rates');
    },
  );
});

test('a late answer from a timed-out instance is never credited twice (the task ran twice, counted once)', async () => {
  const log = join(dir, 'late.log');
  await withFaultyPlatform({ faults: { timeout: 0.4 }, seed: 5 }, async (session) => {
    const r = await runPacked({
      invoker: session.invoker,
      functionName: 'faulty',
      fn,
      tasks: tasks(30, log, 80),
      packingDegree: 2,
      maxAttempts: 10,
    });
    assertAccounted(r, 30);
    assert.equal(r.metrics.tasks.succeeded, 30);
    // The timed-out handlers kept running: wait for their (dropped) executions to land in the log.
    const ran = readFileSync(log, 'utf8').trim().split('\n');
    assert.ok(ran.length > 30, `some tasks executed more than once (${ran.length} executions)`);
    assert.ok(r.failures.timeouts > 0);
  });
});

test('async dispatch with timeouts, crashes and S3 5xx: results land once, none is lost or doubled', async () => {
  const log = join(dir, 'async.log');
  await withFaultyPlatform({ faults: { timeout: 0.2, crash: 0.1, s3Error: 0.1 }, seed: 3 }, async (session, counts) => {
    await session.s3.send(new CreateBucketCommand({ Bucket: 'results' }));
    const invoker = new AsyncS3Invoker(session.lambda, session.s3, { bucket: 'results', prefix: 'r/', resultTimeoutS: 10, pollMs: 30 });
    try {
      const r = await runPacked({ invoker, functionName: 'faulty', fn, tasks: tasks(24, log), packingDegree: 3, maxAttempts: 6 });
      assertAccounted(r, 24);
      assert.equal(r.metrics.tasks.succeeded, 24);
      assert.ok(counts().s3Error > 0, 'S3 errors were injected');
    } finally {
      invoker.close();
    }
  });
});

test('the same seed reproduces the same faults and outcomes (one invocation at a time)', async () => {
  const once = (): Promise<{ counts: Record<string, number>; statuses: string }> =>
    withFaultyPlatform({ faults: { crash: 0.15, error: 0.15, throttle: 0.3 }, seed: 99 }, async (session, counts) => {
      const r = await runPacked({
        invoker: session.invoker,
        functionName: 'faulty',
        fn,
        tasks: tasks(12, join(dir, 'repro.log'), 5),
        packingDegree: 2,
        maxInFlight: 1,
        maxAttempts: 2,
        random: () => 0,
      });
      return { counts: counts(), statuses: r.outcomes.map((o) => `${o.id}:${o.status}:${o.attempts}`).join(' ') };
    });
  const a = await once();
  const b = await once();
  assert.deepEqual(a, b);
  assert.ok(a.counts.crash + a.counts.error > 0, 'faults happened');
});

test('S3 fault proxy answers S3 InternalError / SlowDown that the SDK sees', async () => {
  const platform = await startLocalPlatform({ faults: { s3Error: 1 } });
  const s3 = createS3Client(targetOf(platform), { maxAttempts: 1 });
  try {
    const names = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const e = await s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' })).then(
        () => undefined,
        (err: Error & { $metadata?: { httpStatusCode?: number } }) => err,
      );
      assert.ok(e, 'the request failed');
      assert.ok([500, 503].includes(e.$metadata?.httpStatusCode ?? 0));
      names.add(e.name);
    }
    assert.deepEqual([...names].sort(), ['InternalError', 'SlowDown']);
  } finally {
    s3.destroy();
    await platform.stop();
  }
});
