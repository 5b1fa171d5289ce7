/** The S3 server's authentication: browser/host gate, then SigV4 with the admin or the function role's key. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AccessKey } from './credentials';
import { browserOrHostProblem, discardBody, SigV4Verifier, type AuthFailureKind } from './request-auth';

/** S3's error code per failure (403 each, S3's XML error body). */
const S3_ERROR: Record<AuthFailureKind, string> = {
  browser: 'AccessDenied',
  host: 'AccessDenied',
  missing: 'AccessDenied',
  presigned: 'AccessDenied',
  malformed: 'AuthorizationHeaderMalformed',
  'unknown-key': 'InvalidAccessKeyId',
  token: 'InvalidToken',
  skewed: 'RequestTimeTooSkewed',
  signature: 'SignatureDoesNotMatch',
  forbidden: 'AccessDenied',
};

const S3_MESSAGE: Partial<Record<AuthFailureKind, string>> = {
  missing: 'Access Denied',
  'unknown-key': 'The AWS Access Key Id you provided does not exist in our records.',
  token: 'The provided token is malformed or otherwise invalid.',
  skewed: 'The difference between the request time and the current time is too large.',
  signature: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
};

/** Decides requests to the S3 server (s3rver behind it sees only admitted ones). */
export class S3Auth {
  private readonly verifier: SigV4Verifier;

  /** `port`: the port clients address (the fault proxy's when one is in front). */
  constructor(
    keys: AccessKey[],
    private readonly port: number,
    now?: () => number,
  ) {
    this.verifier = new SigV4Verifier(keys, 's3', now);
  }

  /** True when the request may go on to s3rver; otherwise it has been answered with S3's 403. */
  async admit(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const gate = browserOrHostProblem(req, this.port);
    if (gate) return refuse(res, false, gate.kind, gate.message);
    // S3 requires x-amz-content-sha256 on every SigV4 request, so the signature never needs the body.
    const r = await this.verifier.verify(req);
    if (!r.ok) return refuse(res, await discardBody(req), r.kind, S3_MESSAGE[r.kind] ?? r.message, r.accessKeyId, r.message);
    return true;
  }
}

function xml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Answers S3's 403; `keepAlive` only when the request's body has been read to its end. */
function refuse(
  res: ServerResponse,
  keepAlive: boolean,
  kind: AuthFailureKind,
  message: string,
  accessKeyId?: string,
  detail?: string,
): false {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' +
    `<Code>${S3_ERROR[kind]}</Code><Message>${xml(message)}</Message>` +
    (accessKeyId ? `<AWSAccessKeyId>${xml(accessKeyId)}</AWSAccessKeyId>` : '') +
    (detail && detail !== message ? `<Detail>${xml(detail)}</Detail>` : '') +
    `<RequestId>${requestId}</RequestId></Error>`;
  // Connection: close unless the body was read, so a large unread upload is not drained for a refused client.
  res.writeHead(403, {
    'Content-Type': 'application/xml',
    'Content-Length': String(Buffer.byteLength(body)),
    'x-amz-request-id': requestId,
    ...(keepAlive ? {} : { Connection: 'close' }),
  });
  res.end(body);
  return false;
}
