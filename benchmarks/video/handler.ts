import * as jpeg from 'jpeg-js';
import { getObjectBytes, putObjectJson, sharedS3Client } from '../../src/runtime/s3';
import { BadInputError, intField, payloadObject, stringField } from '../shared/payload';
import { classify, extractFeatures } from './classify';
import { splitMjpeg } from './mjpeg';
import type { FrameLabel } from './scene';

/** Payload of one video task: scan the frames of one MJPEG chunk. */
export interface VideoPayload {
  bucket: string;
  chunkKey: string;
  /** Chunk index, echoed in the output so the check can find the ground truth. */
  chunk: number;
  outputKey: string;
}

/** What one task writes to `outputKey`. */
export interface VideoOutput {
  chunk: number;
  labels: FrameLabel[];
  frames: { area: number; fill: number; edgeDensity: number }[];
}

/** Decodes a chunk's JPEG frames, extracts features, classifies each frame, writes the labels to S3. */
export async function handler(event: unknown): Promise<{ chunk: number; frames: number; labels: FrameLabel[] }> {
  const o = payloadObject(event, 'video');
  const p: VideoPayload = {
    bucket: stringField(o, 'bucket'),
    chunkKey: stringField(o, 'chunkKey'),
    chunk: intField(o, 'chunk', 0),
    outputKey: stringField(o, 'outputKey'),
  };
  const s3 = sharedS3Client();
  const frames = splitMjpeg(await getObjectBytes(s3, p.bucket, p.chunkKey));
  if (frames.length === 0) throw new BadInputError(`${p.chunkKey}: no frames`);
  const out: VideoOutput = { chunk: p.chunk, labels: [], frames: [] };
  for (const frame of frames) {
    const img = jpeg.decode(frame, { useTArray: true, formatAsRGBA: true });
    const f = extractFeatures(img.data, img.width, img.height);
    out.labels.push(classify(f));
    out.frames.push({ area: f.area, fill: Number(f.fill.toFixed(4)), edgeDensity: Number(f.edgeDensity.toFixed(5)) });
  }
  await putObjectJson(s3, p.bucket, p.outputKey, out);
  return { chunk: p.chunk, frames: frames.length, labels: out.labels };
}
