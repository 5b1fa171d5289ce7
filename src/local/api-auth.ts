/**
 * Authentication of the platform's JSON APIs (Lambda, Step Functions): the browser/host gate, then SigV4
 * with the platform's admin key over a body whose hash the signature covers. Each API answers refusals in
 * its own error shape (`Refuse`).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessKey } from './credentials';
import { expectBodyHash, readBody, setVerifiedBody } from './http-util';
import { browserOrHostProblem, discardBody, SigV4Verifier, type AuthFailureKind } from './request-auth';

/** Default largest body read to hash it when a request declares no x-amz-content-sha256 (Lambda's control-plane limit). */
const HASHED_BODY_LIMIT = 70 * 1024 * 1024;

/** Answers one refusal; `keepAlive` only when the request's body has been read to its end. */
/** AWS's error type per authentication failure (403 each), as Lambda and Step Functions both name them. */
export const AUTH_ERROR_TYPES: Readonly<Record<AuthFailureKind, string>> = {
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

export type Refuse = (res: ServerResponse, keepAlive: boolean, kind: AuthFailureKind, message: string) => void;

/** How one API names itself and answers refusals and unreadable bodies. */
export interface ApiAuthStyle {
  /** The SigV4 signing name (`lambda`, `states`). */
  service: string;
  /** The API in messages: "the Lambda API". */
  apiName: string;
  refuse: Refuse;
  /** Largest body (bytes) read to hash it; larger ones get `bodyError` (default 70 MiB). */
  bodyLimit?: number;
  /** Answers a body that could not be read (too large, reset). */
  bodyError(res: ServerResponse, e: unknown): void;
}

/** Decides requests to one API: only the admin key gets in; the function role's key is refused by name. */
export class ApiAuth {
  private readonly verifier: SigV4Verifier;

  constructor(
    private readonly admin: AccessKey,
    functionRole: AccessKey | undefined,
    private readonly style: ApiAuthStyle,
    now?: () => number,
  ) {
    this.verifier = new SigV4Verifier(functionRole ? [admin, functionRole] : [admin], style.service, now);
  }

  /** True when the request may go on; otherwise it has been answered with the API's 403. */
  async admit(req: IncomingMessage, res: ServerResponse, port: number): Promise<boolean> {
    const { refuse, apiName } = this.style;
    const gate = browserOrHostProblem(req, port);
    if (gate) {
      refuse(res, false, gate.kind, gate.message);
      return false;
    }
    let r;
    try {
      r = await this.verifier.verify(req, async () => {
        const body = await readBody(req, this.style.bodyLimit ?? HASHED_BODY_LIMIT);
        setVerifiedBody(req, body);
        return createHash('sha256').update(body).digest('hex');
      });
    } catch (e) {
      this.style.bodyError(res, e);
      return false;
    }
    if (!r.ok) {
      refuse(res, await discardBody(req), r.kind, r.message);
      return false;
    }
    if (r.key !== this.admin) {
      const who = `arn:aws:sts::123456789012:assumed-role/propack-local-function/${r.key.accessKeyId}`;
      refuse(
        res,
        await discardBody(req),
        'forbidden',
        `User: ${who} is not authorized to call ${apiName}: the function role may use S3 only.`,
      );
      return false;
    }
    if (!/^[0-9a-f]{64}$/.test(r.payloadHash)) {
      const message = `Requests to ${apiName} need a signed payload (x-amz-content-sha256 must be the hex SHA-256 of the body).`;
      refuse(res, await discardBody(req), 'signature', message);
      return false;
    }
    expectBodyHash(req, r.payloadHash);
    return true;
  }
}
