import type { S3Client } from '@aws-sdk/client-s3';
import * as jpeg from 'jpeg-js';
import { putObjectBytes, putObjectJson } from '../../src/runtime/s3';
import { mapLimit } from '../shared/concurrency';
import { Rng, subSeed } from '../shared/rng';
import { pad, resolveSizes } from '../shared/sizes';
import type { PrepareOptions, PreparedJob } from '../types';
import type { VideoPayload } from './handler';
import { labelOf, randomScene, renderFrame, type FrameLabel } from './scene';

/** Size knobs: frame pixels, frames per task, JPEG quality, and distinct chunks (tasks beyond reuse them). */
export const VIDEO_SIZES = { width: 320, height: 240, framesPerTask: 8, quality: 80, distinctChunks: 8 };
export type VideoSizes = typeof VIDEO_SIZES;

/** The ground truth written beside the input. */
export interface VideoTruth {
  chunks: FrameLabel[][];
}

/** One MJPEG chunk (concatenated JPEGs) and its frames' labels, deterministic from (seed, chunk). */
export function generateChunk(seed: number, chunk: number, sizes: VideoSizes): { mjpeg: Uint8Array; labels: FrameLabel[] } {
  const rng = new Rng(subSeed(seed, chunk));
  const parts: Uint8Array[] = [];
  const labels: FrameLabel[] = [];
  for (let f = 0; f < sizes.framesPerTask; f++) {
    const obj = randomScene(rng, sizes.width, sizes.height);
    const rgba = renderFrame(rng, sizes.width, sizes.height, obj);
    parts.push(jpeg.encode({ data: rgba, width: sizes.width, height: sizes.height }, sizes.quality).data);
    labels.push(labelOf(obj));
  }
  return { mjpeg: Buffer.concat(parts), labels };
}

export const videoKeys = {
  chunk: (prefix: string, c: number) => `${prefix}/input/chunk-${pad(c)}.mjpeg`,
  truth: (prefix: string) => `${prefix}/truth.json`,
  output: (prefix: string, t: number) => `${prefix}/output/task-${pad(t)}.json`,
};

/** Generates the clip's chunks and ground truth into S3 and returns one payload per task. */
export async function prepareVideo(s3: S3Client, opts: PrepareOptions): Promise<PreparedJob> {
  const sizes = resolveSizes(VIDEO_SIZES, opts.sizes);
  const seed = opts.seed ?? 1;
  const chunks = Math.min(opts.tasks, sizes.distinctChunks);
  const labels = await mapLimit(
    Array.from({ length: chunks }, (_, c) => c),
    8,
    async (c) => {
      const g = generateChunk(seed, c, sizes);
      await putObjectBytes(s3, opts.bucket, videoKeys.chunk(opts.prefix, c), g.mjpeg, 'video/x-motion-jpeg');
      return g.labels;
    },
  );
  await putObjectJson(s3, opts.bucket, videoKeys.truth(opts.prefix), { chunks: labels } satisfies VideoTruth);
  const payloads: VideoPayload[] = Array.from({ length: opts.tasks }, (_, t) => ({
    bucket: opts.bucket,
    chunkKey: videoKeys.chunk(opts.prefix, t % chunks),
    chunk: t % chunks,
    outputKey: videoKeys.output(opts.prefix, t),
  }));
  return { benchmark: 'video', bucket: opts.bucket, prefix: opts.prefix, phases: [{ name: 'scan', payloads }], sizes };
}
