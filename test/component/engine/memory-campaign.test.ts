import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { validateProfile } from '../../../src/core/profile';
import { buildBundle } from '../../../src/engine/bundle';
import { deployFunction, LOCAL_ROLE } from '../../../src/engine/deploy';
import { runMemoryCampaign } from '../../../src/engine/memory-campaign';
import { openSession } from '../../../src/engine/session';
import { startLocalPlatform } from '../../../src/local';
import { syntheticProfile } from '../../support/fixtures';
import { targetOf } from '../local/helpers';

const HANDLER = `
exports.handler = async (event) => {
  let x = 0;
  for (let i = 0; i < event.spins; i++) x = (x * 31 + i) % 1000003;
  return { x, vcpuShare: process.env.PROPACK_VCPU_SHARE, enforced: process.env.PROPACK_CPU_ENFORCED };
};`;

test('a memory campaign measures packing at each size, yields valid variants and restores the function', async () => {
  const platform = await startLocalPlatform({ preset: 'instant', enforceCpu: true });
  const session = openSession(targetOf(platform));
  try {
    const dir = mkdtempSync(join(tmpdir(), 'propack-mem-'));
    writeFileSync(join(dir, 'handler.js'), HANDLER);
    const bundle = await buildBundle({ kind: 'file', file: join(dir, 'handler.js') });
    const fn = { name: 'mem', memoryMb: 1769, architecture: 'x86_64' as const, region: 'us-east-1' };
    const deploy = { timeoutS: 60, role: LOCAL_ROLE };
    await deployFunction(session.lambda, bundle, { ...deploy, name: fn.name, memoryMb: fn.memoryMb, architecture: fn.architecture });
    const steps: string[] = [];
    const variants = await runMemoryCampaign({
      session,
      fn,
      configure: (memoryMb, architecture) => deployFunction(session.lambda, bundle, { ...deploy, name: fn.name, memoryMb, architecture }),
      configurations: [
        { memoryMb: 1769, architecture: 'x86_64' },
        { memoryMb: 884, architecture: 'x86_64' },
        { memoryMb: 3538, architecture: 'x86_64' },
      ],
      degrees: [2],
      makeTasks: (count, round) => Array.from({ length: count }, (_, i) => ({ id: `m${round}-${i}`, payload: { spins: 20000 } })),
      repetitions: { min: 1, max: 1, targetCv: 1 },
      modeFor: (v) => (v <= 1 ? 'async' : 'threads'),
      onStep: (s) => steps.push(s),
    });
    assert.deepEqual(
      variants.map((v) => [v.memoryMb, v.vcpus]),
      [
        [884, 0.5],
        [3538, 2],
      ],
    );
    for (const v of variants)
      assert.deepEqual(
        v.packing.samples.map((s) => s.degree),
        [1, 2],
      );
    assert.ok(steps.some((s) => s.includes('884 MB')));
    const cfg = await session.lambda.send(new GetFunctionCommand({ FunctionName: 'mem' }));
    assert.equal(cfg.Configuration?.MemorySize, 1769, 'the function is back at its own size');
    const profile = { ...syntheticProfile({ memoryMb: 1769 }), variants };
    assert.equal(validateProfile(JSON.parse(JSON.stringify(profile)), 'campaign').variants?.length, 2);
  } finally {
    session.close();
    await platform.stop();
  }
});
