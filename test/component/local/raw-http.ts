import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, SourceData } from '@smithy/types';

/** SHA-256 / HMAC-SHA-256 in the shape the SigV4 signer wants. */
class Sha256 {
  private readonly h;
  constructor(secret?: SourceData) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.h.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
}

function bytes(d: SourceData): string | Uint8Array {
  return typeof d === 'string'
    ? d
    : d instanceof Uint8Array
      ? d
      : ArrayBuffer.isView(d)
        ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength)
        : new Uint8Array(d);
}

/** A raw HTTP answer. */
export interface RawAnswer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Sends one request with an exact (already encoded) path, signed with SigV4 using `credentials` (the same a
 * real SDK client of the platform uses), so tests can send what the SDK would never produce.
 */
export async function signedRaw(
  endpoint: string,
  service: 's3' | 'lambda' | 'states',
  credentials: AwsCredentialIdentity,
  method: string,
  rawPath: string,
  opts: { host?: string; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  const url = new URL(endpoint);
  const body = opts.body === undefined ? Buffer.alloc(0) : Buffer.from(opts.body);
  const [path, qs = ''] = rawPath.split('?');
  const query: Record<string, string> = {};
  for (const part of qs.split('&').filter(Boolean)) {
    const [k, v = ''] = part.split('=');
    query[decodeURIComponent(k)] = decodeURIComponent(v);
  }
  const host = opts.host ?? url.host;
  const signer = new SignatureV4({
    credentials,
    region: 'us-east-1',
    service,
    sha256: Sha256,
    uriEscapePath: service !== 's3',
    applyChecksum: true,
  });
  const signed = await signer.sign({
    method,
    protocol: 'http:',
    hostname: host.split(':')[0],
    port: Number(url.port),
    path: decodeURIComponent(path),
    query,
    headers: {
      host,
      'content-length': String(body.length),
      'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
      ...opts.headers,
    },
    body,
  });
  return new Promise((resolve, reject) => {
    const r = request({ host: url.hostname, port: url.port, method, path: rawPath, headers: signed.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    r.on('error', reject);
    r.end(body);
  });
}
