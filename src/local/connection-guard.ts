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

export const DEFAULT_HEADERS_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_WAITING = 1_000;

/**
 * Applies the header timeout (checked every second rather than Node's 30 s) and the waiting-connection cap to
 * `server`. `requestTimeoutMs` bounds receiving a whole request (0 = none: s3rver streams large uploads).
 * Returns how many connections the cap has closed so far.
 */
export function guardConnections(server: Server, limits: ConnectionLimits = {}, requestTimeoutMs = 0): () => number {
  const headersTimeout = limits.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const maxWaiting = limits.maxWaiting ?? DEFAULT_MAX_WAITING;
  server.headersTimeout = headersTimeout;
  server.requestTimeout = requestTimeoutMs === 0 ? 0 : Math.max(requestTimeoutMs, headersTimeout);
  // Node checks both timeouts on this interval (default 30 s); only settable before listen, via the private field.
  (server as unknown as { connectionsCheckingInterval?: number }).connectionsCheckingInterval = Math.min(1000, headersTimeout);
  const minAge = limits.minAgeMs ?? 1000;
  const fresh = new Map<Socket, number>(); // connected, no complete request yet; insertion order = oldest first
  let evicted = 0;
  server.on('connection', (s: Socket) => {
    fresh.set(s, performance.now());
    s.once('close', () => fresh.delete(s));
    const cutoff = performance.now() - minAge;
    while (fresh.size > maxWaiting) {
      const [oldest, since] = fresh.entries().next().value as [Socket, number];
      if (since > cutoff) break; // all young: a burst of real clients, not a hold
      fresh.delete(oldest);
      evicted++;
      oldest.destroy();
    }
  });
  server.on('request', (req) => {
    fresh.delete(req.socket);
  });
  return () => evicted;
}
