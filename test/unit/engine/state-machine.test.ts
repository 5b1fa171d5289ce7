import { test } from 'node:test';
import assert from 'node:assert/strict';
import aslValidator from 'asl-validator';
import { parse } from 'yaml';
import { AslShapeError, parsePackedMapDefinition } from '../../../src/core/step-functions';
import { functionNameOf, packedStateMachine, samSnippet, stateMachineName } from '../../../src/engine/state-machine';
import { packBatchInput, parsePackedRequest, type PackedBatchEvent } from '../../../src/runtime/protocol';

const run = { functionName: 'video', runId: 'r-20260101-1', bucket: 'jobs', concurrency: 5000, packingDegree: 8, accountConcurrency: 1000 };

test('a packed run becomes its Map: keys under propack-runs/<runId>/, ceil(C/p) children, the packed BatchInput', () => {
  const sm = packedStateMachine({ ...run, mode: 'threads' });
  assert.equal(sm.name, 'propack-video');
  assert.equal(sm.itemsKey, 'propack-runs/r-20260101-1/tasks.json');
  assert.equal(sm.resultsPrefix, 'propack-runs/r-20260101-1/map-results');
  assert.deepEqual(sm.spec.items, { bucket: 'jobs', key: sm.itemsKey });
  assert.deepEqual(sm.spec.results, { bucket: 'jobs', prefix: sm.resultsPrefix });
  assert.equal(sm.spec.packingDegree, 8);
  assert.equal(sm.spec.maxConcurrency, 625);
  assert.equal(packedStateMachine({ ...run, packingDegree: 1 }).spec.maxConcurrency, 1000, 'the account caps the children');
  assert.deepEqual(sm.spec.batchInput, packBatchInput({ mode: 'threads' }));
  assert.deepEqual(packedStateMachine(run).spec.batchInput, packBatchInput());
  const r = aslValidator(sm.definition);
  assert.equal(r.isValid, true, r.errorsText('; '));
  assert.deepEqual(parsePackedMapDefinition(JSON.stringify(sm.definition)), sm.spec, 'the definition is the spec');
});

test("a batch the Map builds from the definition's BatchInput is a packed request the runtime accepts", () => {
  const sm = packedStateMachine({ ...run, mode: 'async' });
  const items = [
    { id: 't0', payload: { frame: 0 } },
    { id: 't1', payload: { frame: 1 } },
  ];
  const batch = { Items: items, BatchInput: sm.spec.batchInput } as unknown as PackedBatchEvent;
  assert.deepEqual(parsePackedRequest(batch), { v: 1, mode: 'async', tasks: items });
});

test('state machine names: the function name from an ARN, refused characters replaced, at most 80 characters', () => {
  assert.equal(functionNameOf('arn:aws:lambda:us-east-1:123456789012:function:video:live'), 'video');
  assert.equal(functionNameOf('123456789012:function:video'), 'video');
  assert.equal(functionNameOf('video'), 'video');
  assert.equal(packedStateMachine({ ...run, functionName: 'arn:aws:lambda:us-east-1:1:function:img.resize' }).name, 'propack-img-resize');
  const long = stateMachineName('f'.repeat(100));
  const other = stateMachineName(`${'f'.repeat(99)}g`);
  for (const n of [long, other]) assert.match(n, /^[A-Za-z0-9_-]{1,80}$/);
  assert.equal(long.length, 80);
  assert.notEqual(long, other, 'names that differ only past the cut stay apart');
  assert.equal(stateMachineName('f'.repeat(72)), `propack-${'f'.repeat(72)}`, 'exactly 80 is kept whole');
});

test('packedStateMachine refuses inputs that would misplace or misshape the run', () => {
  assert.throws(() => packedStateMachine({ ...run, runId: 'a/b' }), /run id/);
  assert.throws(() => packedStateMachine({ ...run, runId: '' }), /run id/);
  assert.throws(() => packedStateMachine({ ...run, bucket: '' }), /bucket/);
  assert.throws(() => packedStateMachine({ ...run, functionName: '' }), /function name/);
  assert.throws(() => packedStateMachine({ ...run, packingDegree: 0 }), /packing degree must be a positive integer/);
  assert.throws(() => packedStateMachine({ ...run, concurrency: 2.5 }), /concurrency must be a positive integer/);
  assert.throws(() => packedStateMachine({ ...run, accountConcurrency: 0 }), /account concurrency/);
});

interface Snippet {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}
interface Statement {
  Effect: string;
  Action: string[];
  Resource: { 'Fn::Sub': string };
}

test('samSnippet declares the state machine with its Definition and the policies a Distributed Map needs', () => {
  const sm = packedStateMachine({ ...run, functionName: 'arn:aws:lambda:us-east-1:1:function:video' });
  const doc = parse(samSnippet(sm.definition, { stateMachineName: sm.name })) as Snippet;
  assert.deepEqual(Object.keys(doc.Resources), ['PropackVideoStateMachine']);
  const r = doc.Resources.PropackVideoStateMachine;
  assert.equal(r.Type, 'AWS::Serverless::StateMachine');
  assert.equal(r.Properties.Name, 'propack-video');
  assert.deepEqual(r.Properties.Definition, sm.definition, 'the YAML carries the definition unchanged');
  assert.equal(r.Properties.Role, undefined);
  const policies = r.Properties.Policies as Record<string, unknown>[];
  assert.deepEqual(policies.slice(0, 3), [
    { LambdaInvokePolicy: { FunctionName: 'video' } },
    { S3ReadPolicy: { BucketName: 'jobs' } },
    { S3CrudPolicy: { BucketName: 'jobs' } },
  ]);
  const statements = (policies[3] as { Statement: Statement[] }).Statement;
  const allowed = (action: string): string | undefined => statements.find((s) => s.Action.includes(action))?.Resource['Fn::Sub'];
  assert.equal(
    allowed('states:StartExecution'),
    'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:propack-video',
  );
  for (const action of ['states:DescribeExecution', 'states:StopExecution'])
    assert.equal(allowed(action), 'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:propack-video/*', action);
  assert.equal(allowed('s3:AbortMultipartUpload'), `arn:\${AWS::Partition}:s3:::jobs/${sm.resultsPrefix}/*`);
  assert.ok(statements.every((s) => s.Effect === 'Allow'));
});

test('samSnippet takes the spec as well as the definition, uses a given role instead of policies, and refuses other shapes', () => {
  const sm = packedStateMachine(run);
  const opts = { stateMachineName: sm.name };
  assert.equal(samSnippet(sm.spec, opts), samSnippet(sm.definition, opts));
  const withRole = parse(samSnippet(sm.spec, { ...opts, roleArn: 'arn:aws:iam::1:role/sfn' })) as Snippet;
  const props = withRole.Resources.PropackVideoStateMachine.Properties;
  assert.equal(props.Role, 'arn:aws:iam::1:role/sfn');
  assert.equal(props.Policies, undefined);
  assert.throws(() => samSnippet({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, opts), AslShapeError);
  assert.throws(() => samSnippet(sm.spec, { stateMachineName: 'bad name' }), /state machine name/);
});
