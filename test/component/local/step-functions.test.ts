// The embedded platform's Step Functions API (issue 19), through the real @aws-sdk/client-sfn: the packed-run
// Distributed Map (items in S3, p per child, MaxConcurrency, Retry, ResultWriter), StopExecution, the errors
// the SDK raises as its own classes, and the same request authentication as the Lambda server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidDefinition,
  ListMapRunsCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineAlreadyExists,
  StopExecutionCommand,
  UpdateStateMachineCommand,
  type DescribeExecutionCommandOutput,
  type DescribeMapRunCommandOutput,
} from '@aws-sdk/client-sfn';
import {
  packedMapDefinition,
  parseResultEntries,
  parseResultManifest,
  type MapResultEntry,
  type PackedMapSpec,
} from '../../../src/core/step-functions';
import { createSfnClient } from '../../../src/platform';
import { readEndpointFile } from '../../../src/cli/platform-flags';
import { deploy, rejection, targetOf, withPlatform } from './helpers';
import { signedRaw } from './raw-http';

type Env = Awaited<ReturnType<typeof withPlatform>>;
let env: Env;
let sfn: SFNClient;
const BUCKET = 'sfn';
const ROLE = 'arn:aws:iam::123456789012:role/propack-sfn';

/** Answers with what it saw, timestamps included, after `BatchInput.sleepMs`; throws BadItem for a `fail` item. */
const ECHO = `
exports.handler = async (event) => {
  const start = Date.now();
  await new Promise((r) => setTimeout(r, (event.BatchInput && event.BatchInput.sleepMs) || 0));
  if (event.Items.some((i) => i.payload && i.payload.fail)) {
    const e = new Error('an item asked to fail');
    e.name = 'BadItem';
    throw e;
  }
  return { n: event.Items.length, ids: event.Items.map((i) => i.id), batchInput: event.BatchInput, start, end: Date.now() };
};`;

before(async () => {
  // Retry's delays are emulated delays: a tenth of them keeps the throttling test short.
  env = await withPlatform({ preset: 'instant', timeScale: 0.1 }, { maxAttempts: 1 });
  sfn = createSfnClient(targetOf(env.platform), { maxAttempts: 1 });
  await env.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await deploy(env.lambda, 'echo', ECHO);
  await deploy(env.lambda, 'narrow', ECHO);
  await env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'narrow', ReservedConcurrentExecutions: 1 }));
});

after(async () => {
  sfn.destroy();
  await env.close();
});

/** Writes `n` tasks `{ id, payload }` as the items object; `fail` marks the indexes whose batch must fail. */
async function putItems(key: string, n: number, fail: number[] = []): Promise<void> {
  const items = Array.from({ length: n }, (_, i) => ({ id: `t${i}`, payload: { i, ...(fail.includes(i) ? { fail: true } : {}) } }));
  await env.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: JSON.stringify(items) }));
}

function spec(over: Partial<PackedMapSpec> & { itemsKey: string; prefix: string }): PackedMapSpec {
  const { itemsKey, prefix, ...rest } = over;
  return {
    functionName: 'echo',
    items: { bucket: BUCKET, key: itemsKey },
    results: { bucket: BUCKET, prefix },
    packingDegree: 8,
    maxConcurrency: 3,
    batchInput: { propack: 'packed' },
    ...rest,
  };
}

async function createMachine(name: string, definition: unknown, client = sfn): Promise<string> {
  const r = await client.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE }));
  return r.stateMachineArn as string;
}

async function start(machine: string, client = sfn, name?: string): Promise<string> {
  const r = await client.send(new StartExecutionCommand({ stateMachineArn: machine, input: '{}', ...(name ? { name } : {}) }));
  return r.executionArn as string;
}

