// The template readers on fixture projects (test/fixtures/templates): a SAM template with Globals,
// parameters, CloudFormation tags and esbuild metadata, a serverless.yml with provider defaults and
// ${self:} references, a synthesized cdk.out, and malformed files.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { functionSettings } from '../../../../src/extension/handlers/function-settings';
import { DeploymentFileError, Unresolved, type DeclaredFunction } from '../../../../src/core/templates/declared';
import { isCdkTemplate, isDeploymentFile, parseDeploymentFile } from '../../../../src/core/templates/deployment-file';
import { mergeSamGlobals, parseSamTemplate } from '../../../../src/core/templates/sam-template';

/** The repository's test/fixtures/templates folder (the tests run compiled, from out/). */
function fixtures(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'test', 'fixtures', 'templates');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
  }
  throw new Error(`no test/fixtures/templates above ${__dirname}`);
}

const read = (rel: string): DeclaredFunction[] => parseDeploymentFile(rel, readFileSync(join(fixtures(), rel), 'utf8'));
const byKey = (fns: DeclaredFunction[], key: string): DeclaredFunction => {
  const f = fns.find((x) => x.key === key);
  assert.ok(f, `${key} among ${fns.map((x) => x.key).join(', ')}`);
  return f;
};

describe('template fixtures: SAM', () => {
  const fns = read('sam/template.yaml');
  const resize = byKey(fns, 'ResizeFunction');

  it('names the function by its resolved FunctionName and its handler under Globals.CodeUri', () => {
    assert.deepEqual([resize.functionName, resize.modulePath, resize.exportName], ['resize-dev', 'src/app', 'handler']);
    const thumbs = byKey(fns, 'ThumbFunction');
    assert.deepEqual([thumbs.functionName, thumbs.modulePath, thumbs.exportName], ['ThumbFunction', 'src/thumbs/index', 'main']);
  });

  it('merges Globals under the function, evaluating parameters, mappings and conditions', () => {
    const s = functionSettings(resize);
    assert.equal(s.memoryMb, 1024);
    assert.equal(s.sources.memoryMb, 'sam/template.yaml (Globals.Function.MemorySize = !FindInMap [StageSettings, !Ref Stage, Memory])');
    assert.equal(s.timeoutS, 30, '!If [IsProd, 120, 30] with Stage=dev');
    assert.equal(s.architecture, 'x86_64');
    assert.equal(s.sources.architecture, 'default');
    assert.deepEqual(s.environment, { STAGE: 'dev', LOG_LEVEL: 'debug', SERVICE: 'resize' });
    assert.equal(resize.settings.runtime?.value, 'nodejs20.x');
    assert.equal(functionSettings(byKey(fns, 'ThumbFunction')).architecture, 'arm64');
  });

  it('keeps what is known only once deployed as Unresolved, with the reason', () => {
    const env = resize.settings.environment;
    const reason = (name: string): string => {
      const v = env[name].value;
      assert.ok(v instanceof Unresolved, `${name} is unresolved`);
      return `${v.expr}: ${v.reason}`;
    };
    assert.equal(reason('BUCKET'), '!Ref Images: Images is a resource: its name or id is known only once deployed');
    assert.equal(reason('TABLE_ARN'), '!GetAtt Table.Arn: an attribute of a deployed resource');
    assert.equal(reason('API_KEY'), '!Ref ApiKey: parameter ApiKey has no Default');
    assert.equal(
      reason('REGION_URL'),
      '!Sub "https://s3.${AWS::Region}.amazonaws.com": AWS::Region is known only once deployed (no target given)',
    );
  });

  it('resolves pseudo parameters the caller knows', () => {
    const [f] = parseDeploymentFile('sam/template.yaml', readFileSync(join(fixtures(), 'sam/template.yaml'), 'utf8'), {
      pseudo: { 'AWS::Region': 'eu-west-1' },
    });
    assert.equal(f.settings.environment.REGION_URL.value, 'https://s3.eu-west-1.amazonaws.com');
  });

  it('reads Metadata.BuildMethod esbuild into the bundler settings, and notes what it does not apply', () => {
    assert.deepEqual(resize.build, {
      entryPoints: ['app.ts'],
      external: ['pg-native'],
      format: 'esm',
      minify: true,
      sourcemap: true,
      target: 'es2020',
    });
    assert.deepEqual(resize.notes, [
      'Resources.ResizeFunction.Metadata.BuildProperties: UseNpmCi not applied (ProPack reads EntryPoints, External, Format, Minify, Sourcemap, Target)',
    ]);
    assert.equal(byKey(fns, 'ThumbFunction').build, undefined);
  });
});

