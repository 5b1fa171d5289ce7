import type { S3Client } from '@aws-sdk/client-s3';
import * as jpeg from 'jpeg-js';
import { putObjectBytes, putObjectJson } from '../../src/runtime/s3';
import { mapLimit } from '../shared/concurrency';
import { Rng, subSeed } from '../shared/rng';
import { pad, resolveSizes } from '../shared/sizes';
import type { PrepareOptions, PreparedJob } from '../types';
import type { ImagePayload } from './handler';
import { renderPhoto, type PhotoParams } from './scene';

/** Size knobs: source photo pixels, distinct photos (tasks beyond reuse them), output side, JPEG quality. */
export const IMAGE_SIZES = { width: 800, height: 600, distinctImages: 8, size: 300, quality: 85 };
export type ImageSizes = typeof IMAGE_SIZES;

export const imageKeys = {
  input: (prefix: string, i: number) => `${prefix}/input/photo-${pad(i)}.jpg`,
  params: (prefix: string) => `${prefix}/photos.json`,
  output: (prefix: string, t: number) => `${prefix}/output/thumb-${pad(t)}.jpg`,
};

/** Photo `i`'s parameters, deterministic from (seed, i). */
export function photoParams(seed: number, i: number, sizes: ImageSizes): PhotoParams {
  const rng = new Rng(subSeed(seed, i));
  return { width: sizes.width, height: sizes.height, phase: rng.next() * 2 * Math.PI, fx: 1 + rng.next() * 2, fy: 1 + rng.next() * 2 };
}

/** Generates the photos into S3 and returns one payload per task, each with its own square crop. */
export async function prepareImages(s3: S3Client, opts: PrepareOptions): Promise<PreparedJob> {
  const sizes = resolveSizes(IMAGE_SIZES, opts.sizes);
  const seed = opts.seed ?? 1;
  const images = Math.min(opts.tasks, sizes.distinctImages);
  const params = Array.from({ length: images }, (_, i) => photoParams(seed, i, sizes));
  await mapLimit(params, 4, async (p, i) => {
    const data = jpeg.encode({ data: renderPhoto(p), width: p.width, height: p.height }, 92).data;
    await putObjectBytes(s3, opts.bucket, imageKeys.input(opts.prefix, i), data, 'image/jpeg');
  });
  await putObjectJson(s3, opts.bucket, imageKeys.params(opts.prefix), params);
  const rng = new Rng(subSeed(seed, 1_000_003));
  const short = Math.min(sizes.width, sizes.height);
  const payloads: ImagePayload[] = Array.from({ length: opts.tasks }, (_, t) => {
    const side = rng.int(Math.floor(short * 0.6), Math.floor(short * 0.9));
    return {
      bucket: opts.bucket,
      inputKey: imageKeys.input(opts.prefix, t % images),
      outputKey: imageKeys.output(opts.prefix, t),
      crop: { left: rng.int(0, sizes.width - side), top: rng.int(0, sizes.height - side), width: side, height: side },
      size: sizes.size,
      quality: sizes.quality,
    };
  });
  return { benchmark: 'stateless-cost', bucket: opts.bucket, prefix: opts.prefix, phases: [{ name: 'resize', payloads }], sizes };
}
