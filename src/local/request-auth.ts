/**
 * Request authentication of the embedded platform's two servers, the way AWS does it: a request from a
 * browser, or for a host other than 127.0.0.1/localhost on the server's port, is refused before anything
 * else; every other request must carry an AWS Signature Version 4 made with one of the platform's keys.
 * The signature is recomputed with the SDK's own signer (@smithy/signature-v4) over the request as it
 * arrived: method, path, query, the headers it names as signed, and the payload hash it declares in
 * x-amz-content-sha256 (a hex SHA-256, `UNSIGNED-PAYLOAD` or a `STREAMING-*` value: for aws-chunked
 * uploads that is the seed signature) or, when it declares none, the hash of its body.
 */
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AccessKey } from './credentials';

/** Why a request was refused; each server answers it with its own AWS error code. */
export type AuthFailureKind =
  | 'browser' // Origin or Sec-Fetch-* header: a web page
  | 'host' // Host is not 127.0.0.1/localhost on this port (DNS rebinding)
  | 'missing' // no Authorization header
  | 'presigned' // query-string authentication (not used by ProPack, not accepted)
  | 'malformed' // an Authorization header that is not SigV4
  | 'unknown-key' // an access key id the platform did not issue
  | 'token' // a session token missing, unexpected or wrong
  | 'skewed' // the request time is more than 15 minutes from now
  | 'signature' // the signature does not match
  | 'forbidden'; // a valid key not allowed on this server (the function role on the Lambda API)

export interface AuthFailure {
  ok: false;
  kind: AuthFailureKind;
  message: string;
  accessKeyId?: string;
}

export interface AuthSuccess {
  ok: true;
  /** Which of the server's keys signed the request. */
  key: AccessKey;
  /** The payload hash the signature covers (a hex hash the body must match, or a symbolic value). */
  payloadHash: string;
}

export type AuthResult = AuthSuccess | AuthFailure;

/** Lambda and S3 both allow 15 minutes between the request time and the server's clock. */
export const MAX_SKEW_MS = 15 * 60 * 1000;

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;_.-]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** node:crypto behind the signer's hash interface (the SDK's own hash-node does the same). */
export class NodeSha256 {
  private h: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = this.fresh();
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
  reset(): void {
    this.h = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }
}

function bytes(d: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof d === 'string') return Buffer.from(d, 'utf8');
  if (ArrayBuffer.isView(d)) return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  return Buffer.from(d);
}

/** Constant-time equality of two strings (false at once only when their lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a),
    y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The browser/host gate: refuses web pages (an `Origin` or `Sec-Fetch-*` header, which browsers add and
 * pages cannot remove) and any Host but `127.0.0.1:<port>` / `localhost:<port>`. Needs no body. `allowFetchMode`
 * lets `Sec-Fetch-Mode` alone through: Node's fetch sends it (and no other of them), browsers send all three.
 */
export function browserOrHostProblem(req: IncomingMessage, port: number, allowFetchMode = false): AuthFailure | undefined {
  const h = req.headers;
  if (
    h.origin !== undefined ||
    h['sec-fetch-site'] !== undefined ||
    (!allowFetchMode && h['sec-fetch-mode'] !== undefined) ||
    h['sec-fetch-dest'] !== undefined
  ) {
    return { ok: false, kind: 'browser', message: 'Requests from web browsers are refused by the ProPack local platform.' };
  }
  const host = (h.host ?? '').toLowerCase();
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    return {
      ok: false,
      kind: 'host',
      message: `Host "${h.host ?? ''}" is refused: the ProPack local platform answers only 127.0.0.1:${port} and localhost:${port}.`,
    };
  }
  return undefined;
}

