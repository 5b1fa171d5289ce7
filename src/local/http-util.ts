import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LambdaApiError } from './lambda-error';

/** Reads a request body up to `limit` bytes; larger bodies reject with Lambda's 413 before buffering more. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    const chunk = c as Buffer;
    size += chunk.length;
    if (size > limit) {
      req.resume(); // drain the rest so the keep-alive connection stays usable
      throw new LambdaApiError(413, 'RequestTooLargeException', `Request must be smaller than ${limit} bytes for the operation`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Sends a JSON (or raw) body with Lambda's request id header. */
export function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const buf = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(buf.length), 'x-amzn-RequestId': headers['x-amzn-RequestId'] ?? randomUUID(), ...headers });
  res.end(buf);
}

/** Sends an error in the shape the SDK's restJson1 deserializer maps onto its error classes. */
export function sendError(res: ServerResponse, e: LambdaApiError): void {
  send(res, e.status, { Type: e.status >= 500 ? 'Service' : 'User', message: e.message, ...e.extra }, { 'x-amzn-ErrorType': e.type });
}
