import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { vcpusForMemory } from '../../../src/core/pricing';
import { functionConfigFor } from '../../../src/extension/commands/deploy-handler';
import {
  declaredSettingsSummary,
  DEFAULT_MEMORY_MB,
  DEFAULT_TIMEOUT_S,
  deployEnvironment,
  functionSettings,
  SettingsError,
  settingsSummary,
} from '../../../src/extension/handlers/function-settings';
import type { DeclaredFunction } from '../../../src/core/templates/declared';
import { parseSamTemplate } from '../../../src/core/templates/sam-template';
import { parseServerlessYml } from '../../../src/core/templates/serverless-yml';

const sam = (props: string, globals = ''): DeclaredFunction => {
  const text = `${
    globals
      ? `Globals:\n  Function:\n${globals
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n')}\n`
      : ''
  }Parameters:\n  Mem: {Type: Number, Default: 1024}\nResources:\n  Echo:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: echo.handler\n${props
    .split('\n')
    .filter(Boolean)
    .map((l) => `      ${l}`)
    .join('\n')}\n`;
  const [f] = parseSamTemplate(text, 'template.yaml');
  assert.ok(f, text);
  return f;
};

/** The one-line SettingsError message `fn` throws. */
function settingsError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof SettingsError, String(e));
    assert.ok(!e.message.includes('\n'), 'one line');
    return e.message;
  }
  assert.fail('expected a SettingsError');
}

describe('function settings from a deployment file', () => {
  it('without a file: ProPack defaults (1,769 MB = one vCPU, 300 s, x86_64, no variables)', () => {
    const s = functionSettings(undefined);
    assert.deepEqual(s, {
      memoryMb: DEFAULT_MEMORY_MB,
      timeoutS: DEFAULT_TIMEOUT_S,
      architecture: 'x86_64',
      environment: {},
      sources: { memoryMb: 'default', timeoutS: 'default', architecture: 'default', environment: 'none' },
    });
    assert.equal(DEFAULT_MEMORY_MB, 1769);
    assert.equal(vcpusForMemory(DEFAULT_MEMORY_MB), 1);
  });

  it('takes the template values and says where each came from', () => {
    const s = functionSettings(
      sam(
        'MemorySize: 2048\nArchitectures: [arm64]\nEnvironment:\n  Variables:\n    GREETING: hi\n    TABLE: !Ref Table',
        'Timeout: 60\nEnvironment:\n  Variables:\n    STAGE: dev\n    N: 3',
      ),
    );
    assert.deepEqual(s, {
      memoryMb: 2048,
      timeoutS: 60,
      architecture: 'arm64',
      environment: { STAGE: 'dev', N: '3', GREETING: 'hi' },
      sources: {
        memoryMb: 'template.yaml (Resources.Echo.Properties.MemorySize)',
        timeoutS: 'template.yaml (Globals.Function.Timeout)',
        architecture: 'template.yaml (Resources.Echo.Properties.Architectures)',
        environment:
          'template.yaml (Globals.Function.Environment.Variables: STAGE, N; Resources.Echo.Properties.Environment.Variables: GREETING; not set, known only when deployed: TABLE)',
      },
    });
  });

  it('fields the file leaves out keep the defaults; an unresolvable one does too, and its source says why', () => {
    const s = functionSettings(sam('MemorySize: !GetAtt Config.Memory\nTimeout: "30"'));
    assert.equal(s.memoryMb, DEFAULT_MEMORY_MB);
    assert.equal(s.timeoutS, 30, 'integers given as text, as parameters are, are accepted as CloudFormation does');
    assert.equal(
      s.sources.memoryMb,
      'default (template.yaml: Resources.Echo.Properties.MemorySize = !GetAtt Config.Memory is not known before deploying: an attribute of a deployed resource)',
    );
    assert.equal(s.sources.architecture, 'default');
    assert.equal(functionSettings(sam('MemorySize: !Ref Mem')).memoryMb, 1024);
    assert.equal(
      functionSettings(sam('MemorySize: !Ref Mem')).sources.memoryMb,
      'template.yaml (Resources.Echo.Properties.MemorySize = !Ref Mem)',
    );
  });

  it('refuses what Lambda refuses, in one line naming the file, the function and each field', () => {
    assert.equal(
      settingsError(() => functionSettings(sam('MemorySize: 100'))),
      'template.yaml: function Echo: Resources.Echo.Properties.MemorySize must be an integer from 128 to 10240 MB, got 100',
    );
    assert.match(
      settingsError(() => functionSettings(sam('MemorySize: 10241'))),
      /MemorySize must be an integer from 128 to 10240 MB, got 10241$/,
    );
    assert.match(
      settingsError(() => functionSettings(sam('MemorySize: 1024.5'))),
      /got 1024\.5$/,
    );
    assert.match(
      settingsError(() => functionSettings(sam('', 'Timeout: 901'))),
      /^template\.yaml: function Echo: Globals\.Function\.Timeout must be an integer from 1 to 900 seconds, got 901$/,
    );
    assert.match(
      settingsError(() => functionSettings(sam('Timeout: 0'))),
      /Timeout must be an integer from 1 to 900 seconds, got 0$/,
    );
    assert.match(
      settingsError(() => functionSettings(sam('Architectures: [x86_64, arm64]'))),
      /Architectures must be \[x86_64\] or \[arm64\], got \["x86_64","arm64"\]$/,
    );
    assert.match(
      settingsError(() => functionSettings(sam('Architectures: [arm]'))),
      /got \["arm"\]$/,
    );
    assert.match(
      settingsError(() => functionSettings(sam('Environment: {Variables: {AWS_REGION: eu-west-1, X: y}}'))),
      /Resources\.Echo\.Properties\.Environment\.Variables sets reserved keys the Lambda runtime sets itself: AWS_REGION$/,
    );
    assert.match(
      settingsError(() => functionSettings(sam('Environment: {Variables: {EMPTY: }}'))),
      /EMPTY must be a string, got null$/,
    );
    assert.match(
      settingsError(() => functionSettings(sam('Environment: {Variables: {"1BAD": x}}'))),
      /has the name "1BAD", which is not a letter followed by letters, digits and underscores$/,
    );
    assert.match(
      settingsError(() => functionSettings(sam(`Environment: {Variables: {BIG: ${'x'.repeat(4100)}}}`))),
      /takes 4103 bytes, over Lambda's 4096-byte limit$/,
    );
    // Every bad field at once, so one edit of the file fixes them all.
    assert.match(
      settingsError(() => functionSettings(sam('MemorySize: 64\nTimeout: 1000'))),
      /MemorySize must .*; Resources\.Echo\.Properties\.Timeout must/,
    );
  });

  it('reads Serverless Framework settings: provider defaults, function overrides, one architecture as text', () => {
    const [f] = parseServerlessYml(
      'provider:\n  memorySize: 1024\n  timeout: 20\n  architecture: arm64\n  environment: {A: a}\nfunctions:\n  f:\n    handler: h.main\n    timeout: 40\n    environment: {B: 2}\n',
      'api/serverless.yml',
    );
    const s = functionSettings(f);
    assert.deepEqual([s.memoryMb, s.timeoutS, s.architecture, s.environment], [1024, 40, 'arm64', { A: 'a', B: '2' }]);
    assert.deepEqual(s.sources, {
      memoryMb: 'api/serverless.yml (provider.memorySize)',
      timeoutS: 'api/serverless.yml (functions.f.timeout)',
      architecture: 'api/serverless.yml (provider.architecture)',
      environment: 'api/serverless.yml (provider.environment: A; functions.f.environment: B)',
    });
    const [bad] = parseServerlessYml('functions:\n  f:\n    handler: h.main\n    architecture: arm\n', 'serverless.yml');
    assert.equal(
      settingsError(() => functionSettings(bad)),
      'serverless.yml: function f: functions.f.architecture must be [x86_64] or [arm64], got ["arm"]',
    );
  });
});

describe('the deployed configuration', () => {
  it("adds ProPack's own variables, which take their keys from the file's", () => {
    const s = functionSettings(sam('Environment: {Variables: {AWS_ENDPOINT_URL_S3: http://mine, K: v}}'));
    const env = deployEnvironment(s, { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1' });
    assert.deepEqual(env.variables, { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1', K: 'v' });
    assert.equal(
      env.source,
      "template.yaml (Resources.Echo.Properties.Environment.Variables: AWS_ENDPOINT_URL_S3, K); ProPack: AWS_ENDPOINT_URL_S3 (replacing the file's AWS_ENDPOINT_URL_S3)",
    );
    assert.equal(deployEnvironment(functionSettings(undefined), { AWS_ENDPOINT_URL_S3: 'x' }).source, 'ProPack: AWS_ENDPOINT_URL_S3');
    assert.equal(deployEnvironment(functionSettings(undefined), {}).source, 'none');
    assert.throws(() => deployEnvironment(s, { AWS_REGION: 'x' }), /reserved/);
  });

  it('functionConfigFor: memory, vCPUs from memory, timeout, architecture, variable names only, sources', () => {
    const declared = sam('MemorySize: 1024\nTimeout: 60\nEnvironment: {Variables: {SECRET_TOKEN: hunter2}}');
    const { fn, environment, settings } = functionConfigFor({ functionName: 'echo fn', declared }, 'eu-west-1', {
      AWS_ENDPOINT_URL_S3: 'http://s3',
    });
    assert.deepEqual(fn, {
      name: 'echo-fn',
      memoryMb: 1024,
      architecture: 'x86_64',
      region: 'eu-west-1',
      runtime: 'nodejs20.x',
      vcpus: vcpusForMemory(1024),
      timeoutS: 60,
      environmentNames: ['AWS_ENDPOINT_URL_S3', 'SECRET_TOKEN'],
      settingsSource: {
        memoryMb: 'template.yaml (Resources.Echo.Properties.MemorySize)',
        timeoutS: 'template.yaml (Resources.Echo.Properties.Timeout)',
        architecture: 'default',
        environment: 'template.yaml (Resources.Echo.Properties.Environment.Variables: SECRET_TOKEN); ProPack: AWS_ENDPOINT_URL_S3',
      },
    });
    assert.ok(!JSON.stringify(fn).includes('hunter2'), 'no variable value in the profile');
    assert.deepEqual(environment, { SECRET_TOKEN: 'hunter2', AWS_ENDPOINT_URL_S3: 'http://s3' });
    assert.equal(settings.timeoutS, 60);
    // Without a file: today's defaults.
    const plain = functionConfigFor({ functionName: 'echo' }, 'us-east-1').fn;
    assert.deepEqual(
      [plain.memoryMb, plain.vcpus, plain.timeoutS, plain.architecture, plain.environmentNames],
      [1769, 1, 300, 'x86_64', []],
    );
    assert.deepEqual(settingsSummary(fn), [
      'memory 1024 MB: template.yaml (Resources.Echo.Properties.MemorySize)',
      'timeout 60 s: template.yaml (Resources.Echo.Properties.Timeout)',
      'architecture x86_64: default',
      'environment: template.yaml (Resources.Echo.Properties.Environment.Variables: SECRET_TOKEN); ProPack: AWS_ENDPOINT_URL_S3',
    ]);
    assert.deepEqual(settingsSummary({ name: 'old', memoryMb: 1769, architecture: 'x86_64', region: 'r' }), []);
  });
});

describe("the tree tooltip's settings of a declared function", () => {
  it('names each setting with its source, the esbuild settings and the notes', () => {
    const f = sam('MemorySize: !Ref Mem\nTimeout: !GetAtt X.Timeout\nRuntime: nodejs20.x', 'Environment: {Variables: {STAGE: dev}}');
    assert.deepEqual(
      declaredSettingsSummary({ ...f, build: { format: 'esm', external: ['pg', 'sharp'] }, notes: ['package.patterns not applied'] }),
      [
        'settings from template.yaml (Echo)',
        'memory 1024 MB: template.yaml (Resources.Echo.Properties.MemorySize = !Ref Mem)',
        `timeout ${DEFAULT_TIMEOUT_S} s: default (template.yaml: Resources.Echo.Properties.Timeout = !GetAtt X.Timeout is not known before deploying: an attribute of a deployed resource)`,
        'architecture x86_64: default',
        'environment: template.yaml (Globals.Function.Environment.Variables: STAGE)',
        'runtime nodejs20.x: template.yaml (Resources.Echo.Properties.Runtime)',
        'esbuild: format esm, external pg,sharp',
        'note: package.patterns not applied',
      ],
    );
  });

  it('says why a declared value cannot be deployed instead of listing settings', () => {
    assert.deepEqual(declaredSettingsSummary(sam('MemorySize: 64')), [
      'settings from template.yaml (Echo)',
      'cannot be deployed as declared: template.yaml: function Echo: Resources.Echo.Properties.MemorySize must be an integer from 128 to 10240 MB, got 64',
    ]);
  });
});
