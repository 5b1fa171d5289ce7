/** The Python stateless-cost workload (Pillow, boto3) run packed on the embedded platform in both Python modes. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import * as jpeg from 'jpeg-js';
import { runPacked, type TaskInput } from '../../../src/engine/packed-run';
import { openSession, type Session } from '../../../src/engine/session';
import { startLocalPlatform, type LocalPlatform } from '../../../src/local';
import { getObjectBytes } from '../../../src/runtime/s3';
import { checkImages } from '../../../benchmarks/stateless-cost/check';
import type { ImagePayload } from '../../../benchmarks/stateless-cost/handler';
import { prepareImages } from '../../../benchmarks/stateless-cost/input';
import { deployPythonWorkload, pythonWorkloadUnavailable } from '../../../benchmarks/stateless-cost-py/function';
import type { PreparedJob } from '../../../benchmarks/types';
import { targetOf } from '../local/helpers';

const MEMORY_MB = 3538;
const BAD = 2; // the task index whose payload lacks crop.width
let platform: LocalPlatform;
let session: Session;
let job: PreparedJob;

before(async () => {
  // Never a skip: CI installs these, and a machine without them must say how to get them.
  const missing = pythonWorkloadUnavailable('stateless-cost-py');
  if (missing) throw new Error(missing);
  platform = await startLocalPlatform({ preset: 'instant' });
  session = openSession(targetOf(platform));
  await session.s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
  job = await prepareImages(session.s3, {
    bucket: 'bench',
    prefix: 'py',
    tasks: 8,
    seed: 5,
    sizes: { width: 400, height: 300, distinctImages: 3, size: 120 },
  });
});
after(async () => {
  session?.close();
  await platform?.stop();
});

for (const mode of ['threads', 'processes'] as const) {
  test(`stateless-cost in Python, ${mode} at p=4: every thumbnail in S3 at its size, a bad payload fails alone with its ValueError`, async () => {
    const name = `thumbs-py-${mode}`;
    await deployPythonWorkload(session.lambda, {
      workload: 'stateless-cost-py',
      name,
      mode,
      memoryMb: MEMORY_MB,
      s3Endpoint: platform.s3Endpoint,
    });
    const payloads = (job.phases[0].payloads as ImagePayload[]).map((p) => ({
      ...p,
      outputKey: p.outputKey.replace('/output/', `/output-${mode}/`),
    }));
    const tasks: TaskInput[] = payloads.map((p, i) => {
      const payload = i === BAD ? { ...p, crop: { left: p.crop.left, top: p.crop.top, height: p.crop.height } } : p;
      return { id: `t${i}`, payload };
    });
    const r = await runPacked({
      invoker: session.invoker,
      functionName: name,
      fn: { memoryMb: MEMORY_MB, architecture: 'x86_64', region: platform.region },
      tasks,
      packingDegree: 4,
      maxAttempts: 1,
    });
    assert.equal(r.invocations.length, 2, 'eight tasks at p=4: two invocations');
    for (const [i, o] of r.outcomes.entries()) {
      if (i === BAD) {
        assert.equal(o.status, 'failed');
        assert.match(o.reason ?? '', /^ValueError: payload\.crop\.width must be an integer >= 1, got None\b/);
        continue;
      }
      assert.equal(o.status, 'succeeded', JSON.stringify(o));
      const result = o.result as { width: number; height: number; bytes: number };
      const bytes = await getObjectBytes(session.s3, 'bench', payloads[i].outputKey);
      assert.deepEqual(result, { width: 120, height: 120, bytes: bytes.length });
      const img = jpeg.decode(bytes, { useTArray: true });
      assert.deepEqual([img.width, img.height], [120, 120], payloads[i].outputKey);
    }
    await assert.rejects(getObjectBytes(session.s3, 'bench', payloads[BAD].outputKey), 'the failed task wrote nothing');
    // The right region and scale too: Pillow's bilinear is not the Node resampler, so this is the analytic check with its tolerance.
    const good = { ...job, phases: [{ name: 'resize', payloads: payloads.filter((_, i) => i !== BAD) }] };
    assert.deepEqual(await checkImages(session.s3, good), { ok: true, checked: 7, failures: [] });
  });
}