describe('template fixtures: serverless.yml', () => {
  const fns = read('serverless/serverless.yml');

  it('takes provider defaults under each function, resolving ${self:} and ${opt:x, default}', () => {
    const resize = functionSettings(byKey(fns, 'resize'));
    assert.deepEqual([resize.memoryMb, resize.timeoutS, resize.architecture], [512, 45, 'arm64']);
    assert.deepEqual(resize.environment, { STAGE: 'dev', TABLE: 'own-table' });
    const thumbs = functionSettings(byKey(fns, 'thumbs'));
    assert.deepEqual([thumbs.memoryMb, thumbs.timeoutS, thumbs.architecture], [2048, 20, 'x86_64']);
    assert.equal(thumbs.sources.memoryMb, 'serverless/serverless.yml (provider.memorySize = ${self:custom.memory})');
    assert.deepEqual(thumbs.environment, { STAGE: 'dev', TABLE: 'thumbs-dev' });
    assert.equal(byKey(fns, 'thumbs').modulePath, 'src/thumbs');
  });

  it('reports the variables it cannot resolve, with the reason', () => {
    const env = byKey(fns, 'thumbs').settings.environment;
    assert.deepEqual(
      [env.SECRET.value, env.HOME_DIR.value].map((v) => (v instanceof Unresolved ? v.reason : v)),
      ['ssm:/thumbs/secret is read from AWS when deploying', "env:HOME is read from the deploying shell's environment"],
    );
    assert.match(functionSettings(byKey(fns, 'thumbs')).sources.environment, /not set, known only when deployed: SECRET, HOME_DIR/);
  });

  it('notes the package settings it does not apply', () => {
    assert.deepEqual(byKey(fns, 'resize').notes, [
      'package.patterns, package.individually not applied: ProPack bundles each function from its handler and dependencies',
    ]);
  });
});

