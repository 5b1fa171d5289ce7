/**
 * A minimal S3 client of the platform itself (the Step Functions Map's ItemReader and ResultWriter): GET and
 * PUT of one object, SigV4-signed with the platform's admin key exactly as the SDK signs them, so they pass
 * the S3 server's gate like any client. Not the SDK's S3 client: src/local imports no AWS SDK client.
 */
import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AccessKey } from './credentials';
import { NodeSha256 } from './request-auth';

/** An S3 request that failed: its HTTP status (0 when no answer came) and S3's error code. */
export class S3RequestError extends Error {
  override readonly name = 'S3RequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Attempts per request: S3's 500/503 (the fault proxy's too) and dropped connections are retried, as the SDK does. */
const ATTEMPTS = 4;
/** First retry delay (ms, emulated), doubling. */
const RETRY_BASE_MS = 100;

/** Path-segment encoding as S3 wants it (RFC 3986: also !'()*), so the signed path is the sent path. */
function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** GET/PUT of objects on the platform's S3 server, signed with one key. */
export class SignedS3 {
  private readonly url: URL;
  private readonly signer: SignatureV4;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 16 });

  /** `sleep(ms)` waits between retries (the platform's emulated clock); `timeoutMs` bounds a silent socket. */
  constructor(
    endpoint: string,
    key: AccessKey,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly timeoutMs = 30_000,
  ) {
    this.url = new URL(endpoint);
    this.signer = new SignatureV4({
      credentials: key,
      region: 'us-east-1',
      service: 's3',
      sha256: NodeSha256,
      uriEscapePath: false, // the path is encoded here once, as S3 signs it
      applyChecksum: false,
    });
  }

  /** The object's bytes; S3RequestError (404 NoSuchKey / NoSuchBucket, ...) otherwise. */
  async getObject(bucket: string, key: string): Promise<Buffer> {
    return this.send('GET', bucket, key, Buffer.alloc(0));
  }

  /** Writes the object (JSON text or bytes); S3RequestError when S3 refuses it. */
  async putObject(bucket: string, key: string, body: string | Buffer, contentType = 'application/json'): Promise<void> {
    await this.send('PUT', bucket, key, Buffer.from(body), contentType);
  }

  /** Closes the kept-alive sockets. */
  close(): void {
    this.agent.destroy();
  }

  private async send(method: 'GET' | 'PUT', bucket: string, key: string, body: Buffer, contentType?: string): Promise<Buffer> {
    let last: S3RequestError | undefined;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) await this.sleep(RETRY_BASE_MS * 2 ** (attempt - 1));
      try {
        return await this.once(method, bucket, key, body, contentType);
      } catch (e) {
        last = e instanceof S3RequestError ? e : new S3RequestError(0, 'NetworkError', (e as Error).message);
        if (last.status !== 0 && last.status < 500) throw last;
      }
    }
    throw last as S3RequestError;
  }

  private async once(method: string, bucket: string, key: string, body: Buffer, contentType?: string): Promise<Buffer> {
    const path = `/${encodeSegment(bucket)}/${key.split('/').map(encodeSegment).join('/')}`;
    const signed = await this.signer.sign({
      method,
      protocol: 'http:',
      hostname: this.url.hostname,
      port: Number(this.url.port),
      path,
      query: {},
      headers: {
        host: this.url.host,
        'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
        ...(method === 'PUT' ? { 'content-length': String(body.length), 'content-type': contentType ?? 'application/octet-stream' } : {}),
      },
      body,
    });
    return new Promise<Buffer>((resolve, reject) => {
      const req = request(
        { host: this.url.hostname, port: this.url.port, method, path, headers: signed.headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const data = Buffer.concat(chunks);
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve(data);
            const text = data.toString('utf8');
            const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? `HTTP${status}`;
            const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? text.slice(0, 200);
            reject(new S3RequestError(status, code, `${method} s3://${bucket}/${key}: ${code}: ${message}`));
          });
        },
      );
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`no answer from S3 within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(method === 'PUT' ? body : undefined);
    });
  }
}
