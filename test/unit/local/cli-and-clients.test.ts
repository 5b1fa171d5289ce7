import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../../../src/cli/local-command';
import { sharedClientConfig } from '../../../src/platform/client-config';

test('local start flags parse; bad ones give one line', () => {
  assert.deepEqual(parseArgs(['start', '--port', '0', '--preset', 'aws-2021', '--data-dir', '/tmp/x', '--account-concurrency', '50', '--time-scale', '0.1']),
    { port: 0, preset: 'aws-2021', dataDir: '/tmp/x', accountConcurrency: 50, timeScale: 0.1 });
  for (const bad of [['stop'], ['start', '--port', '-1'], ['start', '--port'], ['start', '--preset', 'aws-2099'], ['start', '--account-concurrency', '0'], ['start', '--nope', '1']]) {
    const r = parseArgs(bad);
    assert.equal(typeof r, 'string', bad.join(' '));
    assert.ok(!(r as string).includes('\n'));
  }
});

test("client config: local gets endpoint and the platform's own key as static credentials (no profile), AWS gets the profile and no endpoint", () => {
  const credentials = { accessKeyId: 'AKIATESTKEY', secretAccessKey: 'secret' };
  const local = sharedClientConfig({ kind: 'local', lambdaEndpoint: 'http://127.0.0.1:1', s3Endpoint: 'http://127.0.0.1:2', region: 'us-east-1', credentials }, 'http://127.0.0.1:1', { maxSockets: 7, maxAttempts: 1 });
  assert.equal(local.endpoint, 'http://127.0.0.1:1');
  assert.deepStrictEqual(local.credentials, credentials);
  assert.equal(local.profile, undefined);
  assert.equal(local.maxAttempts, 1);
  assert.equal(local.requestHandler.httpAgent.maxSockets, 7);
  const aws = sharedClientConfig({ kind: 'aws', profile: 'work', region: 'eu-west-1' }, undefined, {});
  assert.equal(aws.endpoint, undefined);
  assert.equal(aws.credentials, undefined);
  assert.equal(aws.profile, 'work');
  assert.equal(aws.region, 'eu-west-1');
  assert.equal(aws.requestHandler.httpsAgent.maxSockets, 5000);
});
