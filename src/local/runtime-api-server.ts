/**
 * Lambda's Runtime API (version 2018-06-01) for the platform's `provided.*` execution environments: one HTTP
 * server on 127.0.0.1 for the whole platform. Each environment is handed `AWS_LAMBDA_RUNTIME_API =
 * 127.0.0.1:<port>/<secret>`; runtimes build `http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/...`, so the
 * random path prefix both authenticates the caller and names its environment. Nothing else gets in.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardConnections, type ConnectionLimits } from './connection-guard';
import { SYNC_PAYLOAD_LIMIT } from './lambda-error';
import { browserOrHostProblem } from './request-auth';

/** One invocation as `GET /runtime/invocation/next` hands it to the runtime. */
export interface NextInvocation {
  requestId: string;
  /** Epoch ms when the invocation times out. */
  deadlineMs: number;
  functionArn: string;
  traceId: string;
  /** The event: the JSON text the client sent. */
  payload: string;
  /** JSON text of the client context (Invoke's X-Amz-Client-Context, decoded), when set. */
  clientContext?: string;
  /** JSON text of the Cognito identity, when set. */
  cognitoIdentity?: string;
}

/** An error a runtime reports (`/invocation/{id}/error`, `/init/error`), as Lambda passes it to the caller. */
export interface RuntimeError {
  errorType: string;
  errorMessage: string;
  stackTrace?: unknown;
}

/** What the server answers a runtime: 202 accepted, or Lambda's error status with its ErrorResponse body. */
export type RuntimeAnswer = { status: 202 } | { status: 400 | 403 | 404 | 413 | 500; errorType: string; errorMessage: string };

/** The platform side of one execution environment, which the server routes that environment's requests to. */
export interface RuntimeSession {
  /** Holds the long poll until an invocation is due (`deliver`), or answers at once; returns a cancel. */
  next(deliver: (inv: NextInvocation) => void, refuse: (a: RuntimeAnswer) => void): () => void;
  /** The invocation's result (JSON text as the runtime posted it). */
  respond(requestId: string, body: Buffer): RuntimeAnswer;
  /** The runtime posted a response over Lambda's 6 MB (`bytes` long): the invocation fails; 413 (400 for an unknown id). */
  tooLarge(requestId: string, bytes: number): RuntimeAnswer;
  /** The invocation failed with the runtime's error. */
  fail(requestId: string, error: RuntimeError): RuntimeAnswer;
  /** The runtime could not initialize. */
  initError(error: RuntimeError): RuntimeAnswer;
}

/** Lambda's answers to a caller that is not the environment's runtime. */
const ACCEPTED = { status: 'OK' };
const ROUTE =
  /^\/([0-9a-f]{48})\/2018-06-01\/runtime\/(?:(invocation\/next)|invocation\/([^/?]+)\/(response|error)|(init\/error))\/?(?:\?.*)?$/;
const PREFIX = /^\/([0-9a-f]{48})(?:\/|$)/;

/** `413` as Lambda's Runtime API answers an oversized post. */
export function tooLargeAnswer(): RuntimeAnswer {
  return {
    status: 413,
    errorType: 'RequestEntityTooLarge',
    errorMessage: `Exceeded maximum allowed payload size (${SYNC_PAYLOAD_LIMIT} bytes).`,
  };
}

/** The platform's Runtime API server; environments register a session and get their address. */
export class RuntimeApiServer {
  private readonly sessions = new Map<string, RuntimeSession>();

  private constructor(private readonly server: Server) {}

  /** The port the server listens on (127.0.0.1). */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Listens on 127.0.0.1 on a free port, with the platform's timeouts (on `nowMs`, ms) and half-open cap. */
  static async start(limits: ConnectionLimits = {}, nowMs?: () => number): Promise<RuntimeApiServer> {
    const server = createServer({ keepAlive: true });
    const api = new RuntimeApiServer(server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => api.handle(req, res));
    // A runtime keeps its connection between /next polls; receiving a 6 MB response is bounded.
    guardConnections(server, limits, { requestMs: 120_000, keepAliveMs: 60_000, ...(nowMs ? { nowMs } : {}) });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return api;
  }

  /** Registers an environment; returns its `AWS_LAMBDA_RUNTIME_API` value and how to unregister it. */
  register(session: RuntimeSession): { address: string; unregister: () => void } {
    const secret = randomBytes(24).toString('hex');
    this.sessions.set(secret, session);
    return { address: `127.0.0.1:${this.port}/${secret}`, unregister: () => this.sessions.delete(secret) };
  }

