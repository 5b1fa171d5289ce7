import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { instanceVcpus } from '../../../src/runtime';

/** Loads the runtime afresh, as a new execution environment would. */
function freshRuntime(): typeof import('../../../src/runtime') {
  for (const key of Object.keys(require.cache)) if (key.includes('/src/runtime/')) delete require.cache[key];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module load is the point
  return require('../../../src/runtime') as typeof import('../../../src/runtime');
}

test('cold only on the first invocation of a module load; the instance id is stable', async () => {
  const rt = freshRuntime();
  const h = rt.wrapHandler(() => Promise.resolve('x'), { env: {} });
  const ev = rt.packEvent([{ id: 'a', payload: 1 }]);
  const first = (await h(ev)) as import('../../../src/runtime').PackedResponse;
  const second = (await h(ev)) as import('../../../src/runtime').PackedResponse;
  assert.equal(first.__propack.instance.cold, true);
  assert.equal(second.__propack.instance.cold, false);
  assert.equal(first.__propack.instance.id, second.__propack.instance.id);
  const again = freshRuntime().wrapHandler(() => Promise.resolve(), { env: {} });
  const other = (await again(ev)) as import('../../../src/runtime').PackedResponse;
  assert.equal(other.__propack.instance.cold, true, 'a new module load is a new instance');
  assert.notEqual(other.__propack.instance.id, first.__propack.instance.id);
});

test('an unpacked first invocation also counts as the cold one', async () => {
  const rt = freshRuntime();
  const h = rt.wrapHandler(() => Promise.resolve('plain'), { env: {} });
  assert.equal(await h({}), 'plain');
  const r = (await h(rt.packEvent([]))) as import('../../../src/runtime').PackedResponse;
  assert.equal(r.__propack.instance.cold, false);
  assert.deepEqual(r.__propack.tasks, []);
});

test('instance facts come from the environment', async () => {
  const rt = freshRuntime();
  const env = { PROPACK_INSTANCE_ID: 'inst-7', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '3008' };
  const r = (await rt.wrapHandler(() => Promise.resolve(), { env })(rt.packEvent([]))) as import('../../../src/runtime').PackedResponse;
  assert.deepEqual(r.__propack.instance, { id: 'inst-7', cold: true, vcpus: 2, memoryMb: 3008 });
});

test('vCPUs: PROPACK_VCPUS, else one per 1,769 MB (1..6), else the host', () => {
  assert.equal(instanceVcpus({ PROPACK_VCPUS: '3', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '10240' }), 3);
  assert.equal(instanceVcpus({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128' }), 1);
  assert.equal(instanceVcpus({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1769' }), 1);
  assert.equal(instanceVcpus({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1770' }), 2);
  assert.equal(instanceVcpus({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '10240' }), 6);
  assert.equal(instanceVcpus({ PROPACK_VCPUS: 'zero' }), availableParallelism());
});
