import * as jpeg from 'jpeg-js';
import { getObjectBytes, putObjectBytes, sharedS3Client } from '../../src/runtime/s3';
import { BadInputError, intField, payloadObject, stringField } from '../shared/payload';
import { crop, resizeBilinear, type CropRect } from './image';

/** Payload of one image task. */
export interface ImagePayload {
  bucket: string;
  inputKey: string;
  outputKey: string;
  crop: CropRect;
  /** Output side in pixels (default 300). */
  size?: number;
  /** JPEG quality 1–100 (default 85). */
  quality?: number;
}

function cropField(o: Record<string, unknown>): CropRect {
  const c = o.crop;
  if (typeof c !== 'object' || c === null) throw new BadInputError('payload.crop must be { left, top, width, height }');
  const r = c as Record<string, unknown>;
  return { left: intField(r, 'left', 0), top: intField(r, 'top', 0), width: intField(r, 'width', 1), height: intField(r, 'height', 1) };
}

/** Decodes a JPEG from S3, crops it, resizes it to size×size (bilinear), encodes it and writes it to S3. */
export async function handler(event: unknown): Promise<{ width: number; height: number; bytes: number }> {
  const o = payloadObject(event, 'stateless-cost');
  const bucket = stringField(o, 'bucket');
  const inputKey = stringField(o, 'inputKey');
  const outputKey = stringField(o, 'outputKey');
  const rect = cropField(o);
  const size = intField(o, 'size', 1, 300);
  const quality = intField(o, 'quality', 1, 85);
  const s3 = sharedS3Client();
  const decoded = jpeg.decode(await getObjectBytes(s3, bucket, inputKey), { useTArray: true, formatAsRGBA: true });
  const resized = resizeBilinear(crop(decoded, rect), size, size);
  const encoded = jpeg.encode(resized, quality).data;
  await putObjectBytes(s3, bucket, outputKey, encoded, 'image/jpeg');
  return { width: size, height: size, bytes: encoded.length };
}
