/**
 * The synthesized CDK fixture end to end on the embedded platform: its template gives the function's
 * settings, its asset folder the handler; bundled with the packed runtime, deployed with those settings
 * and run packed, the handler sees them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { parseDeploymentFile } from '../../../src/core/templates/deployment-file';
import { buildBundle } from '../../../src/engine/bundle';
import { deployFunction, LOCAL_ROLE } from '../../../src/engine/deploy';
import { runPacked } from '../../../src/engine/packed-run';
import { openSession } from '../../../src/engine/session';
import { deployEnvironment, functionSettings } from '../../../src/extension/handlers/function-settings';
import { startLocalPlatform } from '../../../src/local';
import { targetOf } from '../local/helpers';

function cdkOut(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'test', 'fixtures', 'templates', 'cdk', 'cdk.out');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
  }
  throw new Error(`no test/fixtures/templates/cdk/cdk.out above ${__dirname}`);
}

test('a cdk.out function is deployed with its synthesized settings and runs packed', async () => {
  const dir = cdkOut();
  const [declared] = parseDeploymentFile('cdk.out/AppStack.template.json', readFileSync(join(dir, 'AppStack.template.json'), 'utf8'));
  const settings = functionSettings(declared);
  const env = deployEnvironment(settings, {});
  const platform = await startLocalPlatform({ preset: 'instant' });
  const session = openSession(targetOf(platform));
  try {
    const bundle = await buildBundle({ kind: 'file', file: join(dir, `${declared.modulePath}.js`), exportName: declared.exportName });
    await deployFunction(session.lambda, bundle, { name: declared.functionName, memoryMb: settings.memoryMb, architecture: settings.architecture, timeoutS: settings.timeoutS, role: LOCAL_ROLE, environment: env.variables });
    const c = await session.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'Greeter' }));
    assert.deepEqual([c.MemorySize, c.Timeout], [1536, 25]);
    const r = await runPacked({
      invoker: session.invoker, functionName: 'Greeter', fn: { memoryMb: 1536, architecture: 'x86_64', region: platform.region },
      tasks: ['ada', 'bo', 'cy'].map((name) => ({ id: name, payload: { name } })), packingDegree: 3,
    });
    assert.deepEqual(r.outcomes.map((o) => o.result), [{ greeting: 'hi ada' }, { greeting: 'hi bo' }, { greeting: 'hi cy' }]);
    assert.equal(r.metrics.invocations, 1);
  } finally {
    session.close();
    await platform.stop();
  }
});
