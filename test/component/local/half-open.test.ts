import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { InvokeCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { deploy, payloadJson, withPlatform } from './helpers';

/** Opens `n` connections that send the start of a request line and never finish it; resolves once all are connected. */
async function halfOpen(
  endpoint: string,
  n: number,
): Promise<{ sockets: Socket[]; closed: () => number; untilClosed: (k: number, ms: number) => Promise<void> }> {
  const url = new URL(endpoint);
  let closed = 0;
  const waiters: (() => void)[] = [];
  const sockets = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Socket>((resolve, reject) => {
          const s = connect(Number(url.port), '127.0.0.1', () => {
            s.write('POST /2015-03-31/functions/f/invoca');
            resolve(s);
          });
          s.once('error', reject);
          s.on('close', () => {
            closed++;
            for (const w of waiters.splice(0)) w();
          });
        }),
    ),
  );
  for (const s of sockets) s.on('error', () => undefined); // resets after eviction are expected
  const untilClosed = (k: number, ms: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${closed} of ${k} half-open connections closed within ${ms} ms`)), ms);
      const check = () => {
        if (closed >= k) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      check();
    });
  return { sockets, closed: () => closed, untilClosed };
}

/** `p`, or a rejection after `ms` (a bound, not a delay: it resolves as soon as `p` does). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

test('500 half-open connections on each server: real SDK requests are still served promptly', async () => {
  const env = await withPlatform({ spareProcesses: 1 }, { maxAttempts: 1 });
  const held: Socket[] = [];
  try {
    await deploy(env.lambda, 'echo', 'exports.handler = async (e) => e;');
    const lam = await halfOpen(env.platform.lambdaEndpoint, 500);
    const s3 = await halfOpen(env.platform.s3Endpoint, 500);
    held.push(...lam.sockets, ...s3.sockets);
    const t0 = performance.now();
    await within(env.lambda.send(new ListFunctionsCommand({})), 5000, 'ListFunctions');
    const r = await within(env.lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: '{"a":1}' })), 5000, 'Invoke');
    assert.deepEqual(payloadJson(r.Payload), { a: 1 });
    await within(env.s3.send(new ListBucketsCommand({})), 5000, 'ListBuckets');
    const ms = performance.now() - t0;
    assert.equal(lam.closed() + s3.closed(), 0, 'the half-open connections are held, not dropped');
    console.log(`with 1,000 half-open connections held: ListFunctions + Invoke + ListBuckets in ${ms.toFixed(0)} ms`);
  } finally {
    for (const s of held) s.destroy();
    await env.close();
  }
});

test('beyond the cap the oldest half-open connections are closed; the header timeout closes the rest (408)', async () => {
  const env = await withPlatform(
    { spareProcesses: 0, connectionLimits: { maxWaiting: 100, minAgeMs: 0, headersTimeoutMs: 400 } },
    { maxAttempts: 1 },
  );
  const held: Socket[] = [];
  try {
    for (const endpoint of [env.platform.lambdaEndpoint, env.platform.s3Endpoint]) {
      const h = await halfOpen(endpoint, 300);
      held.push(...h.sockets);
      await h.untilClosed(200, 5000); // the cap: at most 100 stay
      await within(
        endpoint === env.platform.s3Endpoint ? env.s3.send(new ListBucketsCommand({})) : env.lambda.send(new ListFunctionsCommand({})),
        5000,
        'a real request',
      );
      const answers = new Set<string>();
      for (const s of h.sockets) s.on('data', (d: Buffer) => answers.add(d.toString().split('\r\n')[0]));
      await h.untilClosed(300, 5000); // the header timeout: every one goes
      assert.deepEqual([...answers], ['HTTP/1.1 408 Request Timeout']);
    }
  } finally {
    for (const s of held) s.destroy();
    await env.close();
  }
});
