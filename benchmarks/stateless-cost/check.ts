import type { S3Client } from '@aws-sdk/client-s3';
import * as jpeg from 'jpeg-js';
import { getObjectBytes, getObjectJson } from '../../src/runtime/s3';
import { mapLimit } from '../shared/concurrency';
import { FailureList, type CheckReport, type PreparedJob } from '../types';
import type { ImagePayload } from './handler';
import { sourceCoord } from './image';
import { imageKeys } from './input';
import { photoAt, type PhotoParams } from './scene';

const GRID = 20;
// JPEG at quality 85 of a smooth field stays within a few levels; a wrong crop or scale is off by tens.
const MAX_MEAN_ABS_ERROR = 6;

/**
 * Verifies each thumbnail: size×size JPEG whose pixels match the analytic photo at the crop+resize
 * source position (sampled on a grid), i.e. the right region, scale and orientation.
 */
export async function checkImages(s3: S3Client, job: PreparedJob): Promise<CheckReport> {
  const params = await getObjectJson<PhotoParams[]>(s3, job.bucket, imageKeys.params(job.prefix));
  const inputIndex = new Map(params.map((_, i) => [imageKeys.input(job.prefix, i), i]));
  const failures = new FailureList();
  const payloads = job.phases[0].payloads as ImagePayload[];
  const checked = await mapLimit(payloads, 8, async (p): Promise<number> => {
    const size = p.size ?? 300;
    let img: { width: number; height: number; data: Uint8Array };
    try {
      img = jpeg.decode(await getObjectBytes(s3, p.bucket, p.outputKey), { useTArray: true });
    } catch (err) {
      failures.add(`${p.outputKey}: missing or not a JPEG (${(err as Error).message || (err as Error).name})`);
      return 0;
    }
    if (img.width !== size || img.height !== size) {
      failures.add(`${p.outputKey}: ${img.width}x${img.height}, expected ${size}x${size}`);
      return 1;
    }
    const photo = params[inputIndex.get(p.inputKey) ?? -1];
    let err = 0;
    for (let gy = 0; gy < GRID; gy++) {
      for (let gx = 0; gx < GRID; gx++) {
        const x = Math.floor(((gx + 0.5) * size) / GRID);
        const y = Math.floor(((gy + 0.5) * size) / GRID);
        const expected = photoAt(photo, p.crop.left + sourceCoord(x, p.crop.width, size), p.crop.top + sourceCoord(y, p.crop.height, size));
        const o = (y * size + x) * 4;
        for (let c = 0; c < 3; c++) err += Math.abs(img.data[o + c] - expected[c]);
      }
    }
    const mae = err / (GRID * GRID * 3);
    if (!(mae <= MAX_MEAN_ABS_ERROR)) failures.add(`${p.outputKey}: mean pixel error ${mae.toFixed(1)} > ${MAX_MEAN_ABS_ERROR}`);
    return 1;
  });
  return failures.report(checked.reduce((a, b) => a + b, 0));
}
