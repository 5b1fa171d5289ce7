/** The Lambda server's authentication: browser/host gate, then SigV4 with the platform's admin key. */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessKey } from './credentials';
import { expectBodyHash, readBody, send, sendError, setVerifiedBody } from './http-util';
import { LambdaApiError } from './lambda-error';
import { browserOrHostProblem, discardBody, SigV4Verifier, type AuthFailureKind } from './request-auth';

/** Largest body read to hash it when a request declares no x-amz-content-sha256 (the control-plane limit). */
const HASHED_BODY_LIMIT = 70 * 1024 * 1024;

/** Lambda's error type per failure (403 each, JSON `{ message }` as Lambda's API Gateway front answers). */
const LAMBDA_ERROR: Record<AuthFailureKind, string> = {
  browser: 'AccessDeniedException',
  host: 'AccessDeniedException',
  missing: 'MissingAuthenticationTokenException',
  presigned: 'IncompleteSignatureException',
  malformed: 'IncompleteSignatureException',
  'unknown-key': 'UnrecognizedClientException',
  token: 'UnrecognizedClientException',
  skewed: 'InvalidSignatureException',
  signature: 'InvalidSignatureException',
  forbidden: 'AccessDeniedException',
};

/** Decides requests to the Lambda API: only the admin key gets in; the function role's key is refused. */
export class LambdaAuth {
  private readonly verifier: SigV4Verifier;

  constructor(
    private readonly admin: AccessKey,
    private readonly functionRole: AccessKey | undefined,
    now?: () => number,
  ) {
    this.verifier = new SigV4Verifier(functionRole ? [admin, functionRole] : [admin], 'lambda', now);
  }

  /** True when the request may go on; otherwise it has been answered with Lambda's 403. */
  async admit(req: IncomingMessage, res: ServerResponse, port: number): Promise<boolean> {
    const gate = browserOrHostProblem(req, port);
    if (gate) return refuse(res, false, gate.kind, gate.message);
    let r;
    try {
      r = await this.verifier.verify(req, async () => {
        const body = await readBody(req, HASHED_BODY_LIMIT);
        setVerifiedBody(req, body);
        return createHash('sha256').update(body).digest('hex');
      });
    } catch (e) {
      sendError(res, e instanceof LambdaApiError ? e : new LambdaApiError(400, 'InvalidRequestContentException', String(e)));
      return false;
    }
    if (!r.ok) return refuse(res, await discardBody(req), r.kind, r.message);
    if (r.key !== this.admin) {
      return refuse(
        res,
        await discardBody(req),
        'forbidden',
        `User: arn:aws:sts::123456789012:assumed-role/propack-local-function/${r.key.accessKeyId} is not authorized to perform this Lambda API call: the function role may use S3 only.`,
      );
    }
    if (!/^[0-9a-f]{64}$/.test(r.payloadHash))
      return refuse(
        res,
        await discardBody(req),
        'signature',
        'The Lambda API needs a signed payload (x-amz-content-sha256 must be the hex SHA-256 of the body).',
      );
    expectBodyHash(req, r.payloadHash);
    return true;
  }
}

/** Answers Lambda's 403; `keepAlive` only when the request's body has been read to its end. */
function refuse(res: ServerResponse, keepAlive: boolean, kind: AuthFailureKind, message: string): false {
  // Connection: close unless the body was read, so a large unread body is not drained for a refused client.
  send(res, 403, { message }, { 'x-amzn-ErrorType': LAMBDA_ERROR[kind], ...(keepAlive ? {} : { Connection: 'close' }) });
  return false;
}