describe('template fixtures: cdk.out', () => {
  it('recognises synthesized templates by their path', () => {
    assert.equal(isCdkTemplate('infra/cdk.out/AppStack.template.json'), true);
    assert.equal(isDeploymentFile('infra/cdk.out/AppStack.template.json'), true);
    assert.equal(isDeploymentFile('infra/cdk.out/manifest.json'), false);
    assert.equal(isDeploymentFile('infra/AppStack.template.json'), false);
    assert.equal(isDeploymentFile('api/serverless.yml'), true);
  });

  it('finds the function by its asset folder, named by its construct id, with its settings', () => {
    const fns = read('cdk/cdk.out/AppStack.template.json');
    assert.deepEqual(
      fns.map((f) => [f.key, f.functionName, f.modulePath, f.exportName]),
      [['Greeter9D1E2F3A', 'Greeter', 'asset.4f1c9e2ab7/index', 'handler']],
    );
    assert.ok(existsSync(join(fixtures(), 'cdk/cdk.out', `${fns[0].modulePath}.js`)), 'the module path names the bundled file');
    const s = functionSettings(fns[0]);
    assert.deepEqual([s.memoryMb, s.timeoutS], [1536, 25]);
    assert.deepEqual(s.environment, { GREETING: 'hi', AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1' });
    assert.equal(s.sources.memoryMb, 'cdk/cdk.out/AppStack.template.json (Resources.Greeter9D1E2F3A.Properties.MemorySize)');
  });
});

describe('template fixtures: malformed files', () => {
  it('a YAML error names the file, line and column on one line', () => {
    assert.throws(
      () => read('bad/template.yaml'),
      (e: unknown) =>
        e instanceof DeploymentFileError &&
        /^bad\/template\.yaml: not valid YAML \(line 9, column \d+\): /.test(e.message) &&
        !e.message.includes('\n'),
    );
  });

  it('a JSON error in a synthesized template names the file and line', () => {
    assert.throws(
      () => read('bad/Broken.template.json'),
      (e: unknown) =>
        e instanceof DeploymentFileError &&
        /^bad\/Broken\.template\.json: not valid JSON \(line \d+, column \d+\): /.test(e.message) &&
        !e.message.includes('\n'),
    );
  });

  it('a bad esbuild setting names the field and what it must be', () => {
    const text = (props: string): string =>
      `Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: a.handler}\n    Metadata:\n      BuildMethod: esbuild\n      BuildProperties: ${props}\n`;
    assert.throws(
      () => parseSamTemplate(text('{Format: umd}')),
      (e: unknown) =>
        e instanceof DeploymentFileError &&
        e.message === 'template.yaml: Resources.F.Metadata.BuildProperties.Format must be esm or cjs, got "umd"',
    );
    assert.throws(() => parseSamTemplate(text('{Minify: maybe}')), /BuildProperties\.Minify must be true or false, got "maybe"$/);
    assert.throws(() => parseSamTemplate(text('{EntryPoints: {a: 1}}')), /BuildProperties\.EntryPoints must be a list of texts/);
    assert.throws(() => parseSamTemplate(text('[x]')), /BuildProperties must be a map of esbuild settings/);
    assert.deepEqual(
      parseSamTemplate(text('{Minify: "false", EntryPoints: app.ts}'))[0].build,
      { minify: false, entryPoints: ['app.ts'] },
      'CloudFormation-style strings and a single entry point',
    );
  });

  it('another build method is noted, not applied', () => {
    const [f] = parseSamTemplate(
      'Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: a.handler}\n    Metadata: {BuildMethod: makefile}\n',
    );
    assert.equal(f.build, undefined);
    assert.deepEqual(f.notes, ['Resources.F.Metadata.BuildMethod makefile is not applied: ProPack bundles Node functions with esbuild']);
  });
});

describe('SAM Globals merge rules', () => {
  it('merges maps per key, concatenates lists, lets the function replace other values', () => {
    assert.deepEqual(
      mergeSamGlobals(
        { Timeout: 3, Layers: ['g'], Environment: { Variables: { A: '1', B: '2' } }, Tags: { t: 'g' } },
        { Timeout: 9, Layers: ['f'], Environment: { Variables: { B: 'own' } } },
      ),
      { Timeout: 9, Layers: ['g', 'f'], Environment: { Variables: { A: '1', B: 'own' } }, Tags: { t: 'g' } },
    );
    assert.deepEqual(mergeSamGlobals({ VpcConfig: { SubnetIds: ['a'] } }, { VpcConfig: 'none' }), { VpcConfig: 'none' });
  });

  it('a list in both places is the concatenation, as SAM deploys it, so a doubled Architectures is refused with both sources named', () => {
    const [f] = parseSamTemplate(
      'Globals: {Function: {Architectures: [x86_64]}}\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: a.handler, Architectures: [arm64]}\n',
    );
    assert.deepEqual(f.settings.architecture, {
      value: ['x86_64', 'arm64'],
      from: 'Globals.Function.Architectures + Resources.F.Properties.Architectures',
    });
    assert.throws(
      () => functionSettings(f),
      /Globals\.Function\.Architectures \+ Resources\.F\.Properties\.Architectures must be \[x86_64\] or \[arm64\]/,
    );
  });
});
