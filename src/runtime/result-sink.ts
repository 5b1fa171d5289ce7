import { toTaskError } from './errors';
import type { PackedResponse, ResultSink, TaskError } from './protocol';
import { putObjectJson, sharedS3Client } from './s3';

/**
 * Writes a packed response to S3 so asynchronous (Event) invocations can be collected, PyWren-style.
 * Returns the error instead of throwing: the synchronous caller still gets its response.
 */
export async function writeResultSink(sink: ResultSink, response: PackedResponse): Promise<TaskError | undefined> {
  try {
    await putObjectJson(sharedS3Client(), sink.bucket, sink.key, response);
    return undefined;
  } catch (err) {
    console.error(`propack: result sink s3://${sink.bucket}/${sink.key} failed:`, err);
    return toTaskError(err);
  }
}
