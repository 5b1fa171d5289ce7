/** The local platform listens on loopback only and keeps S3 keys inside its store; a dead endpoint fails tasks with a reason. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type AddressInfo } from 'node:net';
import { readdirSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { runPacked } from '../../../src/engine/packed-run';
import { openSession } from '../../../src/engine/session';
import { startLocalPlatform } from '../../../src/local';
import { createS3Client, localTarget } from '../../../src/platform';

/** Resolves with the connect error code, or 'connected'. */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

test('Lambda, S3 and the S3 fault proxy listen on 127.0.0.1 only', async () => {
  const platform = await startLocalPlatform({ faults: { s3Error: 0.5 } });
  try {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a?.address as string);
    for (const endpoint of [platform.lambdaEndpoint, platform.s3Endpoint]) {
      const url = new URL(endpoint);
      assert.equal(url.hostname, '127.0.0.1');
      assert.equal(await tryConnect('127.0.0.1', Number(url.port)), 'connected');
      // Every non-loopback address of this machine refuses the port.
      for (const host of others) assert.equal(await tryConnect(host, Number(url.port)), 'ECONNREFUSED', `${host}:${url.port}`);
    }
  } finally {
    await platform.stop();
  }
});

test('a dead endpoint fails every task with a clear reason after bounded retries, without hanging', async () => {
  // A port that was just free: nothing listens there.
  const port = await new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
  const session = openSession({
    kind: 'local',
    lambdaEndpoint: `http://127.0.0.1:${port}`,
    s3Endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAUNUSED', secretAccessKey: 'unused' },
  });
  try {
    const tasks = Array.from({ length: 5 }, (_, i) => ({ id: `t${i}`, payload: i }));
    const r = await runPacked({
      invoker: session.invoker,
      functionName: 'gone',
      fn: { memoryMb: 512, architecture: 'x86_64', region: 'us-east-1' },
      tasks,
      packingDegree: 2,
      maxAttempts: 3,
      backoff: { baseMs: 5, capMs: 20 },
    });
    assert.equal(r.outcomes.length, 5);
    for (const o of r.outcomes) {
      assert.equal(o.status, 'failed');
      assert.match(o.reason ?? '', /ECONNREFUSED/);
      assert.equal(o.attempts, 3, 'bounded: three attempts, no more');
    }
    assert.equal(r.failures.requestErrors, 9, 'three invocations, each tried three times');
  } finally {
    session.close();
  }
});

test('S3 object keys with ../ segments are refused (400) and write nothing outside the data folder', async () => {
  const platform = await startLocalPlatform({});
  const s3 = createS3Client(localTarget(platform), { maxAttempts: 1 });
  const outside = join(tmpdir(), `propack-escape-${process.pid}`);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: 'trav' }));
    const depth = platform.dataDir.split(sep).length + 2;
    for (const Key of [`${'../'.repeat(depth)}${outside.slice(1)}`, `a/${'../'.repeat(3)}propack-escape-${process.pid}`, './x']) {
      const e = await s3.send(new PutObjectCommand({ Bucket: 'trav', Key, Body: 'x' })).then(
        () => undefined,
        (err: Error & { $metadata?: { httpStatusCode?: number } }) => err,
      );
      assert.equal(e?.name, 'InvalidArgument', Key);
      assert.equal(e?.$metadata?.httpStatusCode, 400);
    }
    assert.deepEqual(
      readdirSync(tmpdir()).filter((f) => f.startsWith(`propack-escape-${process.pid}`)),
      [],
    );
    assert.deepEqual(
      readdirSync(platform.dataDir).sort(),
      ['endpoint.json', 'lambda', 's3', 'sandbox', 'timeline.bin'],
      "nothing landed beside the stores (endpoint.json, the functions' sandbox and the clock's timeline are the platform's own)",
    );
    await s3.send(new PutObjectCommand({ Bucket: 'trav', Key: 'ok/..dots../name', Body: 'fine' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'trav', Key: 'ok/..dots../name' }));
    assert.equal(await got.Body?.transformToString(), 'fine', 'dots inside a segment are ordinary key characters');
  } finally {
    s3.destroy();
    await platform.stop();
  }
});

