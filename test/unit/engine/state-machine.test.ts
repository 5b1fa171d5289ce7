import { test } from 'node:test';
import assert from 'node:assert/strict';
import aslValidator from 'asl-validator';
import { parse } from 'yaml';
import { AslShapeError, mapLocations, parsePackedMapDefinition } from '../../../src/core/step-functions';
import { functionNameOf, packedMapInput, packedStateMachine, samSnippet, stateMachineName } from '../../../src/engine/state-machine';
import { packBatchInput, parsePackedRequest, type PackedBatchEvent } from '../../../src/runtime/protocol';

const run = { functionName: 'video', concurrency: 5000, packingDegree: 8, accountConcurrency: 1000 };

test('a packed run becomes its Map: locations from the input, ceil(C/p) children, the packed BatchInput', () => {
  const sm = packedStateMachine({ ...run, mode: 'threads' });
  assert.equal(sm.name, 'propack-video-p8-c625');
  assert.equal(sm.spec.items, undefined, 'each execution names its own tasks');
  assert.equal(sm.spec.results, undefined);
  assert.deepEqual(mapLocations(sm.spec, JSON.stringify(packedMapInput('jobs', 'r-20260101-1', 'round-1'))), {
    items: { bucket: 'jobs', key: 'propack-runs/r-20260101-1/round-1/tasks.json' },
    results: { bucket: 'jobs', prefix: 'propack-runs/r-20260101-1/round-1/results' },
  });
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
  assert.equal(
    packedStateMachine({ ...run, functionName: 'arn:aws:lambda:us-east-1:1:function:img.resize' }).name,
    'propack-img-resize-p8-c625',
  );
  const long = stateMachineName('f'.repeat(100), 25, 200);
  const other = stateMachineName(`${'f'.repeat(99)}g`, 25, 200);
  for (const n of [long, other]) assert.match(n, /^[A-Za-z0-9_-]{1,80}-p25-c200$/);
  assert.equal(long.length, 80);
  assert.notEqual(long, other, 'names that differ only past the cut stay apart');
  assert.equal(stateMachineName('f'.repeat(63), 25, 200), `propack-${'f'.repeat(63)}-p25-c200`, 'exactly 80 is kept whole');
});

test('packedStateMachine and packedMapInput refuse inputs that would misplace or misshape the run', () => {
  assert.throws(() => packedMapInput('jobs', 'a/b', 'round-1'), /run id/);
  assert.throws(() => packedMapInput('jobs', '', 'round-1'), /run id/);
  assert.throws(() => packedMapInput('jobs', 'r', '../x'), /part/);
  assert.throws(() => packedMapInput('', 'r', 'round-1'), /bucket/);
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
  const doc = parse(samSnippet(sm.definition, { stateMachineName: sm.name, bucket: 'jobs' })) as Snippet;
  assert.deepEqual(Object.keys(doc.Resources), ['PropackVideoP8C625StateMachine']);
  const r = doc.Resources.PropackVideoP8C625StateMachine;
  assert.equal(r.Type, 'AWS::Serverless::StateMachine');
  assert.equal(r.Properties.Name, 'propack-video-p8-c625');
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
    'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:propack-video-p8-c625',
  );
  for (const action of ['states:DescribeExecution', 'states:StopExecution'])
    assert.equal(
      allowed(action),
      'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:propack-video-p8-c625/*',
      action,
    );
  assert.equal(allowed('s3:AbortMultipartUpload'), 'arn:${AWS::Partition}:s3:::jobs/propack-runs/*');
  assert.ok(statements.every((s) => s.Effect === 'Allow'));
});

test('samSnippet takes the spec as well as the definition, uses a given role instead of policies, and refuses other shapes', () => {
  const sm = packedStateMachine(run);
  const opts = { stateMachineName: sm.name, bucket: 'jobs' };
  assert.equal(samSnippet(sm.spec, opts), samSnippet(sm.definition, opts));
  const withRole = parse(samSnippet(sm.spec, { ...opts, roleArn: 'arn:aws:iam::1:role/sfn' })) as Snippet;
  const props = withRole.Resources.PropackVideoP8C625StateMachine.Properties;
  assert.equal(props.Role, 'arn:aws:iam::1:role/sfn');
  assert.equal(props.Policies, undefined);
  assert.throws(() => samSnippet({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, opts), AslShapeError);
  assert.throws(() => samSnippet(sm.spec, { stateMachineName: 'bad name', bucket: 'jobs' }), /state machine name/);
});
