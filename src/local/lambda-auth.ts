/** The Lambda server's authentication (api-auth.ts) in Lambda's refusal shape: 403, `x-amzn-ErrorType`, `{ message }`. */
import type { ServerResponse } from 'node:http';
import { ApiAuth, AUTH_ERROR_TYPES } from './api-auth';
import type { AccessKey } from './credentials';
import { send, sendError } from './http-util';
import { LambdaApiError } from './lambda-error';
import type { AuthFailureKind } from './request-auth';

/** Decides requests to the Lambda API: only the admin key gets in; the function role's key is refused. */
export class LambdaAuth extends ApiAuth {
  constructor(admin: AccessKey, functionRole: AccessKey | undefined, now?: () => number) {
    super(
      admin,
      functionRole,
      {
        service: 'lambda',
        apiName: 'the Lambda API',
        refuse,
        bodyError: (res, e) =>
          sendError(res, e instanceof LambdaApiError ? e : new LambdaApiError(400, 'InvalidRequestContentException', String(e))),
      },
      now,
    );
  }
}

/** Answers Lambda's 403; `keepAlive` only when the request's body has been read to its end. */
function refuse(res: ServerResponse, keepAlive: boolean, kind: AuthFailureKind, message: string): void {
  // Connection: close unless the body was read, so a large unread body is not drained for a refused client.
  send(res, 403, { message }, { 'x-amzn-ErrorType': AUTH_ERROR_TYPES[kind], ...(keepAlive ? {} : { Connection: 'close' }) });
}
