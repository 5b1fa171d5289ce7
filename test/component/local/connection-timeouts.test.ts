import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { guardConnections } from '../../../src/local/connection-guard';

/**
 * The connection timeouts run on the clock they are given (the platform's emulated clock): a client whose
 * time is held still keeps its connection however long it is held in real time. The clock here is driven by
 * the test; each read of it is one check of the guard, so the test waits for checks, not for time.
 */
function steppedClock(): { nowMs: () => number; advance(ms: number): void; checks(n: number): Promise<void> } {
  let now = 0;
  let reads = 0;
  const waiters: { at: number; resolve: () => void }[] = [];
  return {
    nowMs: () => {
      reads++;
      for (const w of waiters.filter((x) => x.at <= reads)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      return now;
    },
    advance: (ms) => {
      now += ms;
    },
    checks: (n) => new Promise((resolve) => waiters.push({ at: reads + n, resolve })),
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** A connection that sends the start of a request and never finishes it; collects what it is answered. */
function halfOpen(port: number): Promise<{ socket: Socket; answer: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      resolve({ socket, answer: () => answer, closed });
    });
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.once('error', reject);
  });
}

test('a half-open connection waits on the given clock: held while it stands still, 408 once it passes the header timeout', async () => {
  const clock = steppedClock();
  const server = createServer((_req, res) => res.end('ok'));
  guardConnections(server, { headersTimeoutMs: 100 }, { nowMs: clock.nowMs });
  const port = await listen(server);
  try {
    const c = await halfOpen(port);
    await clock.checks(6); // at least 300 ms of real time, three header timeouts, with the clock still
    assert.equal(c.socket.destroyed, false, 'no emulated time passed: the connection is held');
    clock.advance(150);
    await c.closed;
    assert.equal(c.answer().split('\r\n')[0], 'HTTP/1.1 408 Request Timeout');
  } finally {
    server.close();
  }
});

test('an idle keep-alive connection is closed once the given clock passes the keep-alive timeout, not before', async () => {
  const clock = steppedClock();
  const server = createServer((_req, res) => res.end('ok'));
  guardConnections(server, {}, { keepAliveMs: 100, nowMs: clock.nowMs });
  const port = await listen(server);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', path: '/', agent }, (res) => {
        res.resume();
        res.once('end', () => resolve(req.socket as Socket));
      });
      req.once('error', reject);
      req.end();
    });
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    await clock.checks(6);
    assert.equal(socket.destroyed, false, 'idle but no emulated time passed: kept for the next request');
    clock.advance(150);
    await closed;
  } finally {
    agent.destroy();
    server.close();
  }
});

test("a request's body has the request timeout on the given clock; its answer may take longer", async () => {
  const clock = steppedClock();
  let answer: (() => void) | undefined;
  const server = createServer((req, res) => {
    req.resume();
    req.once('end', () => {
      if (req.url === '/slow-answer') answer = () => res.end('late');
      else res.end('ok');
    });
  });
  guardConnections(server, {}, { requestMs: 100, nowMs: clock.nowMs });
  const port = await listen(server);
  try {
    // Headers sent, body never finished: 408 once the clock passes the request timeout.
    const partial = await new Promise<{ closed: Promise<void>; answer: () => string }>((resolve) => {
      let got = '';
      const s = connect(port, '127.0.0.1', () => {
        s.write('POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nabc');
        resolve({ closed: new Promise((r) => s.once('close', () => r())), answer: () => got });
      });
      s.on('data', (d: Buffer) => (got += d.toString()));
    });
    await clock.checks(3);
    clock.advance(150);
    await partial.closed;
    assert.equal(partial.answer().split('\r\n')[0], 'HTTP/1.1 408 Request Timeout');
    // A whole request whose answer takes past the request timeout is answered.
    const body = new Promise<string>((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', path: '/slow-answer', method: 'POST' }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.once('end', () => resolve(text));
      });
      req.once('error', reject);
      req.end('0123456789');
    });
    while (!answer) await clock.checks(1);
    clock.advance(1000);
    await clock.checks(3);
    answer();
    assert.equal(await body, 'late');
  } finally {
    server.close();
  }
});
