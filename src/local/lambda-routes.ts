import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { codeZipPath } from './function-store';
import { readBody, send, sendError } from './http-util';
import { invalidParameter, LambdaApiError, responseTooLargeBody, SYNC_PAYLOAD_LIMIT } from './lambda-error';
import type { FunctionInput, LambdaService } from './lambda-service';
import { parseFunctionRef } from './names';

/** Lambda's request limits (bytes): 6 MB synchronous, 1 MB asynchronous (since 2025; 256 KB before). */
export { SYNC_PAYLOAD_LIMIT };
export const ASYNC_PAYLOAD_LIMIT = 1024 * 1024;
/** Largest control-plane body: Lambda's 69,905,067 bytes (a base64 50 MB zip). */
const API_BODY_LIMIT = 69_905_067;

const ROUTE = /^\/(?:2015-03-31|2017-10-31|2019-09-30)\/functions(?:\/([^/]+))?(?:\/([a-z-]+))?\/?$/;

/** Handles one Lambda REST request; every failure is answered as Lambda would. */
export async function handleLambdaRequest(svc: LambdaService, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await route(svc, req, res);
  } catch (e) {
    if (e instanceof LambdaApiError) return sendError(res, e);
    sendError(res, new LambdaApiError(500, 'ServiceException', `Local platform error: ${e instanceof Error ? e.message : String(e)}`));
  }
}

async function route(svc: LambdaService, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const m = ROUTE.exec(url.pathname);
  if (!m) throw new LambdaApiError(404, 'UnknownOperationException', `Unknown operation ${req.method} ${url.pathname}`);
  const [, rawRef, sub = ''] = m;
  const method = req.method ?? 'GET';
  if (!rawRef) {
    if (method === 'POST') return send(res, 201, await svc.create(await json(req, API_BODY_LIMIT)));
    if (method === 'GET')
      return send(res, 200, svc.list(url.searchParams.get('Marker') ?? undefined, clampMaxItems(url.searchParams.get('MaxItems'))));
    throw unknown(method, url.pathname);
  }
  const name = functionName(rawRef);
  const key = `${method} ${sub}`;
  switch (key) {
    case 'POST invocations':
      return invoke(svc, name, req, res);
    case 'GET ': {
      const fn = svc.get(name);
      // Like Lambda's presigned S3 URL: a one-time, expiring download of the package (the host was checked by the auth gate).
      const zip = codeZipPath(fn.codeDir);
      const location = existsSync(zip) ? `http://${req.headers.host ?? '127.0.0.1'}${svc.codeLocations.issue(name, zip)}` : undefined;
      return send(res, 200, {
        Configuration: fn.config,
        Code: { RepositoryType: 'S3', ...(location ? { Location: location } : {}) },
        ...(fn.reserved === undefined ? {} : { Concurrency: { ReservedConcurrentExecutions: fn.reserved } }),
      });
    }
    case 'GET configuration':
      return send(res, 200, svc.get(name).config);
    case 'DELETE ':
      svc.delete(name);
      return send(res, 204);
    case 'PUT code': {
      const body = (await json(req, API_BODY_LIMIT)) as { ZipFile?: unknown; Architectures?: unknown };
      return send(res, 200, await svc.updateCode(name, body.ZipFile, body.Architectures));
    }
    case 'PUT configuration':
      return send(res, 200, svc.updateConfig(name, await json(req, API_BODY_LIMIT)));
    case 'PUT concurrency': {
      const n = ((await json(req, API_BODY_LIMIT)) as { ReservedConcurrentExecutions?: unknown }).ReservedConcurrentExecutions;
      // Lambda requires the field: a body of {} must not silently reserve 0 (which stops the function).
      if (n === undefined || n === null)
        throw invalidParameter("ReservedConcurrentExecutions is required: an integer from 0 to the account's concurrency limit.");
      if (typeof n !== 'number')
        throw invalidParameter(`ReservedConcurrentExecutions must be an integer, got ${JSON.stringify(n).slice(0, 100)}`);
      svc.setReserved(name, n);
      return send(res, 200, { ReservedConcurrentExecutions: n });
    }
    case 'DELETE concurrency':
      svc.setReserved(name, undefined);
      return send(res, 204);
    case 'GET concurrency': {
      const r = svc.get(name).reserved;
      return send(res, 200, r === undefined ? {} : { ReservedConcurrentExecutions: r });
    }
    default:
      throw unknown(method, url.pathname);
  }
}

