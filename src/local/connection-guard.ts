import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** How the platform's HTTP servers bound connections that send no complete request. */
export interface ConnectionLimits {
  /** Time (ms) a client has to send a request's headers (Node's headersTimeout); default 20 s. */
  headersTimeoutMs?: number;
  /**
   * Connections that have not yet sent a complete request (half-open) kept at most; beyond it the oldest one
   * older than `minAgeMs` is closed, so they cannot exhaust file descriptors and a new client still gets in.
   * Connections being served, or idle between keep-alive requests (bounded by keepAliveTimeout), are not
   * counted; neither is a burst of new connections younger than `minAgeMs` closed. Default 1,000.
   */
  maxWaiting?: number;
  /** Age (ms) below which a half-open connection is never closed by the cap; default 1,000. */
  minAgeMs?: number;
}

/** A server's own timeouts (ms; 0 = none) and the clock they run on. */
export interface ServerTimeouts {
  /** From a request's headers until its body has arrived (a whole upload); default none (s3rver streams large ones). */
  requestMs?: number;
  /** A keep-alive connection idle between requests; default 5 s (Node's). */
  keepAliveMs?: number;
  /**
   * The clock (ms) the timeouts run on: the platform's emulated clock, because its clients are function
   * processes it holds stopped to emulate their CPU share. On real time a client stopped for a few seconds
   * between two requests of one handler had its connection closed under it (socket hang up, 408) though
   * almost no time passed for it. Default: real time.
   */
  nowMs?: () => number;
}

export const DEFAULT_HEADERS_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_WAITING = 1_000;
const DEFAULT_KEEP_ALIVE_MS = 5_000;

/** What a watched connection is waiting for, and when (on the timeouts' clock) it began to. */
interface Waiting {
  phase: 'headers' | 'body' | 'idle';
  /** Set at the first check after the phase began: times are read once per check, not per event. */
  sinceMs?: number;
}

/** Node's answer to a request that did not arrive in time; the connection is closed after it. */
const REQUEST_TIMEOUT_RESPONSE = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n';

/**
 * Applies the header, request and keep-alive timeouts to `server` on `timeouts.nowMs` (checked every second
 * at most, as Node does), in place of Node's own real-time ones, and the waiting-connection cap (real time:
 * it guards file descriptors). Returns how many connections the cap has closed so far.
 */
export function guardConnections(server: Server, limits: ConnectionLimits = {}, timeouts: ServerTimeouts = {}): () => number {
  const limitOf: Record<Waiting['phase'], number> = {
    headers: limits.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
    body: timeouts.requestMs ?? 0,
    idle: timeouts.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS,
  };
  const nowMs = timeouts.nowMs ?? (() => performance.now());
  server.headersTimeout = 0;
  server.requestTimeout = 0;
  server.keepAliveTimeout = 0;
  const maxWaiting = limits.maxWaiting ?? DEFAULT_MAX_WAITING;
  const minAge = limits.minAgeMs ?? 1000;
  const fresh = new Map<Socket, number>(); // connected, no complete request yet; insertion order = oldest first
  const waiting = new Map<Socket, Waiting>();
  let evicted = 0;
  const wait = (s: Socket, phase: Waiting['phase']): void => {
    if (limitOf[phase] > 0 && !s.destroyed) waiting.set(s, { phase });
    else waiting.delete(s);
  };
  server.on('connection', (s: Socket) => {
    fresh.set(s, performance.now());
    wait(s, 'headers');
    s.once('close', () => {
      fresh.delete(s);
      waiting.delete(s);
    });
    const cutoff = performance.now() - minAge;
    while (fresh.size > maxWaiting) {
      const [oldest, since] = fresh.entries().next().value as [Socket, number];
      if (since > cutoff) break; // all young: a burst of real clients, not a hold
      fresh.delete(oldest);
      evicted++;
      oldest.destroy();
    }
  });
  server.on('request', (req, res) => {
    const s = req.socket;
    fresh.delete(s);
    wait(s, 'body');
    // Once the body is in, the answer may take as long as it takes (an invocation: up to 900 s).
    req.once('end', () => {
      if (waiting.get(s)?.phase === 'body') waiting.delete(s);
    });
    res.once('finish', () => wait(s, 'idle'));
  });
  const check = (): void => {
    const now = nowMs();
    for (const [s, w] of waiting) {
      if (w.sinceMs === undefined) w.sinceMs = now;
      else if (now - w.sinceMs > limitOf[w.phase]) {
        waiting.delete(s);
        if (w.phase !== 'idle' && s.writable) s.end(REQUEST_TIMEOUT_RESPONSE);
        s.destroySoon();
      }
    }
  };
  const bounds = Object.values(limitOf).filter((ms) => ms > 0);
  const timer = setInterval(check, Math.min(1000, ...bounds.map((ms) => ms / 2)));
  timer.unref();
  server.once('close', () => clearInterval(timer));
  return () => evicted;
}
