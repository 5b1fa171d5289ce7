/** AWS JSON 1.0 answers of the Step Functions server. */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { SfnApiError } from './sfn-error';

export const JSON_1_0 = 'application/x-amz-json-1.0';

/** Sends a JSON 1.0 body with a request id. */
export function sendSfn(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const buf = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': JSON_1_0, 'Content-Length': String(buf.length), 'x-amzn-RequestId': randomUUID(), ...headers });
  res.end(buf);
}

/** Sends an error as the SDK's JSON 1.0 deserializer maps it onto its exception classes (`__type`). */
export function sendSfnError(res: ServerResponse, e: SfnApiError, headers: Record<string, string> = {}): void {
  sendSfn(res, e.status, { __type: e.type, message: e.message }, headers);
}
