/**
 * A reverse proxy in front of s3rver that answers a seeded share of requests with S3's own 5xx errors
 * (500 InternalError, 503 SlowDown) before they reach the store; every other request passes through unchanged.
 */
import { createServer, request, type Server } from 'node:http';
import type { FaultInjector } from './faults';
import { guardConnections, type ConnectionLimits } from './connection-guard';
import { listenOnLoopback } from './http-util';

/**
 * Listens on 127.0.0.1:`port` (0 = free) and forwards to the store set later with `setUpstream`
 * (http://127.0.0.1:N): the store is started knowing the proxy's port, the one its clients sign for.
 */
export function startS3FaultProxy(
  port: number,
  faults: FaultInjector,
  limits: ConnectionLimits = {},
  nowMs?: () => number,
): Promise<{ server: Server; endpoint: string; setUpstream(url: string): void }> {
  let target = new URL('http://127.0.0.1:9');
  const server = createServer((req, res) => {
    if (faults.draw('s3Error')) {
      // Read the body first so the client sees the error, not a reset socket mid-upload.
      req.resume();
      req.on('end', () => {
        const slow = faults.counts.s3Error % 2 === 0;
        const [status, code, message] = slow
          ? [503, 'SlowDown', 'Please reduce your request rate.']
          : [500, 'InternalError', 'We encountered an internal error. Please try again.'];
        res.writeHead(status, { 'content-type': 'application/xml' });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>propack-injected</RequestId></Error>`,
        );
      });
      return;
    }
    const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`S3 proxy: ${e.message}`);
    });
    req.pipe(up);
  });
  guardConnections(server, limits, nowMs ? { nowMs } : {});
  return listenOnLoopback(server, port, 'a free one').then((endpoint) => ({
    server,
    endpoint,
    setUpstream: (url) => {
      target = new URL(url);
    },
  }));
}
