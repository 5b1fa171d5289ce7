/** An error answered to the client the way Lambda answers it: status, `x-amzn-ErrorType`, JSON body. */
export class LambdaApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** 404 for a function that does not exist (Lambda's wording and type). */
export function notFound(arn: string): LambdaApiError {
  return new LambdaApiError(404, 'ResourceNotFoundException', `Function not found: ${arn}`);
}

/** 400 for a request field that fails a constraint. */
export function invalidParameter(message: string): LambdaApiError {
  return new LambdaApiError(400, 'InvalidParameterValueException', message);
}

/** Lambda's synchronous payload limit (bytes), for requests and responses alike: 6 MB. */
export const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;

/** Lambda's error document for a function response over 6 MB (`bytes` long), as the Invoke caller gets it. */
export function responseTooLargeBody(bytes: number): string {
  return JSON.stringify({
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: `Response payload size (${bytes} bytes) exceeded maximum allowed payload size (${SYNC_PAYLOAD_LIMIT} bytes).`,
  });
}
