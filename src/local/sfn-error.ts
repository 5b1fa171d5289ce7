/** An error answered the way Step Functions answers it (AWS JSON 1.0): status and `{ "__type", "message" }`. */
export class SfnApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
