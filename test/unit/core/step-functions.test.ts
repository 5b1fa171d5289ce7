import { test } from 'node:test';
import assert from 'node:assert/strict';
import aslValidator from 'asl-validator';
import {
  AslShapeError,
  DEFAULT_RETRY,
  LAMBDA_INVOKE_RESOURCE,
  mapDispatchCostUsd,
  mapMaxConcurrency,
  packedMapDefinition,
  parsePackedMapDefinition,
  parseResultEntries,
  parseResultManifest,
  retryDelayS,
  retryRuleFor,
  SFN_LIMITS,
  SFN_PRICE,
  type PackedMapSpec,
  type RetryRule,
} from '../../../src/core/step-functions';

const spec = (over: Partial<PackedMapSpec> = {}): PackedMapSpec => ({
  functionName: 'propack-video',
  items: { bucket: 'jobs', key: 'propack-runs/r1/tasks.json' },
  results: { bucket: 'jobs', prefix: 'propack-runs/r1/map-results' },
  packingDegree: 8,
  maxConcurrency: 625,
  batchInput: { __propack: { v: 1, mode: 'threads' } },
  maxInputBytesPerBatch: SFN_LIMITS.maxInputBytesPerBatch,
  retry: DEFAULT_RETRY,
  ...over,
});

/** The generated definition, with `edit` applied to a deep copy (a definition someone changed by hand). */
function edited(edit: (d: Definition) => void, s: PackedMapSpec = spec()): string {
  const d = JSON.parse(JSON.stringify(packedMapDefinition(s))) as Definition;
  edit(d);
  return JSON.stringify(d);
}
interface MapState {
  ItemBatcher: Record<string, unknown>;
  ItemProcessor: { ProcessorConfig: Record<string, unknown>; States: { InvokePacked: Record<string, unknown> } };
  [key: string]: unknown;
}
interface Definition {
  States: Record<string, unknown> & { PackedMap: MapState };
  [key: string]: unknown;
}

const rejects = (text: string, field: RegExp): void =>
  assert.throws(
    () => parsePackedMapDefinition(text),
    (err: unknown) => {
      assert.ok(err instanceof AslShapeError, String(err));
      assert.match(err.message, field);
      return true;
    },
  );

test('asl-validator accepts the generated definition at several concurrencies, degrees and account limits', () => {
  for (const [c, p, account] of [
    [1, 1, 1000],
    [100, 5, 1000],
    [5000, 8, 1000],
    [5000, 1, 1000],
    [100_000, 1, 20_000],
    [37, 37, 10],
  ]) {
    const s = spec({ packingDegree: p, maxConcurrency: mapMaxConcurrency(c, p, account) });
    const r = aslValidator(packedMapDefinition(s));
    assert.equal(r.isValid, true, `C=${c} p=${p} account=${account}: ${r.errorsText('; ')}`);
  }
  // Without the optional parts too (no Retry override, no byte limit).
  const bare = aslValidator(packedMapDefinition({ ...spec(), retry: undefined, maxInputBytesPerBatch: undefined }));
  assert.equal(bare.isValid, true, bare.errorsText('; '));
});

test('asl-validator rejects a broken definition (so the test above can fail)', () => {
  const check = (edit: (d: Definition) => void): string => {
    const r = aslValidator(JSON.parse(edited(edit)) as unknown);
    assert.equal(r.isValid, false);
    return r.errorsText(' ');
  };
  assert.match(
    check((d) => (d.States.PackedMap.ItemBatcher.MaxItemsPerBatch = 'eight')),
    /MaxItemsPerBatch/,
  );
  assert.match(
    check((d) => (d.StartAt = 'Nowhere')),
    /Nowhere/,
  );
});

