/** The Step Functions server's authentication (api-auth.ts) in AWS JSON 1.0's refusal shape. */
import type { ServerResponse } from 'node:http';
import { ApiAuth, AUTH_ERROR_TYPES } from './api-auth';
import type { AccessKey } from './credentials';
import { LambdaApiError } from './lambda-error';
import type { AuthFailureKind } from './request-auth';
import { SfnApiError } from './sfn-error';
import { sendSfnError } from './sfn-http';

/** Largest request body (bytes): a 1 MiB definition, JSON-escaped, with room for the other fields. */
export const SFN_BODY_LIMIT = 3 * 1024 * 1024;

/** Decides requests to the Step Functions API: only the admin key gets in (signing name `states`). */
export class SfnAuth extends ApiAuth {
  constructor(admin: AccessKey, functionRole: AccessKey | undefined, now?: () => number) {
    super(
      admin,
      functionRole,
      {
        service: 'states',
        apiName: 'the Step Functions API',
        bodyLimit: SFN_BODY_LIMIT,
        refuse,
        bodyError: (res, e) =>
          sendSfnError(
            res,
            e instanceof LambdaApiError
              ? new SfnApiError(e.type, e.message, e.status)
              : new SfnApiError('SerializationException', String(e)),
          ),
      },
      now,
    );
  }
}

function refuse(res: ServerResponse, keepAlive: boolean, kind: AuthFailureKind, message: string): void {
  // Connection: close unless the body was read, so a large unread body is not drained for a refused client.
  sendSfnError(res, new SfnApiError(AUTH_ERROR_TYPES[kind], message, 403), keepAlive ? {} : { Connection: 'close' });
}
