/**
 * Confines s3rver's file store to its data folder (runs in the S3 child). s3rver joins bucket names,
 * multipart upload ids and part numbers into paths unchecked, so `uploadId=..%2F..%2Fx` wrote outside the
 * folder. Upload ids and part numbers are validated as S3 does (404 NoSuchUpload, 400 InvalidArgument), and
 * every path the store computes must lie inside its root, else 400 InvalidArgument before any file is touched.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import S3Error from 's3rver/lib/models/error';
import FilesystemStore from 's3rver/lib/stores/filesystem';
import { isInside, isTraversalKey, isUploadId, NO_SUCH_UPLOAD, partNumberProblem } from './s3-key-guard';

type Method = (this: Store, ...args: unknown[]) => unknown;
type Store = FilesystemStore & Record<'initiateUpload' | 'putPart' | 'putObjectMultipart', Method>;

/** Patches FilesystemStore's path helpers and multipart methods (once per process). */
export function guardFilesystemStore(): void {
  const proto = FilesystemStore.prototype as unknown as Store;
  const inRoot = (store: FilesystemStore, p: string, what: string): string => {
    if (!isInside(store.rootDirectory, p))
      throw new S3Error('InvalidArgument', `The local platform refuses a ${what} outside its data folder`, { ArgumentName: what });
    return p;
  };
  const bucketPath = proto.getBucketPath as (this: FilesystemStore, bucket: string) => string;
  proto.getBucketPath = function (this: FilesystemStore, bucket: unknown): string {
    if (typeof bucket !== 'string' || bucket === '' || isTraversalKey(bucket) || /[\\/]/.test(bucket)) {
      throw new S3Error('InvalidBucketName', 'The specified bucket is not valid.', { BucketName: String(bucket).slice(0, 200) });
    }
    return inRoot(this, bucketPath.call(this, bucket), 'bucket');
  };
  const resourcePath = proto.getResourcePath as (this: FilesystemStore, ...a: unknown[]) => string;
  proto.getResourcePath = function (this: FilesystemStore, ...a: unknown[]): string {
    return inRoot(this, resourcePath.apply(this, a), 'key');
  };
  const uploadDir = (store: FilesystemStore, bucket: string, uploadId: unknown): string => {
    if (!isUploadId(uploadId)) throw new S3Error('NoSuchUpload', NO_SUCH_UPLOAD, { UploadId: String(uploadId).slice(0, 200) });
    return inRoot(store, join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId), 'uploadId');
  };
  const initiate = proto.initiateUpload;
  proto.initiateUpload = function (this: Store, bucket: unknown, key: unknown, uploadId: unknown, ...rest: unknown[]) {
    uploadDir(this, String(bucket), uploadId);
    return initiate.apply(this, [bucket, key, uploadId, ...rest]);
  };
  const putPart = proto.putPart;
  proto.putPart = function (this: Store, bucket: unknown, uploadId: unknown, partNumber: unknown, content: unknown) {
    const problem = partNumberProblem(partNumber);
    if (problem)
      throw new S3Error('InvalidArgument', problem, { ArgumentName: 'partNumber', ArgumentValue: String(partNumber).slice(0, 200) });
    const dir = uploadDir(this, String(bucket), uploadId);
    if (!existsSync(join(dir, 'key'))) throw new S3Error('NoSuchUpload', NO_SUCH_UPLOAD, { UploadId: uploadId as string });
    return putPart.call(this, bucket, uploadId, String(Number(partNumber)), content);
  };
  const complete = proto.putObjectMultipart;
  proto.putObjectMultipart = function (this: Store, bucket: unknown, uploadId: unknown, parts: unknown) {
    const dir = uploadDir(this, String(bucket), uploadId);
    if (!existsSync(join(dir, 'key'))) throw new S3Error('NoSuchUpload', NO_SUCH_UPLOAD, { UploadId: uploadId as string });
    for (const part of parts as { number: unknown }[]) {
      const problem = partNumberProblem(part.number);
      if (problem)
        throw new S3Error('InvalidArgument', problem, { ArgumentName: 'partNumber', ArgumentValue: String(part.number).slice(0, 200) });
      if (!existsSync(join(dir, String(part.number))))
        throw new S3Error(
          'InvalidPart',
          "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        );
    }
    return complete.call(this, bucket, uploadId, parts);
  };
}