/** Polls (bounded) until `done` holds for the answer of `ask`. */
async function pollUntil<T>(ask: () => Promise<T>, done: (t: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const t = await ask();
    if (done(t)) return t;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: still not done after 600 polls`);
}

function finished(executionArn: string): Promise<DescribeExecutionCommandOutput> {
  return pollUntil(
    () => sfn.send(new DescribeExecutionCommand({ executionArn })),
    (d) => d.status !== 'RUNNING',
    `execution ${executionArn}`,
  );
}

async function mapRunOf(executionArn: string): Promise<DescribeMapRunCommandOutput> {
  const runs = await sfn.send(new ListMapRunsCommand({ executionArn }));
  assert.equal(runs.mapRuns?.length, 1);
  return sfn.send(new DescribeMapRunCommand({ mapRunArn: runs.mapRuns?.[0].mapRunArn }));
}

async function text(key: string): Promise<string> {
  const o = await env.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return (await o.Body?.transformToString()) ?? '';
}

/** The manifest at `<prefix>/<map run uuid>/manifest.json` and every entry of its result files. */
async function results(prefix: string, mapRunArn: string): Promise<{ succeeded: MapResultEntry[]; failed: MapResultEntry[] }> {
  const id = mapRunArn.split(':').pop() as string;
  const manifest = parseResultManifest(await text(`${prefix}/${id}/manifest.json`));
  assert.equal(manifest.MapRunArn, mapRunArn);
  assert.equal(manifest.DestinationBucket, BUCKET);
  assert.deepEqual(manifest.ResultFiles.PENDING, []);
  const read = async (files: { Key: string; Size: number }[]) => {
    const all: MapResultEntry[] = [];
    for (const f of files) {
      const t = await text(f.Key);
      assert.equal(Buffer.byteLength(t), f.Size, `${f.Key} has the size the manifest names`);
      all.push(...parseResultEntries(t));
    }
    return all;
  };
  return { succeeded: await read(manifest.ResultFiles.SUCCEEDED), failed: await read(manifest.ResultFiles.FAILED) };
}

/** Most handler runs that overlapped in time (their own start/end timestamps). */
function maxOverlap(outputs: { start: number; end: number }[]): number {
  const edges = outputs.flatMap((o) => [
    [o.start, 1],
    [o.end, -1],
  ]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // an end before a start at the same ms
  let now = 0,
    most = 0;
  for (const [, d] of edges) most = Math.max(most, (now += d));
  return most;
}

test('a Map over 50 items at p=8 runs ceil(50/8) children, at most MaxConcurrency at once, and writes every item once', async () => {
  await putItems('items/fifty.json', 50);
  const definition = packedMapDefinition(spec({ itemsKey: 'items/fifty.json', prefix: 'runs/fifty', batchInput: { sleepMs: 150 } }));
  // Started by a client that goes away at once: the execution runs on in the platform.
  const gone = createSfnClient(targetOf(env.platform), { maxAttempts: 1 });
  const machine = await createMachine('fifty', definition, gone);
  const executionArn = await start(machine, gone);
  gone.destroy();

  const d = await finished(executionArn);
  assert.equal(d.status, 'SUCCEEDED', d.cause);
  assert.ok(d.startDate instanceof Date && d.stopDate instanceof Date && d.stopDate >= d.startDate);
  const output = JSON.parse(d.output ?? '') as { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } };
  const run = await mapRunOf(executionArn);
  assert.equal(output.MapRunArn, run.mapRunArn);
  assert.match(run.mapRunArn ?? '', /^arn:aws:states:us-east-1:123456789012:mapRun:fifty\/PackedMap:[0-9a-f-]{36}$/);
  assert.deepEqual(output.ResultWriterDetails, { Bucket: BUCKET, Key: `runs/fifty/${run.mapRunArn?.split(':').pop()}/manifest.json` });
  assert.equal(run.status, 'SUCCEEDED');
  assert.equal(run.maxConcurrency, 3);
  assert.equal(run.toleratedFailurePercentage, 100);
  assert.deepEqual(
    [run.itemCounts?.total, run.itemCounts?.succeeded, run.itemCounts?.resultsWritten, run.itemCounts?.pending],
    [50, 50, 50, 0],
  );
  assert.deepEqual([run.executionCounts?.total, run.executionCounts?.succeeded, run.executionCounts?.failed], [7, 7, 0]);

  const { succeeded, failed } = await results('runs/fifty', output.MapRunArn);
  assert.equal(failed.length, 0);
  assert.equal(succeeded.length, Math.ceil(50 / 8));
  const outputs = succeeded.map(
    (e) => JSON.parse(e.Output ?? '') as { n: number; ids: string[]; batchInput: unknown; start: number; end: number },
  );
  const ids = outputs.flatMap((o) => o.ids).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  assert.deepEqual(
    ids,
    Array.from({ length: 50 }, (_, i) => `t${i}`),
    'every item exactly once',
  );
  assert.deepEqual(
    outputs.map((o) => o.n).sort((a, b) => a - b),
    [2, 8, 8, 8, 8, 8, 8],
  );
  for (const e of succeeded) {
    assert.equal(e.Status, 'SUCCEEDED');
    assert.match(e.ExecutionArn, /^arn:aws:states:us-east-1:123456789012:execution:fifty\/PackedMap:/);
    const input = JSON.parse(e.Input) as { Items: { id: string }[]; BatchInput: unknown };
    assert.deepEqual(input.BatchInput, { sleepMs: 150 });
    assert.ok(Date.parse(e.StopDate ?? '') >= Date.parse(e.StartDate));
  }
  assert.ok(outputs.every((o) => JSON.stringify(o.batchInput) === '{"sleepMs":150}'));
  const overlap = maxOverlap(outputs);
  assert.ok(overlap <= 3, `at most MaxConcurrency (3) children at once, saw ${overlap}`);
  assert.ok(overlap >= 2, `children ran in parallel (saw ${overlap} at once)`);
  // The endpoint file names the API too, for clients in other processes.
  assert.equal(readEndpointFile(env.platform.endpointFile).stepFunctionsEndpoint, env.platform.stepFunctionsEndpoint);
});

test('throttled invocations are retried by the Task Retry rules until they succeed; without retries they fail', async () => {
  await putItems('items/twelve.json', 12);
  // 'narrow' has reserved concurrency 1 and 4 children start at once: 3 of the first 4 invocations get 429.
  const retried = spec({
    itemsKey: 'items/twelve.json',
    prefix: 'runs/throttled',
    functionName: 'narrow',
    packingDegree: 2,
    maxConcurrency: 4,
    batchInput: { sleepMs: 50 },
    retry: [
      { errorEquals: ['Lambda.TooManyRequestsException'], intervalS: 1, maxAttempts: 40, backoffRate: 1.5, maxDelayS: 2, jitter: 'FULL' },
    ],
  });
  const d = await finished(await start(await createMachine('throttled', packedMapDefinition(retried))));
  assert.equal(d.status, 'SUCCEEDED', d.cause);
  const { MapRunArn } = JSON.parse(d.output ?? '') as { MapRunArn: string };
  const { succeeded, failed } = await results('runs/throttled', MapRunArn);
  assert.deepEqual([succeeded.length, failed.length], [6, 0]);
  const outputs = succeeded.map((e) => JSON.parse(e.Output ?? '') as { start: number; end: number });
  assert.equal(maxOverlap(outputs), 1, 'reserved concurrency 1: one invocation at a time');

  const noRetry = { ...retried, results: { bucket: BUCKET, prefix: 'runs/unretried' }, retry: [] };
  const u = await finished(await start(await createMachine('unretried', packedMapDefinition(noRetry))));
  assert.equal(u.status, 'SUCCEEDED', 'ToleratedFailurePercentage 100: failed children do not fail the Map');
  const r = await results('runs/unretried', (JSON.parse(u.output ?? '') as { MapRunArn: string }).MapRunArn);
  assert.ok(r.failed.length >= 3, `at least 3 of the first 4 children throttled, got ${r.failed.length}`);
  for (const e of r.failed) {
    assert.equal(e.Status, 'FAILED');
    assert.equal(e.Error, 'Lambda.TooManyRequestsException');
    assert.match(e.Cause ?? '', /Rate Exceeded.*Status Code: 429/);
    assert.equal(e.Output, undefined);
  }
  assert.equal(r.failed.length + r.succeeded.length, 6);
});

test('a handler error fails its child with Error = errorType and Cause = the error payload; a lower tolerance fails the Map', async () => {
  await putItems('items/ten.json', 10, [3, 7]);
  const s = spec({ itemsKey: 'items/ten.json', prefix: 'runs/picky', packingDegree: 2, maxConcurrency: 2 });
  const d = await finished(await start(await createMachine('picky', packedMapDefinition(s))));
  assert.equal(d.status, 'SUCCEEDED');
  const { MapRunArn } = JSON.parse(d.output ?? '') as { MapRunArn: string };
  const { succeeded, failed } = await results('runs/picky', MapRunArn);
  assert.deepEqual([succeeded.length, failed.length], [3, 2]);
  for (const e of failed) {
    assert.equal(e.Status, 'FAILED');
    assert.equal(e.Error, 'BadItem');
    const cause = JSON.parse(e.Cause ?? '') as { errorType: string; errorMessage: string };
    assert.deepEqual([cause.errorType, cause.errorMessage], ['BadItem', 'an item asked to fail']);
    const ids = (JSON.parse(e.Input) as { Items: { id: string }[] }).Items.map((i) => i.id);
    assert.ok(ids.includes('t3') || ids.includes('t7'));
  }
  const run = await sfn.send(new DescribeMapRunCommand({ mapRunArn: MapRunArn }));
  assert.deepEqual([run.itemCounts?.failed, run.executionCounts?.failed, run.executionCounts?.succeeded], [4, 2, 3]);

  // ToleratedFailurePercentage 10 of 10 items: the first failed batch (2 items, 20%) fails the Map Run.
  const strict = packedMapDefinition({ ...s, results: { bucket: BUCKET, prefix: 'runs/strict' }, maxConcurrency: 1 }) as {
    States: { PackedMap: Record<string, unknown> };
  };
  strict.States.PackedMap.ToleratedFailurePercentage = 10;
  const f = await finished(await start(await createMachine('strict', strict)));
  assert.equal(f.status, 'FAILED');
  assert.equal(f.error, 'States.ExceedToleratedFailureThreshold');
  const strictRun = await mapRunOf(f.executionArn as string);
  assert.equal(strictRun.status, 'FAILED');
  assert.equal(strictRun.toleratedFailurePercentage, 10);
  const written = await results('runs/strict', strictRun.mapRunArn as string);
  assert.deepEqual(
    [written.succeeded.length, written.failed.length],
    [1, 1],
    'MaxConcurrency 1: batch 0 succeeded, batch 1 failed, none after',
  );
});

test('StopExecution aborts at once; children in flight finish as ABORTED and the results of the finished ones are written', async () => {
  await putItems('items/twenty.json', 20);
  const s = spec({
    itemsKey: 'items/twenty.json',
    prefix: 'runs/stopped',
    packingDegree: 1,
    maxConcurrency: 2,
    batchInput: { sleepMs: 300 },
  });
  const executionArn = await start(await createMachine('stopped', packedMapDefinition(s)));
  await pollUntil(
    () => mapRunOf(executionArn),
    (r) => (r.executionCounts?.succeeded ?? 0) >= 2,
    'two children done',
  );
  const stop = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Test.Stop', cause: 'enough' }));
  assert.ok(stop.stopDate instanceof Date);
  const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  assert.deepEqual([d.status, d.error, d.cause], ['ABORTED', 'Test.Stop', 'enough']);
  // The Map Run ends once its children in flight have and its results are written.
  const run = await pollUntil(
    () => mapRunOf(executionArn),
    (r) => r.status !== 'RUNNING',
    'map run ended',
  );
  assert.equal(run.status, 'ABORTED');
  assert.ok(run.stopDate instanceof Date);
  const { succeeded, failed } = await results('runs/stopped', run.mapRunArn as string);
  assert.ok(succeeded.length >= 2 && succeeded.length < 20, `${succeeded.length} finished before the stop`);
  assert.ok(failed.length >= 1 && failed.length <= 2, `the children in flight (${failed.length}) are written as aborted`);
  assert.ok(failed.every((e) => e.Status === 'ABORTED' && e.Output === undefined));
  assert.equal(run.executionCounts?.aborted, failed.length);
  assert.equal(run.executionCounts?.succeeded, succeeded.length);
  assert.equal(run.itemCounts?.pending, 20 - succeeded.length - failed.length, 'no child started after the stop');
  assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, 'ABORTED');
});

test('a missing or non-array items object fails the execution with States.ItemReaderFailed', async () => {
  const missing = await finished(
    await start(await createMachine('no-items', packedMapDefinition(spec({ itemsKey: 'items/none.json', prefix: 'runs/x' })))),
  );
  assert.deepEqual([missing.status, missing.error], ['FAILED', 'States.ItemReaderFailed']);
  assert.match(missing.cause ?? '', /s3:\/\/sfn\/items\/none\.json: NoSuchKey/);
  await env.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'items/object.json', Body: '{"Items": []}' }));
  const notArray = await finished(
    await start(await createMachine('object-items', packedMapDefinition(spec({ itemsKey: 'items/object.json', prefix: 'runs/x' })))),
  );
  assert.deepEqual([notArray.status, notArray.error], ['FAILED', 'States.ItemReaderFailed']);
  assert.match(notArray.cause ?? '', /not an array/);
});

test('definitions other than the packed-run Map are InvalidDefinition; names and ARNs are checked as AWS checks them', async () => {
  const base = packedMapDefinition(spec({ itemsKey: 'items/fifty.json', prefix: 'runs/y' })) as {
    States: { PackedMap: { ItemProcessor: { ProcessorConfig: Record<string, string> } } };
  };
  const inline = structuredClone(base);
  inline.States.PackedMap.ItemProcessor.ProcessorConfig.Mode = 'INLINE';
  const pass = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
  for (const [name, definition] of [
    ['inline', inline],
    ['pass', pass],
  ] as const) {
    const e = await rejection(createMachine(name, definition));
    assert.ok(e instanceof InvalidDefinition, `${name}: ${e.name}`);
    assert.match(e.message, name === 'inline' ? /Mode must be "DISTRIBUTED"/ : /Type must be "Map"/);
  }
  const notJson = await rejection(sfn.send(new CreateStateMachineCommand({ name: 'bad', definition: '{', roleArn: ROLE })));
  assert.ok(notJson instanceof InvalidDefinition);

  const arn = await createMachine('twice', base);
  assert.equal(await createMachine('twice', base), arn, 'the same name and definition: the same machine');
  const changed = structuredClone(base) as unknown as { Comment: string };
  changed.Comment = 'another';
  assert.ok((await rejection(createMachine('twice', changed))) instanceof StateMachineAlreadyExists);
  assert.ok(
    (await rejection(sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: JSON.stringify(pass) })))) instanceof
      InvalidDefinition,
  );
  const updated = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: JSON.stringify(changed) }));
  assert.ok(updated.updateDate instanceof Date);
  const badRole = await rejection(
    sfn.send(new CreateStateMachineCommand({ name: 'role', definition: JSON.stringify(base), roleArn: 'not-a-role' })),
  );
  assert.equal(badRole.name, 'InvalidArn');
  assert.equal((await rejection(createMachine('has space', base))).name, 'InvalidName');

  const execution = await start(arn, sfn, 'once');
  await finished(execution); // its items exist: it succeeds
  assert.ok((await rejection(start(arn, sfn, 'once'))) instanceof ExecutionAlreadyExists);
  const unknown = `${execution}-nope`;
  assert.ok((await rejection(sfn.send(new DescribeExecutionCommand({ executionArn: unknown })))) instanceof ExecutionDoesNotExist);
  assert.ok((await rejection(sfn.send(new StopExecutionCommand({ executionArn: unknown })))) instanceof ExecutionDoesNotExist);
  assert.equal((await rejection(sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:s3:::x' })))).name, 'InvalidArn');
});

test('requests are authenticated as on the Lambda server: bad signature, browser Origin and foreign Host get 403', async () => {
  const endpoint = env.platform.stepFunctionsEndpoint;
  const key = env.platform.credentials;
  const call = (opts: { host?: string; headers?: Record<string, string> } = {}, credentials = key, target = 'ListMapRuns') =>
    signedRaw(endpoint, 'states', credentials, 'POST', '/', {
      body: JSON.stringify({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e' }),
      ...opts,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${target}`, ...opts.headers },
    });
  const type = (body: string) => (JSON.parse(body) as { __type: string }).__type;

  const ok = await call();
  assert.deepEqual([ok.status, type(ok.body)], [400, 'ExecutionDoesNotExist'], 'a signed request gets in');
  const badSig = await call({}, { ...key, secretAccessKey: `${key.secretAccessKey}x` });
  assert.deepEqual([badSig.status, type(badSig.body)], [403, 'InvalidSignatureException']);
  const unknownKey = await call({}, { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' });
  assert.deepEqual([unknownKey.status, type(unknownKey.body)], [403, 'UnrecognizedClientException']);
  const browser = await call({ headers: { origin: 'https://evil.example' } });
  assert.deepEqual([browser.status, type(browser.body)], [403, 'AccessDeniedException']);
  const host = await call({ host: `evil.example:${new URL(endpoint).port}` });
  assert.deepEqual([host.status, type(host.body)], [403, 'AccessDeniedException']);
  const unknownOp = await call({}, key, 'ListActivities');
  assert.deepEqual([unknownOp.status, type(unknownOp.body)], [400, 'UnknownOperationException']);

  // The SDK with a wrong secret: its own error name.
  const wrong = new SFNClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: 'wrong' },
    maxAttempts: 1,
  });
  const e = await rejection(
    wrong.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e' })),
  );
  wrong.destroy();
  assert.equal(e.name, 'InvalidSignatureException');
  assert.equal((e.$metadata as { httpStatusCode: number }).httpStatusCode, 403);
});