test('parsePackedMapDefinition reads back the spec the definition was generated from', () => {
  for (const s of [
    spec(),
    spec({ functionName: 'arn:aws:lambda:us-east-1:123456789012:function:f', packingDegree: 1, maxConcurrency: 10_000 }),
    spec({
      maxInputBytesPerBatch: 1024,
      retry: [{ errorEquals: ['States.ALL'], intervalS: 2, maxAttempts: 0, backoffRate: 1.5, jitter: 'NONE' }],
    }),
  ]) {
    assert.deepEqual(parsePackedMapDefinition(JSON.stringify(packedMapDefinition(s))), s);
  }
  // MaxConcurrency 0 means Step Functions' own ceiling.
  assert.equal(parsePackedMapDefinition(edited((d) => (d.States.PackedMap.MaxConcurrency = 0))).maxConcurrency, 10_000);
});

test('parsePackedMapDefinition refuses every other shape, naming the field', () => {
  rejects('{"StartAt": ', /not JSON/);
  rejects('[]', /must be a JSON object/);
  rejects(
    edited((d) => (d.QueryLanguage = 'JSONata')),
    /^\$\.QueryLanguage must be JSONPath$/,
  );
  rejects(
    edited((d) => (d.States.PackedMap.QueryLanguage = 'JSONata')),
    /\$\.States\.PackedMap\.QueryLanguage must be JSONPath/,
  );
  rejects(
    edited((d) => (d.States.PackedMap.ItemProcessor.States.InvokePacked.QueryLanguage = 'JSONata')),
    /InvokePacked\.QueryLanguage must be JSONPath/,
  );
  rejects(
    edited((d) => (d.States.Second = { Type: 'Pass', End: true })),
    /\$\.States must hold exactly one state, found 2/,
  );
  rejects(
    edited((d) => (d.States.PackedMap.ItemProcessor.ProcessorConfig.Mode = 'INLINE')),
    /ProcessorConfig\.Mode must be "DISTRIBUTED"/,
  );
  rejects(
    edited((d) => (d.States.PackedMap.ItemProcessor.States.InvokePacked.Resource = 'arn:aws:lambda:us-east-1:1:function:f')),
    new RegExp(`InvokePacked\\.Resource must be "${LAMBDA_INVOKE_RESOURCE.replace(/[.$]/g, '\\$&')}"`),
  );
  for (const bad of [0, '8', 2.5])
    rejects(
      edited((d) => (d.States.PackedMap.ItemBatcher.MaxItemsPerBatch = bad)),
      /ItemBatcher\.MaxItemsPerBatch must be an integer/,
    );
  rejects(
    edited((d) => (d.States.PackedMap.ItemSelector = { 'task.$': '$$.Map.Item.Value' })),
    /PackedMap\.ItemSelector must not be set/,
  );
  rejects(
    edited((d) => (d.States.PackedMap.ItemProcessor.States.InvokePacked.Retry = [{ ErrorEquals: [] }])),
    /Retry\[0\]\.ErrorEquals/,
  );
});

test('mapMaxConcurrency: one child per instance, within the account and the Map', () => {
  assert.equal(mapMaxConcurrency(5000, 8, 1000), 625);
  assert.equal(mapMaxConcurrency(5000, 1, 1000), 1000);
  assert.equal(mapMaxConcurrency(100_000, 1, 20_000), 10_000);
  assert.equal(mapMaxConcurrency(10, 3, 1000), 4, 'the remainder instance is a child too');
  assert.equal(mapMaxConcurrency(0, 3, 1000), 1);
});

test('retryDelayS grows by BackoffRate, stops at MaxDelaySeconds, and FULL jitter scales by the draw', () => {
  const rule: RetryRule = { errorEquals: ['E'], intervalS: 1, maxAttempts: 8, backoffRate: 2, maxDelayS: 30, jitter: 'NONE' };
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayS(rule, n, 0.5)),
    [1, 2, 4, 8, 16, 30, 30],
  );
  assert.deepEqual(
    [1, 2, 3].map((n) => retryDelayS({ ...rule, intervalS: 3, backoffRate: 1.5, maxDelayS: undefined }, n, 0)),
    [3, 4.5, 6.75],
  );
  const full = { ...rule, jitter: 'FULL' } as const;
  assert.equal(retryDelayS(full, 3, 0), 0);
  assert.equal(retryDelayS(full, 3, 0.25), 1);
  assert.equal(retryDelayS(full, 7, 0.5), 15, 'the draw scales the capped delay');
});

