/**
 * The platform's Step Functions API on 127.0.0.1: AWS JSON 1.0 (POST /, `X-Amz-Target: AWSStepFunctions.<Op>`),
 * every request authenticated (browser/host gate, SigV4 for `states`) before any other work.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardConnections, type ConnectionLimits } from './connection-guard';
import { listenOnLoopback, readBody } from './http-util';
import { LambdaApiError } from './lambda-error';
import { SFN_BODY_LIMIT, type SfnAuth } from './sfn-auth';
import { SfnApiError } from './sfn-error';
import { sendSfn, sendSfnError } from './sfn-http';
import type { SfnInput, SfnService } from './sfn-service';

const TARGET_PREFIX = 'AWSStepFunctions.';

/** Listens on 127.0.0.1:`port` (0 = free); rejects with one clear line when the port is taken. */
export function startSfnServer(
  svc: SfnService,
  port: number,
  auth: SfnAuth,
  limits: ConnectionLimits = {},
  nowMs?: () => number,
): Promise<{ server: Server; endpoint: string }> {
  const server = createServer({ keepAlive: true }, (req, res) => {
    const port = (server.address() as AddressInfo).port;
    void auth.admit(req, res, port).then((ok) => (ok ? handle(svc, req, res) : undefined));
  });
  // Clients poll DescribeExecution on one socket.
  guardConnections(server, limits, { requestMs: 60_000, keepAliveMs: 60_000, ...(nowMs ? { nowMs } : {}) });
  return listenOnLoopback(server, port, 'free ones', 1024).then((endpoint) => ({ server, endpoint }));
}

/** Answers one admitted request; every failure as Step Functions answers it. */
async function handle(svc: SfnService, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    sendSfn(res, 200, await dispatch(svc, req));
  } catch (e) {
    if (e instanceof SfnApiError) return sendSfnError(res, e);
    if (e instanceof LambdaApiError) return sendSfnError(res, new SfnApiError(e.type, e.message, e.status));
    sendSfnError(res, new SfnApiError('InternalFailure', `Local platform error: ${e instanceof Error ? e.message : String(e)}`, 500));
  }
}

async function dispatch(svc: SfnService, req: IncomingMessage): Promise<unknown> {
  const target = String(req.headers['x-amz-target'] ?? '');
  const op = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  const run = op !== undefined && Object.hasOwn(svc.operations, op) ? svc.operations[op] : undefined;
  if (req.method !== 'POST' || (req.url ?? '/') !== '/' || !run) {
    await readBody(req, SFN_BODY_LIMIT).catch(() => undefined);
    throw new SfnApiError(
      'UnknownOperationException',
      `Unknown operation ${req.method ?? ''} ${req.url ?? ''} ${target || '(no X-Amz-Target)'}; the local platform serves ${Object.keys(svc.operations).join(', ')}`,
    );
  }
  const raw = await readBody(req, SFN_BODY_LIMIT);
  let input: unknown;
  try {
    input = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
  } catch {
    throw new SfnApiError('SerializationException', 'The request body is not JSON.');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new SfnApiError('SerializationException', 'The request body must be a JSON object.');
  return run(input as SfnInput);
}
