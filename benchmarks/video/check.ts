import type { S3Client } from '@aws-sdk/client-s3';
import { getObjectJson } from '../../src/runtime/s3';
import { mapLimit } from '../shared/concurrency';
import { FailureList, type CheckReport, type PreparedJob } from '../types';
import type { VideoOutput, VideoPayload } from './handler';
import { videoKeys, type VideoTruth } from './input';

/** Verifies every task's frame labels against the generator's ground truth. */
export async function checkVideo(s3: S3Client, job: PreparedJob): Promise<CheckReport> {
  const truth = await getObjectJson<VideoTruth>(s3, job.bucket, videoKeys.truth(job.prefix));
  const payloads = job.phases[0].payloads as VideoPayload[];
  const failures = new FailureList();
  const counts = await mapLimit(payloads, 16, async (p) => {
    let out: VideoOutput;
    try {
      out = await getObjectJson<VideoOutput>(s3, p.bucket, p.outputKey);
    } catch (err) {
      failures.add(`${p.outputKey}: missing or unreadable (${(err as Error).name})`);
      return 0;
    }
    const expected = truth.chunks[p.chunk] ?? [];
    if (out.chunk !== p.chunk || out.labels.length !== expected.length) {
      failures.add(
        `${p.outputKey}: chunk ${out.chunk} with ${out.labels.length} labels, expected chunk ${p.chunk} with ${expected.length}`,
      );
    }
    expected.forEach((label, f) => {
      if (out.labels[f] !== label) failures.add(`${p.outputKey} frame ${f}: "${out.labels[f]}", expected "${label}"`);
    });
    return expected.length;
  });
  return failures.report(counts.reduce((a, b) => a + b, 0));
}
