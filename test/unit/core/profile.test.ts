import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describeSource, parseProfile, ProfileError, serializeProfile, validateProfile } from '../../../src/core/profile';
import { syntheticProfile } from '../../support/fixtures';

const good = (): Record<string, unknown> => JSON.parse(JSON.stringify(syntheticProfile())) as Record<string, unknown>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke arbitrary JSON
function expectFault(mutate: (p: Record<string, any>) => void, field: string): void {
  const p = good();
  mutate(p);
  assert.throws(
    () => parseProfile(JSON.stringify(p), 'team.json'),
    (e: unknown) => e instanceof ProfileError && e.message.startsWith('team.json: ') && e.field === field && !e.message.includes('\n'),
    `expected a fault naming ${field}`,
  );
}

test('a valid profile round-trips through serialize and parse', () => {
  const p = syntheticProfile();
  const text = serializeProfile(p);
  assert.deepEqual(parseProfile(text, 'p.json'), p);
  assert.ok(text.endsWith('\n'));
  assert.ok(text.includes('"startOffsetsS": [0, 0.05,'), 'number arrays stay on one line');
});

test('not JSON names the file', () => {
  assert.throws(() => parseProfile('{"schema": ', 'broken.json'), /broken.json: \(file\) is not valid JSON/);
});

test('every bad field is named', () => {
  expectFault((p) => (p.schema = 'propack.profile/v0'), 'schema');
  expectFault((p) => delete p.function, 'function');
  expectFault((p) => (p.function.memoryMb = 64), 'function.memoryMb');
  expectFault((p) => (p.function.memoryMb = 1024.5), 'function.memoryMb');
  expectFault((p) => (p.function.architecture = 'sparc'), 'function.architecture');
  expectFault((p) => (p.function.name = ''), 'function.name');
  expectFault((p) => (p.function.region = 3), 'function.region');
  expectFault((p) => (p.function.vcpus = 0), 'function.vcpus');
  expectFault((p) => (p.source.kind = 'gcp'), 'source.kind');
  expectFault((p) => (p.scaling.runs = []), 'scaling.runs');
  expectFault((p) => (p.scaling.runs[1].concurrency = -5), 'scaling.runs[1].concurrency');
  expectFault((p) => (p.scaling.runs[0].scaleTimeS = 'fast'), 'scaling.runs[0].scaleTimeS');
  expectFault((p) => (p.scaling.runs[0].startOffsetsS = [0, 2, 1]), 'scaling.runs[0].startOffsetsS[2]');
  expectFault((p) => (p.scaling.runs[2].durationsS[0] = null), 'scaling.runs[2].durationsS[0]');
  expectFault((p) => (p.packing.samples = []), 'packing.samples');
  expectFault((p) => (p.packing.samples = p.packing.samples.slice(1)), 'packing.samples');
  expectFault((p) => (p.packing.samples[3].degree = 2), 'packing.samples[3].degree');
  expectFault((p) => (p.packing.samples[0].timesS = []), 'packing.samples[0].timesS');
  expectFault((p) => (p.packing.samples[0].timesS = [-1]), 'packing.samples[0].timesS[0]');
  expectFault((p) => delete p.packing.clientOverheadS, 'packing.clientOverheadS');
  expectFault((p) => (p.concurrencyLimit = 0), 'concurrencyLimit');
  expectFault((p) => (p.initDurationS = 1e9), 'initDurationS');
  expectFault((p) => (p.recommendations = {}), 'recommendations');
});