/** The parts of a request the signature covers, split from `req.url` without decoding the path. */
function splitUrl(url: string): { path: string; query: Record<string, string | string[]> } {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query: Record<string, string | string[]> = {};
  if (q >= 0) {
    for (const part of url.slice(q + 1).split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      const k = decode(eq < 0 ? part : part.slice(0, eq)),
        v = eq < 0 ? '' : decode(part.slice(eq + 1));
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
  }
  return { path, query };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(',') : v;
}

/** Verifies SigV4 requests against a fixed set of keys for one service (`lambda` or `s3`). */
export class SigV4Verifier {
  private readonly keys = new Map<string, AccessKey>();
  private readonly signers = new Map<string, SignatureV4>();

  constructor(
    keys: AccessKey[],
    private readonly service: string,
    private readonly now: () => number = Date.now,
  ) {
    for (const k of keys) this.keys.set(k.accessKeyId, k);
  }

  /**
   * Checks the request's signature. `bodyHash` is called only when the request declares no
   * x-amz-content-sha256 (a signed body whose hash must be computed from the body itself).
   */
  async verify(req: IncomingMessage, bodyHash?: () => Promise<string>): Promise<AuthResult> {
    const h = req.headers;
    const url = req.url ?? '/';
    const auth = headerValue(h.authorization);
    if (auth === undefined) {
      return /[?&]X-Amz-(Signature|Credential)=/i.test(url)
        ? fail(
            'presigned',
            'Query-string (presigned) authentication is not accepted by the ProPack local platform; sign the Authorization header.',
          )
        : fail('missing', 'Missing Authentication Token');
    }
    const m = AUTH.exec(auth.trim());
    if (!m)
      return fail(
        'malformed',
        'Authorization header is not an AWS Signature Version 4 (AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...).',
      );
    const [, keyId, scopeDate, region, service, signedList, signature] = m;
    const key = this.keys.get(keyId);
    if (!key) return fail('unknown-key', 'The security token included in the request is invalid.', keyId);
    const amzDate = headerValue(h['x-amz-date']);
    const d = amzDate ? AMZ_DATE.exec(amzDate) : null;
    if (!amzDate || !d) return fail('malformed', "Authorization header requires existence of a valid 'X-Amz-Date' header.", keyId);
    const signed = signedList.split(';');
    if (!signed.includes('host') || !signed.includes('x-amz-date'))
      return fail('signature', 'The request signature must cover the host and x-amz-date headers.', keyId);
    const at = Date.UTC(+d[1], +d[2] - 1, +d[3], +d[4], +d[5], +d[6]);
    const now = this.now();
    if (Math.abs(now - at) > MAX_SKEW_MS) {
      const fmt = (t: number) => new Date(t).toISOString().replace(/[-:]|\.\d{3}/g, '');
      return fail(
        'skewed',
        at < now
          ? `Signature expired: ${amzDate} is now earlier than ${fmt(now - MAX_SKEW_MS)} (${fmt(now)} - 15 min.)`
          : `Signature not yet current: ${amzDate} is still later than ${fmt(now + MAX_SKEW_MS)} (${fmt(now)} + 15 min.)`,
        keyId,
      );
    }
    if (service !== this.service || scopeDate !== amzDate.slice(0, 8)) return fail('signature', signatureMismatch, keyId);
    const token = headerValue(h['x-amz-security-token']);
    if (
      (key.sessionToken === undefined) !== (token === undefined) ||
      (key.sessionToken !== undefined && (!signed.includes('x-amz-security-token') || !safeEqual(token ?? '', key.sessionToken)))
    ) {
      return fail('token', 'The security token included in the request is invalid.', keyId);
    }
    const headers: Record<string, string> = {};
    for (const name of signed) {
      const v = headerValue(h[name]);
      if (v === undefined) return fail('signature', signatureMismatch, keyId);
      headers[name] = v;
    }
    // The declared payload hash is what the client signed; without one, the body's hash is.
    let payloadHash = headers['x-amz-content-sha256'] ?? headerValue(h['x-amz-content-sha256']);
    if (payloadHash === undefined) {
      if (!bodyHash) return fail('signature', 'Missing required header for this request: x-amz-content-sha256', keyId);
      payloadHash = await bodyHash();
    }
    headers['x-amz-content-sha256'] = payloadHash;
    const { path, query } = splitUrl(url);
    const signedReq = await this.signer(key).sign(
      { method: req.method ?? 'GET', protocol: 'http:', hostname: '127.0.0.1', path, query, headers },
      {
        signingDate: new Date(at),
        signingRegion: region,
        signingService: service,
        signableHeaders: new Set(signed),
        // Hash the request by its declared value without signing the header unless the client did.
        ...(signed.includes('x-amz-content-sha256') ? {} : { unsignableHeaders: new Set(['x-amz-content-sha256']) }),
      },
    );
    const expected = /Signature=([0-9a-f]{64})$/.exec(String(signedReq.headers.authorization ?? ''))?.[1] ?? '';
    const expectedList = /SignedHeaders=([^,]+),/.exec(String(signedReq.headers.authorization ?? ''))?.[1];
    if (!safeEqual(expected, signature) || expectedList !== signedList) return fail('signature', signatureMismatch, keyId);
    return { ok: true, key, payloadHash };
  }

  private signer(key: AccessKey): SignatureV4 {
    let s = this.signers.get(key.accessKeyId);
    if (!s) {
      s = new SignatureV4({
        credentials: key,
        region: 'us-east-1',
        service: this.service,
        sha256: NodeSha256,
        uriEscapePath: this.service !== 's3',
        applyChecksum: false,
      });
      this.signers.set(key.accessKeyId, s);
    }
    return s;
  }
}

const signatureMismatch =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.';

function fail(kind: AuthFailureKind, message: string, accessKeyId?: string): AuthFailure {
  return { ok: false, kind, message, ...(accessKeyId ? { accessKeyId } : {}) };
}

/** Largest body read (and discarded) so a refused client sees its 403 rather than a reset mid-upload. */
export const DISCARD_LIMIT = 1024 * 1024;

/**
 * Before answering a refusal: reads and discards the request body up to `limit` bytes, so a client still
 * uploading sees the 403 instead of a reset socket. True when the body ended (the connection can stay
 * open); false when it was larger or absent-but-streaming past the limit (answer with Connection: close).
 * Browser and foreign-Host refusals skip this: their bodies are never read.
 */
export function discardBody(req: IncomingMessage, limit = DISCARD_LIMIT): Promise<boolean> {
  if (req.complete) return Promise.resolve(true);
  const length = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(length) && length > limit) return Promise.resolve(false);
  return new Promise((resolve) => {
    let size = 0;
    const done = (ok: boolean) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      if (!ok) req.pause();
      resolve(ok);
    };
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) done(false);
    };
    const onEnd = () => done(true);
    const onError = () => done(false);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
