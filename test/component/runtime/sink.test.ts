import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { packEvent, wrapHandler, type PackedResponse } from '../../../src/runtime';
import { startLocalS3, type LocalS3 } from '../../support/s3';

const sdkLoaded = (): boolean => Object.keys(require.cache).some((k) => k.includes(`${'@aws-sdk'}/client-s3`));
let s3srv: LocalS3;
before(async () => {
  s3srv = await startLocalS3(['sink']);
});
after(() => s3srv.stop());

const h = wrapHandler((e) => {
  if (e === 'boom') throw new Error('boom');
  return Promise.resolve({ got: e });
});

test('a function that never uses a result sink never loads the S3 client', async () => {
  await h(packEvent([{ id: 'a', payload: 1 }]));
  assert.equal(sdkLoaded(), false);
});

test('resultSink: the same response is also written to S3 for Event invocations', async () => {
  const response = (await h(
    packEvent(
      [
        { id: 'a', payload: 1 },
        { id: 'b', payload: 'boom' },
      ],
      { resultSink: { bucket: 'sink', key: 'runs/r1/i0.json' } },
    ),
  )) as PackedResponse;
  assert.equal(sdkLoaded(), true);
  assert.deepEqual(
    response.__propack.tasks.map((t) => t.status),
    ['ok', 'error'],
  );
  const { createS3Client, getObjectJson } = await import('../../../src/runtime/s3');
  const s3 = createS3Client();
  assert.deepEqual(await getObjectJson(s3, 'sink', 'runs/r1/i0.json'), JSON.parse(JSON.stringify(response)));
  s3.destroy();
});

test('a failed sink write is reported in the response, which still returns', async () => {
  const response = (await h(
    packEvent([{ id: 'a', payload: 2 }], { resultSink: { bucket: 'no-such-bucket', key: 'k.json' } }),
  )) as PackedResponse;
  assert.equal(response.__propack.tasks[0].status, 'ok');
  assert.equal(response.__propack.sinkError?.type, 'NoSuchBucket');
});