test('fuzz: any mutation either validates or fails with a one-line ProfileError', () => {
  const base = good();
  const paths: string[][] = [];
  const walk = (v: unknown, path: string[]): void => {
    paths.push(path);
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(base, []);
  fc.assert(
    fc.property(fc.constantFrom(...paths.filter((p) => p.length > 0)), fc.anything(), (path, value) => {
      const p = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
      let o = p as Record<string, unknown>;
      for (const k of path.slice(0, -1)) o = o[k] as Record<string, unknown>;
      o[path[path.length - 1]] = value;
      try {
        validateProfile(JSON.parse(JSON.stringify(p)) as unknown, 'fuzz.json');
      } catch (e) {
        return e instanceof ProfileError && !e.message.includes('\n');
      }
      return true;
    }),
    { numRuns: 500, seed: 42 },
  );
});

test('variants: valid ones round-trip; every bad field is named by its path', () => {
  const v = (): Record<string, unknown> => ({
    memoryMb: 3538,
    architecture: 'arm64',
    packing: { clientOverheadS: 0, samples: [{ degree: 1, timesS: [1] }] },
  });
  const withVariant = { ...syntheticProfile(), variants: [v()] };
  const back = parseProfile(serializeProfile(withVariant as never), 'v.json');
  assert.equal(back.variants?.[0].architecture, 'arm64');
  assert.equal(parseProfile(serializeProfile(syntheticProfile()), 'old.json').variants, undefined, 'older files load unchanged');
  expectFault((p) => (p.variants = {}), 'variants');
  expectFault((p) => (p.variants = [{ ...v(), memoryMb: 64 }]), 'variants[0].memoryMb');
  expectFault((p) => (p.variants = [{ ...v(), architecture: 'sparc' }]), 'variants[0].architecture');
  expectFault((p) => (p.variants = [{ ...v(), vcpus: 0 }]), 'variants[0].vcpus');
  expectFault(
    (p) => (p.variants = [{ ...v(), packing: { clientOverheadS: 0, samples: [{ degree: 2, timesS: [1] }] } }]),
    'variants[0].packing.samples',
  );
  expectFault(
    (p) => (p.variants = [{ ...v(), packing: { clientOverheadS: 0, samples: [{ degree: 1, timesS: ['x'] }] } }]),
    'variants[0].packing.samples[0].timesS[0]',
  );
  expectFault((p) => (p.variants = [v(), v()]), 'variants[1]');
  expectFault((p) => (p.variants = [{ ...v(), memoryMb: 2048, architecture: 'x86_64' }]), 'variants[0]');
});

test('deployment settings (timeout, variable names, sources) are optional and round-trip', () => {
  const p = syntheticProfile();
  assert.equal(p.function.settingsSource, undefined, 'the fixture is an older profile without them, and loads');
  p.function.timeoutS = 60;
  p.function.environmentNames = ['AWS_ENDPOINT_URL_S3', 'GREETING'];
  p.function.settingsSource = {
    memoryMb: 'template.yaml (Globals.Function.MemorySize)',
    timeoutS: 'default',
    architecture: 'default',
    environment: 'template.yaml (Resources.Echo.Properties.Environment.Variables: GREETING); ProPack: AWS_ENDPOINT_URL_S3',
  };
  assert.deepEqual(parseProfile(serializeProfile(p), 'p.json'), p);
});

test('malformed deployment settings name their field', () => {
  expectFault((p) => (p.function.timeoutS = 901), 'function.timeoutS');
  expectFault((p) => (p.function.environmentNames = 'GREETING'), 'function.environmentNames');
  expectFault((p) => (p.function.environmentNames = ['']), 'function.environmentNames[0]');
  expectFault((p) => (p.function.settingsSource = 'template.yaml'), 'function.settingsSource');
  expectFault(
    (p) => (p.function.settingsSource = { memoryMb: 'default', timeoutS: 'default', architecture: 'default' }),
    'function.settingsSource.environment',
  );
});

test('describeSource names where a profile came from without repeating the kind', () => {
  assert.equal(describeSource({ kind: 'local', detail: 'local' }), 'local');
  assert.equal(describeSource({ kind: 'local' }), 'local');
  assert.equal(describeSource({ kind: 'local', detail: ' ' }), 'local');
  assert.equal(describeSource({ kind: 'local', detail: 'local (aws-2021)' }), 'local (aws-2021)');
  assert.equal(
    describeSource({ kind: 'local', detail: 'local platform, preset aws-2021, time scale 1' }),
    'local platform, preset aws-2021, time scale 1',
  );
  assert.equal(describeSource({ kind: 'aws', detail: 'aws:default@us-east-1' }), 'aws:default@us-east-1');
  assert.equal(describeSource({ kind: 'aws', detail: 'awsome-account' }), 'aws (awsome-account)');
  assert.equal(describeSource({ kind: 'artifact', detail: 'video, ProPack AWS 2021' }), 'artifact (video, ProPack AWS 2021)');
});
