import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { InvokeCommand, type InvokeCommandOutput, type LambdaClient } from '@aws-sdk/client-lambda';
import { payloadJson, withPlatform } from './helpers';
import { deployProvided } from './runtime-fixtures';

/**
 * The Runtime API driven by this test as a runtime would drive it, with raw node:http. The function's
 * bootstrap only hands its AWS_LAMBDA_RUNTIME_API to the test (over a TCP connection to the test) and
 * waits; the test then plays the runtime of that environment.
 */
const RENDEZVOUS = `
const s = require('node:net').connect(Number(process.env.RENDEZVOUS), '127.0.0.1', () => s.write(process.env.AWS_LAMBDA_RUNTIME_API + '\\n'));
s.on('close', () => process.exit(0));
s.on('error', () => process.exit(1));
`;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request to `http://<address><path>` (address = AWS_LAMBDA_RUNTIME_API), as runtimes build it. */
function call(
  address: string,
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const url = new URL(`http://${address}${path}`);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        headers: { ...headers, ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The addresses environments hand over, in the order they connect. */
class Rendezvous {
  readonly server = createServer((s) => this.connected(s));
  private readonly waiting: ((address: string) => void)[] = [];
  private readonly arrived: string[] = [];
  readonly sockets: Socket[] = [];

  async listen(): Promise<number> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return (this.server.address() as { port: number }).port;
  }

  /** The next environment's AWS_LAMBDA_RUNTIME_API. */
  next(): Promise<string> {
    const a = this.arrived.shift();
    return a !== undefined ? Promise.resolve(a) : new Promise((r) => this.waiting.push(r));
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server.close();
  }

  private connected(s: Socket): void {
    this.sockets.push(s);
    let text = '';
    s.on('data', (c: Buffer) => {
      text += c.toString('utf8');
      const nl = text.indexOf('\n');
      if (nl < 0) return;
      const address = text.slice(0, nl);
      const w = this.waiting.shift();
      if (w) w(address);
      else this.arrived.push(address);
    });
  }
}

const NEXT = '/2018-06-01/runtime/invocation/next';
const invoke = (lambda: LambdaClient, name: string, event: unknown): Promise<InvokeCommandOutput> =>
  lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(event) }));