test('stopping the platform during a Map Run aborts it cleanly', async () => {
  const p = await withPlatform({ preset: 'instant' }, { maxAttempts: 1 });
  const rejections: unknown[] = [];
  const onRejection = (r: unknown) => rejections.push(r);
  process.on('unhandledRejection', onRejection);
  try {
    const client = createSfnClient(targetOf(p.platform), { maxAttempts: 1 });
    await p.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await p.s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'i.json', Body: JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ id: i }))) }),
    );
    await deploy(p.lambda, 'echo', ECHO);
    const def = packedMapDefinition({
      ...spec({ itemsKey: 'i.json', prefix: 'r', packingDegree: 1, maxConcurrency: 2 }),
      batchInput: { sleepMs: 300 },
    });
    const m = await client.send(new CreateStateMachineCommand({ name: 'm', definition: JSON.stringify(def), roleArn: ROLE }));
    const executionArn = (await client.send(new StartExecutionCommand({ stateMachineArn: m.stateMachineArn }))).executionArn;
    await pollUntil(
      async () => (await client.send(new ListMapRunsCommand({ executionArn }))).mapRuns?.[0].mapRunArn,
      (a) => a !== undefined,
      'map run listed',
    );
    client.destroy();
  } finally {
    await p.close(); // waits for the 2 children in flight, writes their results, stops
    process.off('unhandledRejection', onRejection);
  }
  assert.deepEqual(rejections, []);
});
