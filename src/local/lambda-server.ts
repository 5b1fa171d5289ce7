import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardConnections, type ConnectionLimits } from './connection-guard';
import { CODE_PATH, serveCode } from './code-location';
import type { LambdaAuth } from './lambda-auth';
import { listenOnLoopback, send } from './http-util';
import { handleLambdaRequest } from './lambda-routes';
import type { LambdaService } from './lambda-service';

/** Listens on 127.0.0.1:`port` (0 = free); rejects with one clear line when the port is taken. */
export function startLambdaServer(
  svc: LambdaService,
  port: number,
  auth: LambdaAuth,
  limits: ConnectionLimits = {},
  nowMs?: () => number,
): Promise<{ server: Server; endpoint: string }> {
  // Every request is authenticated (browser/host gate, SigV4) before any other work.
  const server = createServer({ keepAlive: true }, (req, res) => {
    const port = (server.address() as AddressInfo).port;
    // A Code.Location download is not signed (it is a presigned URL): its token is its authorization.
    if (req.url?.startsWith(CODE_PATH)) return codeDownload(svc, req, res, port);
    void auth.admit(req, res, port).then((ok) => (ok ? handleLambdaRequest(svc, req, res) : undefined));
  });
  // Receiving a request (up to a 70 MB CreateFunction) is bounded; the answer (an invocation: up to 900 s) is
  // not. Clients keep sockets open between bursts of invocations.
  guardConnections(server, limits, { requestMs: 120_000, keepAliveMs: 60_000, ...(nowMs ? { nowMs } : {}) });
  return listenOnLoopback(server, port, 'a free one', 8192).then((endpoint) => ({ server, endpoint }));
}

/**
 * A code download: refused from browsers and foreign hosts, then decided by its token. Node's fetch sends
 * `sec-fetch-mode` (and nothing else of the browser headers), so only the headers browsers add beside it refuse here.
 */
function codeDownload(svc: LambdaService, req: IncomingMessage, res: ServerResponse, port: number): void {
  const h = req.headers;
  const fromBrowser = h.origin !== undefined || h['sec-fetch-site'] !== undefined || h['sec-fetch-dest'] !== undefined;
  if (fromBrowser)
    return send(res, 403, { message: 'Requests from web browsers are refused by the ProPack local platform.' }, { Connection: 'close' });
  const host = (h.host ?? '').toLowerCase();
  // The same Host rule as every route (no DNS rebinding onto 127.0.0.1).
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`)
    return send(
      res,
      403,
      { message: `Host "${h.host ?? ''}" is refused: the ProPack local platform answers only 127.0.0.1:${port} and localhost:${port}.` },
      { Connection: 'close' },
    );
  serveCode(svc.codeLocations, req, res);
}