test('the Runtime API contract, raw HTTP: /next, /response, /error, /init/error, and who may call', async () => {
  const env = await withPlatform({ spareProcesses: 1 }, { maxAttempts: 1 });
  const meet = new Rendezvous();
  try {
    const port = await meet.listen();
    const vars = { Environment: { Variables: { RENDEZVOUS: String(port) } }, Timeout: 60 };
    await deployProvided(env.lambda, 'raw', { 'runtime.js': RENDEZVOUS }, vars);

    // /next → /response
    const first = invoke(env.lambda, 'raw', { frame: 1 });
    const a = await meet.next();
    assert.match(a, /^127\.0\.0\.1:\d+\/[0-9a-f]{48}$/, 'AWS_LAMBDA_RUNTIME_API = 127.0.0.1:<port>/<secret>');
    const next = await call(a, 'GET', NEXT);
    assert.equal(next.status, 200);
    assert.deepEqual(JSON.parse(next.body), { frame: 1 });
    const id = next.headers['lambda-runtime-aws-request-id'] as string;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.ok(Number(next.headers['lambda-runtime-deadline-ms']) > Date.now());
    assert.match(next.headers['lambda-runtime-invoked-function-arn'] as string, /:function:raw$/);
    assert.match(next.headers['lambda-runtime-trace-id'] as string, /^Root=1-/);
    assert.equal(next.headers['lambda-runtime-client-context'], undefined, 'not set: not sent');
    assert.equal(next.headers['lambda-runtime-cognito-identity'], undefined);

    // Refused callers, while the invocation is open: none of them can touch it.
    const secret = a.split('/')[1];
    const other = a.replace(
      secret,
      secret.replace(/^./, (c) => (c === '0' ? '1' : '0')),
    );
    assert.equal((await call(other, 'POST', `/2018-06-01/runtime/invocation/${id}/response`, '"stolen"')).status, 403, 'wrong secret');
    assert.equal(
      (await call(a.split('/')[0], 'POST', `/2018-06-01/runtime/invocation/${id}/response`, '"stolen"')).status,
      403,
      'no secret',
    );
    const browser = await call(a, 'POST', `/2018-06-01/runtime/invocation/${id}/response`, '"stolen"', { Origin: 'https://evil.example' });
    assert.equal(browser.status, 403, 'a browser Origin');
    const fetchSite = await call(a, 'GET', NEXT, undefined, { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'no-cors' });
    assert.equal(fetchSite.status, 403, 'Sec-Fetch-* of a browser');
    const host = await call(a, 'POST', `/2018-06-01/runtime/invocation/${id}/response`, '"stolen"', { Host: 'evil.example' });
    assert.equal(host.status, 403, 'a foreign Host (DNS rebinding)');
    const unknown = await call(a, 'POST', '/2018-06-01/runtime/invocation/00000000-0000-0000-0000-000000000000/response', '{}');
    assert.equal(unknown.status, 400);
    assert.equal(JSON.parse(unknown.body).errorType, 'InvalidRequestID');

    const accepted = await call(a, 'POST', `/2018-06-01/runtime/invocation/${id}/response`, JSON.stringify({ done: 1 }));
    assert.equal(accepted.status, 202);
    assert.deepEqual(JSON.parse(accepted.body), { status: 'OK' });
    const r1 = await first;
    assert.equal(r1.FunctionError, undefined);
    assert.deepEqual(payloadJson(r1.Payload), { done: 1 }, 'the runtime answer, not any refused one');
    assert.equal(r1.$metadata.requestId, id);
    const again = await call(a, 'POST', `/2018-06-01/runtime/invocation/${id}/response`, '{"done":2}');
    assert.equal(again.status, 400, 'a second /response for the same id');
    assert.equal(JSON.parse(again.body).errorType, 'InvalidRequestID');
    const late = await call(a, 'POST', '/2018-06-01/runtime/init/error', JSON.stringify({ errorType: 'X', errorMessage: 'y' }));
    assert.equal(late.status, 403, '/init/error after the first /next');

    // /error, with the Lambda-Runtime-Function-Error-Type header (the body without errorType: the header names it).
    const second = invoke(env.lambda, 'raw', { frame: 2 });
    const n2 = await call(a, 'GET', NEXT);
    assert.deepEqual(JSON.parse(n2.body), { frame: 2 }, 'warm: the same environment polls again');
    const id2 = n2.headers['lambda-runtime-aws-request-id'] as string;
    const err = await call(
      a,
      'POST',
      `/2018-06-01/runtime/invocation/${id2}/error`,
      JSON.stringify({ errorMessage: 'frame 2 is corrupt' }),
      {
        'Lambda-Runtime-Function-Error-Type': 'Frame.Corrupt',
      },
    );
    assert.equal(err.status, 202);
    const r2 = await second;
    assert.equal(r2.FunctionError, 'Unhandled');
    assert.deepEqual(payloadJson(r2.Payload), { errorType: 'Frame.Corrupt', errorMessage: 'frame 2 is corrupt' });

    // A response over 6 MB: 413 to the runtime, Function.ResponseSizeTooLarge to the caller.
    const third = invoke(env.lambda, 'raw', { frame: 3 });
    const id3 = (await call(a, 'GET', NEXT)).headers['lambda-runtime-aws-request-id'] as string;
    const huge = await call(a, 'POST', `/2018-06-01/runtime/invocation/${id3}/response`, Buffer.alloc(6 * 1024 * 1024 + 1, 0x61));
    assert.equal(huge.status, 413);
    const r3 = await third;
    assert.equal(r3.FunctionError, 'Unhandled');
    assert.equal((payloadJson(r3.Payload) as { errorType: string }).errorType, 'Function.ResponseSizeTooLarge');

    // Two environments at once: B's requests never reach A's invocation.
    const p4 = invoke(env.lambda, 'raw', { frame: 4 });
    const p5 = invoke(env.lambda, 'raw', { frame: 5 });
    const b = await meet.next();
    assert.notEqual(b, a);
    const [na, nb] = await Promise.all([call(a, 'GET', NEXT), call(b, 'GET', NEXT)]);
    const ida = na.headers['lambda-runtime-aws-request-id'] as string;
    const idb = nb.headers['lambda-runtime-aws-request-id'] as string;
    assert.equal(
      (await call(b, 'POST', `/2018-06-01/runtime/invocation/${ida}/response`, '"from b"')).status,
      400,
      "B cannot answer A's invocation",
    );
    assert.equal((await call(a, 'POST', `/2018-06-01/runtime/invocation/${ida}/response`, '"from a"')).status, 202);
    assert.equal((await call(b, 'POST', `/2018-06-01/runtime/invocation/${idb}/response`, '"from b"')).status, 202);
    const frames = [JSON.parse(na.body).frame, JSON.parse(nb.body).frame].sort();
    assert.deepEqual(frames, [4, 5]);
    const results = [payloadJson((await p4).Payload), payloadJson((await p5).Payload)];
    assert.deepEqual(results.sort(), ['from a', 'from b']);
  } finally {
    meet.close();
    await env.close();
  }
});

test('/init/error fails the pending invocation with the runtime error; the environment is gone', async () => {
  const env = await withPlatform({ spareProcesses: 1 }, { maxAttempts: 1 });
  const meet = new Rendezvous();
  try {
    const port = await meet.listen();
    await deployProvided(env.lambda, 'rawinit', { 'runtime.js': RENDEZVOUS }, { Environment: { Variables: { RENDEZVOUS: String(port) } } });
    const pending = invoke(env.lambda, 'rawinit', {});
    const a = await meet.next();
    const init = await call(a, 'POST', '/2018-06-01/runtime/init/error', JSON.stringify({ errorMessage: 'no config file' }), {
      'Lambda-Runtime-Function-Error-Type': 'Runtime.ConfigMissing',
    });
    assert.equal(init.status, 202);
    const r = await pending;
    assert.equal(r.FunctionError, 'Unhandled');
    assert.deepEqual(payloadJson(r.Payload), { errorType: 'Runtime.ConfigMissing', errorMessage: 'no config file' });
    // The environment is being stopped: 500 Runtime.ExitError while its process dies, 403 once it is gone.
    const after = await call(a, 'GET', NEXT);
    assert.ok(after.status === 500 || after.status === 403, `status ${after.status}`);
    if (after.status === 500) assert.equal(JSON.parse(after.body).errorType, 'Runtime.ExitError');
  } finally {
    meet.close();
    await env.close();
  }
});