test('a local platform port already in use is one clear error naming the port', async () => {
  const taken = createServer();
  const port = await new Promise<number>((resolve) => taken.listen(0, '127.0.0.1', () => resolve((taken.address() as AddressInfo).port)));
  try {
    await assert.rejects(startLocalPlatform({ port }), (e: Error) => {
      assert.equal(e.message, `port ${port} is in use; choose another with --port (0 picks a free one)`);
      return true;
    });
  } finally {
    await new Promise<void>((r) => taken.close(() => r()));
  }
});

// A bound, not a performance target: without the fix this test hangs forever, and a hang must fail, not stall CI.
test(
  'a server that accepts requests and never answers cannot stall async dispatch: every task ends with a reason',
  { timeout: 60_000 },
  async () => {
    // A real server that reads every request and never writes a byte back (a hung S3 or Lambda front end).
    const held: import('node:net').Socket[] = [];
    const blackHole = createServer((socket) => {
      held.push(socket);
      socket.resume();
    });
    await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', () => r()));
    const hole = `http://127.0.0.1:${(blackHole.address() as AddressInfo).port}`;
    const platform = await startLocalPlatform({ preset: 'instant' });
    const { createLambdaClient } = await import('../../../src/platform');
    const { AsyncS3Invoker } = await import('../../../src/platform/async-invoker');
    const working = openSession(localTarget(platform));
    const hungTarget = {
      kind: 'local' as const,
      lambdaEndpoint: hole,
      s3Endpoint: hole,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAUNUSED', secretAccessKey: 'unused' },
    };
    const hungS3 = createS3Client(hungTarget, { maxAttempts: 1 });
    const hungLambda = createLambdaClient(hungTarget, { maxAttempts: 1 });
    try {
      const { buildBundle } = await import('../../../src/engine/bundle');
      const { deployFunction, LOCAL_ROLE } = await import('../../../src/engine/deploy');
      const { mkdtempSync, writeFileSync } = await import('node:fs');
      const dir = mkdtempSync(join(tmpdir(), 'propack-hole-'));
      writeFileSync(join(dir, 'h.js'), 'exports.handler = async (e) => e;');
      await deployFunction(working.lambda, await buildBundle({ kind: 'file', file: join(dir, 'h.js') }), {
        name: 'echo',
        // One vCPU, as the component helpers deploy: at 128 MB (0.07 vCPU) each Event invocation's cold load
        // takes seconds of emulated time, and the platform's stop below waits for every one of them.
        memoryMb: 1769,
        architecture: 'x86_64',
        timeoutS: 10,
        role: LOCAL_ROLE,
      });
      // A plain request gives up once the socket has been silent for the client's idle timeout.
      const quick = createS3Client(hungTarget, { maxAttempts: 1, idleTimeoutMs: 300 });
      try {
        await assert.rejects(quick.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })));
      } finally {
        quick.destroy();
      }
      const fn = { memoryMb: 1769, architecture: 'x86_64' as const, region: 'us-east-1' };
      const tasks = Array.from({ length: 4 }, (_, i) => ({ id: `t${i}`, payload: i }));
      // S3 hangs: the Event invocations go out, the result polls never answer; the deadline still ends each wait.
      const s3Hangs = new AsyncS3Invoker(working.lambda, hungS3, {
        bucket: 'results',
        prefix: 'r/',
        resultTimeoutS: 1,
        pollMs: 20,
        requestTimeoutMs: 300,
      });
      // Lambda hangs: the Event sends themselves never answer.
      const lambdaHangs = new AsyncS3Invoker(hungLambda, hungS3, {
        bucket: 'results',
        prefix: 'r/',
        resultTimeoutS: 1,
        pollMs: 20,
        requestTimeoutMs: 300,
      });
      for (const [name, invoker] of [
        ['S3', s3Hangs],
        ['Lambda', lambdaHangs],
      ] as const) {
        try {
          const r = await runPacked({
            invoker,
            functionName: 'echo',
            fn,
            tasks,
            packingDegree: 2,
            maxAttempts: 2,
            backoff: { baseMs: 5, capMs: 10 },
          });
          assert.equal(r.outcomes.length, 4, name);
          for (const o of r.outcomes) {
            assert.equal(o.status, 'failed', `${name}: ${o.id}`);
            assert.ok(o.reason && o.reason.length > 0, `${name}: ${o.id} has a reason`);
          }
        } finally {
          invoker.close();
        }
      }
    } finally {
      hungS3.destroy();
      hungLambda.destroy();
      working.close();
      await platform.stop();
      for (const s of held) s.destroy();
      blackHole.close();
    }
  },
);
