import { test } from 'node:test';
import assert from 'node:assert/strict';
import aslValidator from 'asl-validator';
import { parse } from 'yaml';
import { parsePackedMapDefinition } from '../../../src/core/step-functions';
import { packedStateMachine } from '../../../src/engine/state-machine';
import { runCli as run } from '../../support/cli';

const base = ['asl', '--function', 'video', '--concurrency', '5000', '--packing-degree', '8'];

async function expectBadInput(pattern: RegExp, ...argv: string[]): Promise<void> {
  const r = await run(...argv);
  assert.equal(r.code, 2, `exit code for ${argv.join(' ')}`);
  assert.deepEqual(r.out, [], 'nothing on stdout');
  assert.equal(r.err.length, 1, 'exactly one line on stderr');
  assert.ok(!r.err[0].includes('\n'), 'one line');
  assert.match(r.err[0], pattern);
}

test('propack asl prints the valid ASL of the run, pretty with 2 spaces, the same as the engine builds', async () => {
  const r = await run(...base, '--bucket', 'my-jobs', '--mode', 'threads');
  assert.equal(r.code, 0, r.err.join());
  assert.equal(r.out.length, 1);
  const text = r.out[0];
  assert.match(text, /^\{\n {2}"Comment"/, 'pretty-printed with two spaces');
  const definition = JSON.parse(text) as unknown;
  const expected = packedStateMachine({
    functionName: 'video',
    concurrency: 5000,
    packingDegree: 8,
    accountConcurrency: 1000,
    mode: 'threads',
  });
  assert.deepEqual(definition, expected.definition);
  const v = aslValidator(definition);
  assert.equal(v.isValid, true, v.errorsText('; '));
  const spec = parsePackedMapDefinition(text);
  assert.equal(spec.maxConcurrency, 625);
  assert.equal(spec.items, undefined, 'each execution names its tasks in its input');
  assert.deepEqual(spec.batchInput, { __propack: { v: 1, mode: 'threads' } });
});

test('--account-concurrency caps the children', async () => {
  const capped = parsePackedMapDefinition(
    (await run(...base.slice(0, -2), '--packing-degree', '1', '--account-concurrency', '300')).out[0],
  );
  assert.equal(capped.maxConcurrency, 300);
});

test('propack asl --sam prints the SAM StateMachine resource, with policies or the given role', async () => {
  const r = await run(...base, '--sam');
  assert.equal(r.code, 0, r.err.join());
  const doc = parse(r.out.join('\n')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  const res = doc.Resources.PropackVideoP8C625StateMachine;
  assert.equal(res.Type, 'AWS::Serverless::StateMachine');
  assert.equal(res.Properties.Name, 'propack-video-p8-c625');
  assert.equal(parsePackedMapDefinition(JSON.stringify(res.Properties.Definition)).packingDegree, 8);
  const policies = JSON.stringify(res.Properties.Policies);
  for (const want of ['LambdaInvokePolicy', 'S3ReadPolicy', 'S3CrudPolicy', 'states:StartExecution', 'states:StopExecution'])
    assert.ok(policies.includes(want), want);
  const withRole = await run(...base, '--sam', '--role', 'arn:aws:iam::123456789012:role/sfn-propack');
  const props = (parse(withRole.out.join('\n')) as typeof doc).Resources.PropackVideoP8C625StateMachine.Properties;
  assert.equal(props.Role, 'arn:aws:iam::123456789012:role/sfn-propack');
  assert.equal(props.Policies, undefined);
});

test('propack asl: bad input is one line on stderr and exit code 2; --help exits 0', async () => {
  await expectBadInput(/^propack asl: --function is required$/, 'asl', '--concurrency', '10', '--packing-degree', '2');
  await expectBadInput(/--concurrency is required/, 'asl', '--function', 'f', '--packing-degree', '2');
  await expectBadInput(/--packing-degree must be a whole number/, ...base.slice(0, 5), '--packing-degree', '0');
  await expectBadInput(/--packing-degree must be a whole number/, ...base.slice(0, 5), '--packing-degree', 'four');
  await expectBadInput(
    /--packing-degree 50 exceeds --concurrency 10/,
    'asl',
    '--function',
    'f',
    '--concurrency',
    '10',
    '--packing-degree',
    '50',
  );
  await expectBadInput(/--account-concurrency must be a whole number/, ...base, '--account-concurrency', '-5');
  await expectBadInput(/--mode must be async\|threads, got "fibers"/, ...base, '--mode', 'fibers');
  await expectBadInput(/--bucket must be an S3 bucket name/, ...base, '--bucket', 'My_Bucket');
  await expectBadInput(/unknown option --run-id/, ...base, '--run-id', 'r1');
  await expectBadInput(/--role .* add --sam/, ...base, '--role', 'arn:aws:iam::123456789012:role/x');
  await expectBadInput(/--role must be an IAM role ARN/, ...base, '--sam', '--role', 'sfn-role');
  await expectBadInput(/--sam takes no value/, ...base, '--sam=yes');
  await expectBadInput(/unknown option --payloads/, ...base, '--payloads', 'tasks.json');
  const help = await run('asl', '--help');
  assert.equal(help.code, 0);
  assert.match(help.out[0], /^Usage: propack asl /);
  assert.match((await run('--help')).out[0], /\n {2}asl +print the Step Functions/);
});