async function invoke(svc: LambdaService, name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
  if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun')
    throw new LambdaApiError(400, 'InvalidParameterValueException', `Unsupported invocation type ${type}`);
  const raw = await readBody(req, type === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT);
  const payload = raw.length ? raw.toString('utf8') : '{}';
  try {
    JSON.parse(payload);
  } catch {
    throw new LambdaApiError(400, 'InvalidRequestContentException', 'Could not parse request body into json: payload is not valid JSON.');
  }
  if (type === 'DryRun') {
    svc.get(name);
    return send(res, 204);
  }
  if (type === 'Event') return send(res, 202, undefined, { 'x-amzn-RequestId': svc.invokeEvent(name, payload) });
  const clientContext = clientContextOf(req.headers['x-amz-client-context']);
  const o = await svc.invokeSync(name, payload, clientContext === undefined ? {} : { clientContext });
  const headers: Record<string, string> = {
    'x-amzn-RequestId': o.requestId,
    'X-Amz-Executed-Version': '$LATEST',
    'x-propack-instance-id': o.instanceId,
    'x-propack-cold': o.cold ? '1' : '0',
  };
  let body = Buffer.from(o.body);
  if (body.length > SYNC_PAYLOAD_LIMIT) {
    body = Buffer.from(responseTooLargeBody(body.length));
    headers['X-Amz-Function-Error'] = 'Unhandled';
  }
  if (!o.ok) headers['X-Amz-Function-Error'] = 'Unhandled';
  if (o.initMs !== undefined) headers['x-propack-init-ms'] = o.initMs.toFixed(2);
  if (req.headers['x-amz-log-type'] === 'Tail') headers['X-Amz-Log-Result'] = lastBytesBase64(o.log, 4096);
  send(res, 200, body, headers);
}

/** Lambda's limit on `X-Amz-Client-Context` (bytes of base64). */
const CLIENT_CONTEXT_LIMIT = 3583;

/** Invoke's client context as JSON text (sent base64; Lambda passes it to the runtime decoded), or undefined. */
function clientContextOf(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string' || header === '') return undefined;
  const bad = () =>
    new LambdaApiError(
      400,
      'InvalidRequestContentException',
      'Client context must be a valid Base64-encoded JSON object of at most 3,583 bytes.',
    );
  if (header.length > CLIENT_CONTEXT_LIMIT || !/^[A-Za-z0-9+/]+={0,2}$/.test(header)) throw bad();
  const text = Buffer.from(header, 'base64').toString('utf8');
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad();
  } catch {
    throw bad();
  }
  return text;
}

/** The last `n` bytes of the log, base64 (Lambda's `X-Amz-Log-Result`). */
function lastBytesBase64(log: string, n: number): string {
  const b = Buffer.from(log);
  return b.subarray(Math.max(0, b.length - n)).toString('base64');
}

function functionName(rawRef: string): string {
  let ref: string;
  try {
    ref = decodeURIComponent(rawRef);
  } catch {
    ref = rawRef;
  }
  const name = parseFunctionRef(ref);
  if (!name)
    throw new LambdaApiError(
      400,
      'ValidationException',
      `1 validation error detected: Value '${ref}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
    );
  return name;
}

async function json(req: IncomingMessage, limit: number): Promise<FunctionInput> {
  const raw = await readBody(req, limit);
  try {
    return raw.length ? (JSON.parse(raw.toString('utf8')) as FunctionInput) : {};
  } catch {
    throw new LambdaApiError(400, 'InvalidRequestContentException', 'Could not parse request body into json.');
  }
}

function clampMaxItems(v: string | null): number {
  const n = Number(v ?? 50);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, 50) : 50;
}

function unknown(method: string, path: string): LambdaApiError {
  return new LambdaApiError(404, 'UnknownOperationException', `Unknown operation ${method} ${path}`);
}
