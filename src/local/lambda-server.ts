import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardConnections, type ConnectionLimits } from './connection-guard';
import type { LambdaAuth } from './lambda-auth';
import { handleLambdaRequest } from './lambda-routes';
import type { LambdaService } from './lambda-service';

/** Listens on 127.0.0.1:`port` (0 = free); rejects with one clear line when the port is taken. */
export function startLambdaServer(svc: LambdaService, port: number, auth: LambdaAuth, limits: ConnectionLimits = {}): Promise<{ server: Server; endpoint: string }> {
  // Every request is authenticated (browser/host gate, SigV4) before any other work.
  const server = createServer({ keepAlive: true }, (req, res) => void auth.admit(req, res, (server.address() as AddressInfo).port)
    .then((ok) => (ok ? handleLambdaRequest(svc, req, res) : undefined)));
  server.keepAliveTimeout = 60_000; // clients keep sockets open between bursts of invocations
  // Receiving a request (up to a 70 MB CreateFunction) is bounded; the answer (an invocation: up to 900 s) is not.
  guardConnections(server, limits, 120_000);
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(e.code === 'EADDRINUSE' ? `port ${port} is in use; choose another with --port (0 picks a free one)` : e.message)));
    server.listen(port, '127.0.0.1', 8192, () => resolve({ server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}