  /** Stops listening and closes every connection (platform stop; the environments are gone by then). */
  async stop(): Promise<void> {
    this.sessions.clear();
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    this.server.closeAllConnections();
    await closed;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    // Browsers and foreign Host headers first, before the path or the body is looked at. A runtime written
    // with Node's fetch sends Sec-Fetch-Mode (only that one), so it alone does not refuse.
    const gate = browserOrHostProblem(req, this.port, true);
    if (gate) return answer(res, { status: 403, errorType: 'AccessDenied', errorMessage: gate.message }, true);
    const url = req.url ?? '/';
    const session = this.sessions.get(PREFIX.exec(url)?.[1] ?? '');
    if (!session)
      return answer(
        res,
        {
          status: 403,
          errorType: 'AccessDenied',
          errorMessage: 'Unknown Runtime API address: use the AWS_LAMBDA_RUNTIME_API of this environment.',
        },
        true,
      );
    const m = ROUTE.exec(url);
    const method = req.method ?? 'GET';
    if (m?.[2] && method === 'GET') {
      const cancel = session.next(
        (inv) => sendInvocation(res, inv),
        (a) => answer(res, a),
      );
      res.on('close', cancel);
      return;
    }
    if (method !== 'POST' || !m || m[2])
      return answer(res, { status: 404, errorType: 'NotFound', errorMessage: `No route ${method} ${url.replace(PREFIX, '/')}` });
    void readCapped(req, SYNC_PAYLOAD_LIMIT).then(
      ({ body, bytes }) => {
        const requestId = m[3] ? safeDecode(m[3]) : '';
        if (m[4] === 'response') return answer(res, body ? session.respond(requestId, body) : session.tooLarge(requestId, bytes));
        if (!body) return answer(res, tooLargeAnswer());
        const error = runtimeError(body, req.headers['lambda-runtime-function-error-type']);
        answer(res, m[4] === 'error' ? session.fail(requestId, error) : session.initError(error));
      },
      () => res.destroy(),
    );
  }
}

/** The body up to `limit` bytes; past it, undefined and the total length (the rest is counted, not kept). */
async function readCapped(req: IncomingMessage, limit: number): Promise<{ body?: Buffer; bytes: number }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const c of req) {
    const chunk = c as Buffer;
    bytes += chunk.length;
    if (bytes <= limit) chunks.push(chunk);
    else chunks.length = 0;
  }
  return bytes > limit ? { bytes } : { body: Buffer.concat(chunks), bytes };
}

/**
 * The runtime's error document `{errorMessage, errorType, stackTrace?}`; the `Lambda-Runtime-Function-Error-Type`
 * header names the type when the body does not; a body that is not that JSON becomes the message.
 */
function runtimeError(body: Buffer, header: string | string[] | undefined): RuntimeError {
  const typeHeader = typeof header === 'string' && header ? header : undefined;
  try {
    const doc = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
      return {
        errorType: typeof doc.errorType === 'string' && doc.errorType ? doc.errorType : (typeHeader ?? 'Runtime.Unknown'),
        errorMessage: typeof doc.errorMessage === 'string' ? doc.errorMessage : '',
        ...(doc.stackTrace !== undefined ? { stackTrace: doc.stackTrace } : {}),
      };
    }
  } catch {
    // not JSON: the raw text is the message
  }
  return { errorType: typeHeader ?? 'Runtime.Unknown', errorMessage: body.toString('utf8').slice(0, 4096) };
}

function sendInvocation(res: ServerResponse, inv: NextInvocation): void {
  const body = Buffer.from(inv.payload);
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': String(body.length),
    'Lambda-Runtime-Aws-Request-Id': inv.requestId,
    'Lambda-Runtime-Deadline-Ms': String(inv.deadlineMs),
    'Lambda-Runtime-Invoked-Function-Arn': inv.functionArn,
    'Lambda-Runtime-Trace-Id': inv.traceId,
    ...(inv.clientContext !== undefined ? { 'Lambda-Runtime-Client-Context': inv.clientContext } : {}),
    ...(inv.cognitoIdentity !== undefined ? { 'Lambda-Runtime-Cognito-Identity': inv.cognitoIdentity } : {}),
  });
  res.end(body);
}

/** Sends an answer; `close` drops the connection (a refused caller's body is never read). */
function answer(res: ServerResponse, a: RuntimeAnswer, close = false): void {
  const body = Buffer.from(JSON.stringify(a.status === 202 ? ACCEPTED : { errorMessage: a.errorMessage, errorType: a.errorType }));
  res.writeHead(a.status, {
    'Content-Type': 'application/json',
    'Content-Length': String(body.length),
    ...(close ? { Connection: 'close' } : {}),
  });
  res.end(body);
}

/** An X-Ray trace header as Lambda passes it (`Root=1-<epoch hex>-<96 bits>;Parent=<64 bits>;Sampled=0`). */
export function traceId(nowMs = Date.now()): string {
  return `Root=1-${Math.floor(nowMs / 1000).toString(16)}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}

/** A path segment decoded; a malformed escape stays as sent (it then names no invocation: 400). */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
