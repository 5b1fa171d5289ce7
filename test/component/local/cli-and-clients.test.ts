import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { DescribeExecutionCommand, ExecutionDoesNotExist } from '@aws-sdk/client-sfn';
import { parseArgs } from '../../../src/cli/local-command';
import { envLocalTarget, readEndpointFile } from '../../../src/cli/platform-flags';
import { createLambdaClient, createSfnClient } from '../../../src/platform';
import { sharedClientConfig } from '../../../src/platform/client-config';

test('local start flags parse; bad ones give one line', () => {
  assert.deepEqual(
    parseArgs([
      'start',
      '--port',
      '0',
      '--preset',
      'aws-2021',
      '--data-dir',
      '/tmp/x',
      '--account-concurrency',
      '50',
      '--time-scale',
      '0.1',
    ]),
    { port: 0, preset: 'aws-2021', dataDir: '/tmp/x', accountConcurrency: 50, timeScale: 0.1 },
  );
  for (const bad of [
    ['stop'],
    ['start', '--port', '-1'],
    ['start', '--port'],
    ['start', '--preset', 'aws-2099'],
    ['start', '--account-concurrency', '0'],
    ['start', '--nope', '1'],
  ]) {
    const r = parseArgs(bad);
    assert.equal(typeof r, 'string', bad.join(' '));
    assert.ok(!(r as string).includes('\n'));
  }
});

test("client config: local gets endpoint and the platform's own key as static credentials (no profile), AWS gets the profile and no endpoint", () => {
  const credentials = { accessKeyId: 'AKIATESTKEY', secretAccessKey: 'secret' };
  const local = sharedClientConfig(
    { kind: 'local', lambdaEndpoint: 'http://127.0.0.1:1', s3Endpoint: 'http://127.0.0.1:2', region: 'us-east-1', credentials },
    'http://127.0.0.1:1',
    { maxSockets: 7, maxAttempts: 1 },
  );
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

test('local start prints the endpoints and the path of endpoint.json (0600), never the secret; clients connect with the file', async () => {
  const data = mkdtempSync(join(tmpdir(), 'propack-start-'));
  const child = spawn(
    process.execPath,
    [resolve(__dirname, '../../../../dist/cli.js'), 'local', 'start', '--port', '0', '--preset', 'instant', '--data-dir', data],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '',
    stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    const line = await new Promise<string>((ok, fail) => {
      createInterface({ input: child.stdout }).once('line', ok);
      child.once('exit', (code) => fail(new Error(`local start exited with ${code}: ${stderr}`)));
    });
    const printed = JSON.parse(line) as { lambda: string; s3: string; stepfunctions: string; endpointFile: string };
    assert.equal(printed.endpointFile, join(data, 'endpoint.json'));
    assert.equal(statSync(printed.endpointFile).mode & 0o777, 0o600);
    const target = readEndpointFile(printed.endpointFile);
    assert.deepEqual(
      [target.lambdaEndpoint, target.s3Endpoint, target.stepFunctionsEndpoint],
      [printed.lambda, printed.s3, printed.stepfunctions],
    );
    assert.ok(!line.includes(target.credentials.secretAccessKey), 'the printed line has no secret');
    const saved = process.env.PROPACK_ENDPOINT_FILE;
    process.env.PROPACK_ENDPOINT_FILE = printed.endpointFile;
    try {
      assert.deepEqual(envLocalTarget(), target);
    } finally {
      if (saved === undefined) delete process.env.PROPACK_ENDPOINT_FILE;
      else process.env.PROPACK_ENDPOINT_FILE = saved;
    }
    const lambda = createLambdaClient(target, { maxAttempts: 1 });
    try {
      assert.deepEqual((await lambda.send(new ListFunctionsCommand({}))).Functions, []);
    } finally {
      lambda.destroy();
    }
    const sfn = createSfnClient(target, { maxAttempts: 1 });
    try {
      const executionArn = 'arn:aws:states:us-east-1:123456789012:execution:m:e';
      const missing = await sfn.send(new DescribeExecutionCommand({ executionArn })).catch((e: unknown) => e);
      assert.ok(missing instanceof ExecutionDoesNotExist, String(missing));
    } finally {
      sfn.destroy();
    }
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.ok(!(stdout + stderr).includes(target.credentials.secretAccessKey), 'the secret is not in stdout or stderr');
    assert.equal(existsSync(printed.endpointFile), false, 'endpoint.json is removed on stop');
    assert.throws(
      () => readEndpointFile(printed.endpointFile),
      /cannot read the local platform's endpoint file .*no such file \(is "propack local start" running\?\)/,
    );
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(data, { recursive: true, force: true });
  }
});

test('the environment form names a running platform: AWS_ENDPOINT_URL_LAMBDA/S3, and AWS_ENDPOINT_URL_SFN when set', () => {
  const names = [
    'PROPACK_ENDPOINT_FILE',
    'AWS_ENDPOINT_URL_LAMBDA',
    'AWS_ENDPOINT_URL_S3',
    'AWS_ENDPOINT_URL_SFN',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
  ];
  const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
  try {
    delete process.env.PROPACK_ENDPOINT_FILE;
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:1',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:2',
      AWS_ACCESS_KEY_ID: 'AKIATESTKEY',
      AWS_SECRET_ACCESS_KEY: 'secret',
    });
    delete process.env.AWS_ENDPOINT_URL_SFN;
    assert.equal(envLocalTarget('us-east-1')?.stepFunctionsEndpoint, undefined);
    assert.throws(
      () => createSfnClient(envLocalTarget('us-east-1') as NonNullable<ReturnType<typeof envLocalTarget>>),
      /serves no Step Functions API/,
    );
    process.env.AWS_ENDPOINT_URL_SFN = 'http://127.0.0.1:3';
    assert.equal(envLocalTarget('us-east-1')?.stepFunctionsEndpoint, 'http://127.0.0.1:3');
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});
