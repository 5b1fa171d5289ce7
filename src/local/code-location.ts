/**
 * `GetFunction`'s `Code.Location` on the embedded platform: as Lambda's is a presigned S3 URL valid for
 * ten minutes, ours is a URL on the Lambda server carrying a random token that only an authenticated
 * GetFunction hands out. A token names one function's code package on the server side (the URL holds no
 * path to a file), works once, and expires. Node built-ins only.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Lambda's presigned code URLs last 10 minutes. */
export const CODE_LOCATION_TTL_MS = 10 * 60_000;
/** The path prefix of code downloads on the Lambda server. */
export const CODE_PATH = '/propack-code/';

interface Grant {
  functionName: string;
  zipPath: string;
  expiresAt: number;
}

/** Why a download is refused, in S3's terms. */
export type CodeRefusal = { status: 403; code: 'AccessDenied'; message: string };

/** Issues and redeems code download tokens. */
export class CodeLocations {
  private readonly grants = new Map<string, Grant>();

  constructor(
    private readonly ttlMs = CODE_LOCATION_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** A URL path (with its token) that downloads `zipPath`, the code package of `functionName`, once within the TTL. */
  issue(functionName: string, zipPath: string): string {
    this.sweep();
    const token = randomBytes(32).toString('base64url');
    this.grants.set(token, { functionName, zipPath, expiresAt: this.now() + this.ttlMs });
    return `${CODE_PATH}${encodeURIComponent(functionName)}?token=${token}`;
  }

  /** The zip a request's token grants, or why not; a granted token is spent. */
  redeem(url: URL): { zipPath: string } | CodeRefusal {
    const name = decodeURIComponent(url.pathname.slice(CODE_PATH.length));
    const token = url.searchParams.get('token');
    const refuse = (message: string): CodeRefusal => ({ status: 403, code: 'AccessDenied', message });
    if (!token) return refuse('Access Denied: the code URL needs the token GetFunction gave with it.');
    const grant = this.grants.get(token);
    if (!grant || grant.functionName !== name) return refuse('Access Denied: the token is not one this platform gave for this function.');
    this.grants.delete(token);
    if (this.now() >= grant.expiresAt) return refuse('Request has expired: call GetFunction again for a fresh Code.Location.');
    return { zipPath: grant.zipPath };
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, g] of this.grants) if (now >= g.expiresAt) this.grants.delete(token);
  }
}

/** Answers a code download: the zip, or S3's XML error. */
export function serveCode(locations: CodeLocations, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const r =
    req.method === 'GET'
      ? locations.redeem(url)
      : { status: 403 as const, code: 'AccessDenied' as const, message: 'Access Denied: only GET downloads code.' };
  if ('status' in r) {
    res.writeHead(r.status, { 'content-type': 'application/xml', connection: 'close' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${r.code}</Code><Message>${r.message}</Message></Error>`);
    return;
  }
  if (!existsSync(r.zipPath)) {
    res.writeHead(404, { 'content-type': 'application/xml' });
    res.end(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The function\'s code package is gone (updated or deleted since GetFunction).</Message></Error>',
    );
    return;
  }
  res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(statSync(r.zipPath).size) });
  createReadStream(r.zipPath).pipe(res);
}
