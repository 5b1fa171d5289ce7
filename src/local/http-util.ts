import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomUUID } from 'node:crypto';
import { LambdaApiError } from './lambda-error';

/** Bodies the authentication layer already read (to hash them), and hashes a body must match. */
const preRead = new WeakMap<IncomingMessage, Buffer>();
const expectedHash = new WeakMap<IncomingMessage, string>();

/** Hands `readBody` a body the authentication layer has read and verified. */
export function setVerifiedBody(req: IncomingMessage, body: Buffer): void {
  preRead.set(req, body);
}

/** Makes `readBody` refuse a body whose SHA-256 (hex) is not the one the request's signature covers. */
export function expectBodyHash(req: IncomingMessage, hex: string): void {
  expectedHash.set(req, hex);
}

/** Reads a request body up to `limit` bytes; larger bodies reject with Lambda's 413 before buffering more. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new LambdaApiError(413, 'RequestTooLargeException', `Request must be smaller than ${limit} bytes for the operation`);
  const ready = preRead.get(req);
  if (ready) {
    if (ready.length > limit) throw tooLarge();
    return ready;
  }
  const want = expectedHash.get(req);
  const hash = want === undefined ? undefined : createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    const chunk = c as Buffer;
    size += chunk.length;
    if (size > limit) {
      req.resume(); // drain the rest so the keep-alive connection stays usable
      throw tooLarge();
    }
    hash?.update(chunk);
    chunks.push(chunk);
  }
  if (hash && hash.digest('hex') !== want) {
    throw new LambdaApiError(
      403,
      'InvalidSignatureException',
      'The request body does not match the x-amz-content-sha256 its signature covers.',
    );
  }
  return Buffer.concat(chunks);
}

/** Sends a JSON (or raw) body with Lambda's request id header. */
export function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const buf = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(buf.length),
    'x-amzn-RequestId': headers['x-amzn-RequestId'] ?? randomUUID(),
    ...headers,
  });
  res.end(buf);
}

/** Sends an error in the shape the SDK's restJson1 deserializer maps onto its error classes. */
export function sendError(res: ServerResponse, e: LambdaApiError): void {
  send(res, e.status, { Type: e.status >= 500 ? 'Service' : 'User', message: e.message, ...e.extra }, { 'x-amzn-ErrorType': e.type });
}

/**
 * Listens on 127.0.0.1:`port` (0 = free) and resolves with the endpoint URL; a port in use rejects with one
 * line telling the user what to do (`freeHint`: what `--port 0` picks, in the caller's words).
 */
export function listenOnLoopback(server: Server, port: number, freeHint: string, backlog?: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(e.code === 'EADDRINUSE' ? `port ${port} is in use; choose another with --port (0 picks ${freeHint})` : e.message)),
    );
    const ready = (): void => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    if (backlog === undefined) server.listen(port, '127.0.0.1', ready);
    else server.listen(port, '127.0.0.1', backlog, ready);
  });
}