test('retryRuleFor: first matching rule in order; wildcards never retry terminal errors', () => {
  const throttle: RetryRule = {
    errorEquals: ['Lambda.TooManyRequestsException'],
    intervalS: 1,
    maxAttempts: 3,
    backoffRate: 2,
    jitter: 'FULL',
  };
  const failed: RetryRule = { ...throttle, errorEquals: ['States.TaskFailed'] };
  const all: RetryRule = { ...throttle, errorEquals: ['States.ALL'] };
  assert.equal(retryRuleFor(DEFAULT_RETRY, 'Lambda.TooManyRequestsException'), DEFAULT_RETRY[0]);
  assert.equal(retryRuleFor(DEFAULT_RETRY, 'Runtime.OutOfMemory'), undefined);
  assert.equal(retryRuleFor([throttle, all], 'Lambda.TooManyRequestsException'), throttle);
  assert.equal(retryRuleFor([throttle, all], 'Runtime.OutOfMemory'), all);
  assert.equal(retryRuleFor([all], 'States.DataLimitExceeded'), undefined);
  assert.equal(retryRuleFor([all], 'States.Runtime'), undefined);
  assert.equal(retryRuleFor([failed], 'Lambda.ServiceException'), failed);
  assert.equal(retryRuleFor([failed], 'States.Timeout'), undefined);
  assert.equal(retryRuleFor([{ ...throttle, errorEquals: ['States.Timeout'] }], 'States.Timeout')?.errorEquals[0], 'States.Timeout');
});

test('ResultWriter files: the manifest and the entries are read, malformed ones refused', () => {
  const m = parseResultManifest(
    JSON.stringify({
      DestinationBucket: 'jobs',
      MapRunArn: 'arn:aws:states:us-east-1:1:mapRun:m/r',
      ResultFiles: { SUCCEEDED: [{ Key: 'p/r/SUCCEEDED_0.json', Size: 10 }], FAILED: [] },
    }),
  );
  assert.deepEqual(m.ResultFiles, { SUCCEEDED: [{ Key: 'p/r/SUCCEEDED_0.json', Size: 10 }], FAILED: [], PENDING: [] });
  assert.throws(() => parseResultManifest('{"ResultFiles": {}}'), /DestinationBucket/);
  assert.throws(() => parseResultManifest('{"DestinationBucket": "b", "ResultFiles": {"FAILED": [{}]}}'), /ResultFiles\.FAILED/);
  const entry = { ExecutionArn: 'arn:x', Status: 'SUCCEEDED', StartDate: '2026-01-01T00:00:00Z', Input: '{}', Output: '{}' };
  assert.deepEqual(parseResultEntries(JSON.stringify([entry])), [entry]);
  assert.throws(() => parseResultEntries('{}'), /not a JSON array/);
  assert.throws(() => parseResultEntries(JSON.stringify([entry, { ...entry, Input: undefined }])), /entry 1/);
});

test('mapDispatchCostUsd: the parent, one transition per child and one per Task attempt', () => {
  assert.equal(SFN_PRICE.transitionUsd, 0.000025);
  // C=5000, p=8: 625 children, each invoking once, 10 throttled attempts retried.
  assert.ok(Math.abs(mapDispatchCostUsd(625, 635) - (2 + 625 + 635) * 0.000025) < 1e-12);
  assert.equal(mapDispatchCostUsd(1, 1, { transitionUsd: 1 }), 4);
});
