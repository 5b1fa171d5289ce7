import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeploymentFileError, Unresolved, type DeclaredFunction, type DeclaredSettings } from '../../../../src/core/templates/declared';
import { functionNameFor, parseDeploymentFile } from '../../../../src/core/templates/deployment-file';
import { parseSamTemplate } from '../../../../src/core/templates/sam-template';
import { parseServerlessYml } from '../../../../src/core/templates/serverless-yml';

/** name → [value, from] of the declared settings, Unresolved shown as `?<expr>`, for compact assertions. */
function flat(s: DeclaredSettings): Record<string, [unknown, string]> {
  const show = (v: unknown): unknown => (v instanceof Unresolved ? `?${v.expr}` : v);
  const out: Record<string, [unknown, string]> = {};
  for (const k of ['memoryMb', 'timeoutS', 'architecture', 'runtime'] as const) if (s[k]) out[k] = [show(s[k]?.value), s[k]?.from ?? ''];
  for (const [name, d] of Object.entries(s.environment)) out[`env.${name}`] = [show(d.value), d.from];
  if (s.environmentUnresolved) out['env.*'] = [show(s.environmentUnresolved.value), s.environmentUnresolved.from];
  return out;
}

const byName = (fns: DeclaredFunction[], name: string): DeclaredFunction => {
  const f = fns.find((x) => x.functionName === name);
  assert.ok(f, `function ${name} among ${fns.map((x) => x.functionName).join(', ')}`);
  return f;
};

describe('deployment files: handlers', () => {
  it('reads SAM functions with CodeUri, FunctionName and comments', () => {
    const text = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  ResizeFunction:',
      '    Type: AWS::Serverless::Function # the resizer',
      '    Properties:',
      '      CodeUri: src/',
      '      Handler: app.resize',
      '      Runtime: nodejs20.x',
      '  Thumbs:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      FunctionName: thumbnails',
      "      Handler: 'lib/thumbs.lambda_handler'",
      '  Bucket:',
      '    Type: AWS::S3::Bucket',
      'Outputs:',
      '  Handler: not.a.function',
    ].join('\n');
    const fns = parseSamTemplate(text, 'template.yaml');
    assert.deepEqual(
      fns.map((f) => [f.functionName, f.key, f.modulePath, f.exportName, f.file]),
      [
        ['ResizeFunction', 'ResizeFunction', 'src/app', 'resize', 'template.yaml'],
        ['thumbnails', 'Thumbs', 'lib/thumbs', 'lambda_handler', 'template.yaml'],
      ],
    );
    assert.deepEqual(flat(fns[0].settings), { runtime: ['nodejs20.x', 'Resources.ResizeFunction.Properties.Runtime'] });
  });

  it('reads Serverless Framework functions', () => {
    const text = [
      'service: imgs',
      'functions:',
      '  hello:',
      '    handler: handler.hello',
      '    events:',
      '      - http: GET hello',
      '  world:',
      '    handler: src/world.main',
      'plugins:',
      '  - x',
    ].join('\n');
    assert.deepEqual(
      parseServerlessYml(text).map((f) => [f.functionName, f.modulePath, f.exportName]),
      [
        ['hello', 'handler', 'hello'],
        ['world', 'src/world', 'main'],
      ],
    );
  });

  it('names a handler by its declaration, else by its file', () => {
    const declared = [{ functionName: 'ResizeFunction', modulePath: 'src/app', exportName: 'resize' }];
    assert.equal(functionNameFor('src/app', 'resize', declared), 'ResizeFunction');
    assert.equal(functionNameFor('src/app', 'handler', declared), 'app');
    assert.equal(functionNameFor('video', 'handler', []), 'video');
  });

  it('ignores files without the section, malformed handlers, and code that is not a local folder', () => {
    assert.deepEqual(parseSamTemplate('Outputs:\n  X: 1\n'), []);
    assert.deepEqual(parseSamTemplate(''), []);
    assert.deepEqual(parseServerlessYml('functions:\n  a:\n    handler: nodot\n'), []);
    const text = [
      'Resources:',
      '  S3Code: {Type: AWS::Serverless::Function, Properties: {CodeUri: {Bucket: b, Key: k}, Handler: a.h}}',
      '  Inline: {Type: AWS::Lambda::Function, Properties: {Code: {ZipFile: "exports.h = 1"}, Handler: index.h}}',
      '  Image: {Type: AWS::Serverless::Function, Properties: {PackageType: Image, ImageUri: x}}',
      '  Local: {Type: AWS::Lambda::Function, Properties: {Code: ./lib/, Handler: b.main}}',
    ].join('\n');
    assert.deepEqual(
      parseSamTemplate(text).map((f) => [f.functionName, f.modulePath]),
      [['Local', 'lib/b']],
    );
  });

  it('chooses the reader by file name', () => {
    const sls = 'functions:\n  f:\n    handler: h.main\n';
    assert.equal(parseDeploymentFile('api/serverless.yaml', sls)[0].functionName, 'f');
    assert.deepEqual(parseDeploymentFile('api/template.yml', sls), []);
  });
});

describe('deployment files: SAM settings', () => {
  const template = `
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String, Default: dev}
  Memory: {Type: Number, Default: 1024}
  Subnets: {Type: CommaDelimitedList, Default: 'a, b'}
  Secret: {Type: String}
Mappings:
  Sizes: {dev: {timeout: 45}, prod: {timeout: 120}}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  NotProd: !Not [!Condition IsProd]
Globals:
  Function:
    MemorySize: !Ref Memory
    Timeout: 30
    Runtime: nodejs20.x
    CodeUri: src/
    Environment:
      Variables:
        STAGE: !Ref Stage
        SHARED: global
        RETRIES: 3
        DEBUG: false
Resources:
  Plain:
    Type: AWS::Serverless::Function
    Properties:
      Handler: plain.handler
  Tuned:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub '\${AWS::StackName}-tuned'
      Handler: tuned.handler
      MemorySize: 2048
      Timeout: !FindInMap [Sizes, !Ref Stage, timeout]
      Architectures: [arm64]
      Environment:
        Variables:
          SHARED: own
          URL: !Sub 'https://\${Stage}.example.com/\${!Literal}'
          JOINED: !Join ['-', [a, !Ref Stage, !Select [1, !Ref Subnets]]]
          LEVEL: !If [IsProd, warn, debug]
          TABLE: !Ref Table
          ARN: !GetAtt Table.Arn
          SECRET: !Ref Secret
          GONE: !If [NotProd, !Ref AWS::NoValue, x]
  Raw:
    Type: AWS::Lambda::Function
    Properties:
      Code: lib
      Handler: raw.main
      MemorySize: !If [IsProd, 3008, 512]
      Environment:
        Variables: {A: '1'}
  Table: {Type: AWS::DynamoDB::Table}
`;
  const fns = parseSamTemplate(template, 'infra/template.yaml');

  it('merges Globals.Function under a SAM function that sets nothing itself', () => {
    assert.deepEqual(flat(byName(fns, 'Plain').settings), {
      memoryMb: [1024, 'Globals.Function.MemorySize = !Ref Memory'],
      timeoutS: [30, 'Globals.Function.Timeout'],
      runtime: ['nodejs20.x', 'Globals.Function.Runtime'],
      'env.STAGE': ['dev', 'Globals.Function.Environment.Variables.STAGE = !Ref Stage'],
      'env.SHARED': ['global', 'Globals.Function.Environment.Variables'],
      'env.RETRIES': ['3', 'Globals.Function.Environment.Variables'],
      'env.DEBUG': ['false', 'Globals.Function.Environment.Variables'],
    });
    assert.equal(byName(fns, 'Plain').modulePath, 'src/plain', 'CodeUri from Globals');
  });

  it('lets function properties win, merges variables per key, and evaluates what needs no deployment', () => {
    const tuned = byName(fns, 'Tuned');
    assert.equal(tuned.key, 'Tuned');
    assert.deepEqual(flat(tuned.settings), {
      memoryMb: [2048, 'Resources.Tuned.Properties.MemorySize'],
      timeoutS: [45, 'Resources.Tuned.Properties.Timeout = !FindInMap [Sizes, !Ref Stage, timeout]'],
      architecture: [['arm64'], 'Resources.Tuned.Properties.Architectures'],
      runtime: ['nodejs20.x', 'Globals.Function.Runtime'],
      'env.STAGE': ['dev', 'Globals.Function.Environment.Variables.STAGE = !Ref Stage'],
      'env.SHARED': ['own', 'Resources.Tuned.Properties.Environment.Variables'],
      'env.RETRIES': ['3', 'Globals.Function.Environment.Variables'],
      'env.DEBUG': ['false', 'Globals.Function.Environment.Variables'],
      'env.URL': [
        'https://dev.example.com/${Literal}',
        'Resources.Tuned.Properties.Environment.Variables.URL = !Sub "https://${Stage}.example.com/${!Literal}"',
      ],
      'env.JOINED': [
        'a-dev-b',
        'Resources.Tuned.Properties.Environment.Variables.JOINED = !Join [-, [a, !Ref Stage, !Select [1, !Ref Subnets]]]',
      ],
      'env.LEVEL': ['debug', 'Resources.Tuned.Properties.Environment.Variables.LEVEL = !If [IsProd, warn, debug]'],
      'env.TABLE': ['?!Ref Table', 'Resources.Tuned.Properties.Environment.Variables.TABLE = !Ref Table'],
      'env.ARN': ['?!GetAtt Table.Arn', 'Resources.Tuned.Properties.Environment.Variables.ARN = !GetAtt Table.Arn'],
      'env.SECRET': ['?!Ref Secret', 'Resources.Tuned.Properties.Environment.Variables.SECRET = !Ref Secret'],
    });
  });

  it('keeps the logical id when FunctionName is known only once deployed', () => {
    assert.ok(fns.some((f) => f.key === 'Tuned' && f.functionName === 'Tuned'));
  });

  it('reads AWS::Lambda::Function without applying SAM Globals', () => {
    const raw = byName(fns, 'Raw');
    assert.equal(raw.modulePath, 'lib/raw');
    assert.deepEqual(flat(raw.settings), {
      memoryMb: [512, 'Resources.Raw.Properties.MemorySize = !If [IsProd, 3008, 512]'],
      'env.A': ['1', 'Resources.Raw.Properties.Environment.Variables'],
    });
  });

  it('parses every CloudFormation short-form tag, in scalar, list and map forms, into its long form', () => {
    const tags = [
      '!Ref X',
      '!Sub x',
      '!Sub [x, {A: 1}]',
      '!GetAtt A.B',
      '!GetAtt [A, B]',
      '!If [C, 1, 2]',
      '!Join [",", [a]]',
      '!Select [0, [a]]',
      '!Split [",", "a,b"]',
      '!FindInMap [M, a, b]',
      '!Base64 x',
      '!Cidr [a, 1, 2]',
      '!Equals [a, b]',
      '!And [a]',
      '!Or [a]',
      '!Not [a]',
      '!Condition C',
      '!ImportValue x',
      '!GetAZs ""',
      '!Transform {Name: x}',
      '!Length [a]',
      '!ToJsonString {a: 1}',
    ];
    const text = `Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.b\n      Environment:\n        Variables:\n${tags.map((t, i) => `          V${i}: ${t}`).join('\n')}\n`;
    const [f] = parseSamTemplate(text);
    assert.equal(Object.keys(f.settings.environment).length, tags.length);
    assert.equal(f.settings.environment.V3.value instanceof Unresolved, true);
    assert.equal((f.settings.environment.V3.value as Unresolved).expr, '!GetAtt A.B');
    assert.equal(f.settings.environment.V1.value, 'x', '!Sub without variables is its text');
    assert.equal(f.settings.environment.V2.value, 'x', '!Sub with a map of variables');
    assert.deepEqual(f.settings.environment.V8.value, ['a', 'b'], 'a list, not a string: left for the deploy step to refuse');
  });

  it('an Environment given by an intrinsic it cannot evaluate is reported, not dropped silently', () => {
    const text =
      'Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.b\n      Environment: !If [Unknown, {Variables: {A: x}}, !Ref AWS::NoValue]\n';
    assert.deepEqual(flat(parseSamTemplate(text)[0].settings), {
      'env.*': ['?!If [Unknown, {Variables: {A: x}}, !Ref AWS::NoValue]', 'Resources.F.Properties.Environment'],
    });
  });

  it('follows anchors, aliases and merge keys, and reads every document of a multi-document file', () => {
    const text = [
      'Resources:',
      '  A:',
      '    Type: AWS::Serverless::Function',
      '    Properties: &common',
      '      Handler: a.handler',
      '      MemorySize: 640',
      '      Environment: {Variables: {K: v}}',
      '  B:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      <<: *common',
      '      Handler: b.handler',
      '---',
      'Resources:',
      '  C:',
      '    Type: AWS::Serverless::Function',
      '    Properties: {Handler: c.handler, Timeout: 9}',
    ].join('\n');
    const fns = parseSamTemplate(text);
    assert.deepEqual(
      fns.map((f) => [f.key, f.modulePath, f.settings.memoryMb?.value, f.settings.timeoutS?.value, f.settings.environment.K?.value]),
      [
        ['A', 'a', 640, undefined, 'v'],
        ['B', 'b', 640, undefined, 'v'],
        ['C', 'c', undefined, 9, undefined],
      ],
    );
  });

  it('keeps values Lambda would refuse as they are: the deploy step names them', () => {
    const text =
      'Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: a.b, MemorySize: 64, Timeout: "abc", Architectures: [x86_64, arm64], Environment: {Variables: {N: null, O: {a: 1}}}}\n';
    assert.deepEqual(flat(parseSamTemplate(text)[0].settings), {
      memoryMb: [64, 'Resources.F.Properties.MemorySize'],
      timeoutS: ['abc', 'Resources.F.Properties.Timeout'],
      architecture: [['x86_64', 'arm64'], 'Resources.F.Properties.Architectures'],
      'env.N': [null, 'Resources.F.Properties.Environment.Variables'],
      'env.O': [{ a: 1 }, 'Resources.F.Properties.Environment.Variables'],
    });
  });
});

describe('deployment files: Serverless Framework settings', () => {
  const text = `
service: imgs
custom:
  memory: 2048
  stage: \${opt:stage, 'dev'}
provider:
  name: aws
  runtime: nodejs20.x
  memorySize: \${self:custom.memory}
  timeout: 20
  architecture: arm64
  environment:
    STAGE: \${self:custom.stage}
    TABLE: imgs-\${self:custom.stage}
    SHARED: provider
    HOME_DIR: \${env:HOME}
    PORT: 8080
functions:
  resize:
    handler: src/resize.main
    memorySize: 512
    timeout: \${opt:timeout, 60}
    architecture: x86_64
    environment:
      SHARED: own
  thumbs:
    handler: src/thumbs.main
`;
  const fns = parseServerlessYml(text, 'serverless.yml');

  it('takes provider defaults under function-level settings, variables per key', () => {
    assert.deepEqual(flat(byName(fns, 'resize').settings), {
      memoryMb: [512, 'functions.resize.memorySize'],
      timeoutS: [60, 'functions.resize.timeout = ${opt:timeout, 60}'],
      architecture: ['x86_64', 'functions.resize.architecture'],
      runtime: ['nodejs20.x', 'provider.runtime'],
      'env.STAGE': ['dev', 'provider.environment.STAGE = ${self:custom.stage}'],
      'env.TABLE': ['imgs-dev', 'provider.environment.TABLE = imgs-${self:custom.stage}'],
      'env.SHARED': ['own', 'functions.resize.environment'],
      'env.HOME_DIR': ['?${env:HOME}', 'provider.environment.HOME_DIR = ${env:HOME}'],
      'env.PORT': ['8080', 'provider.environment'],
    });
    assert.deepEqual(flat(byName(fns, 'thumbs').settings).memoryMb, [2048, 'provider.memorySize = ${self:custom.memory}']);
    assert.deepEqual(flat(byName(fns, 'thumbs').settings).architecture, ['arm64', 'provider.architecture']);
  });
});

describe('deployment files: bad YAML', () => {
  it('throws one line naming the file, the position and the reason', () => {
    for (const [text, pattern] of [
      ['Resources:\n  A: [1, 2\n  B: c\n', /^template\.yaml: not valid YAML \(line \d+, column \d+\): .+/],
      ['Resources:\n  A: 1\n  A: 2\n', /^template\.yaml: not valid YAML \(line 3, column 3\): Map keys must be unique/],
      ['a: *nowhere\n', /^template\.yaml: not valid YAML.*nowhere/],
      ['- a\n- b\n', /^template\.yaml: the file is not a YAML mapping$/],
    ] as const) {
      assert.throws(
        () => parseSamTemplate(text, 'template.yaml'),
        (e: unknown) => e instanceof DeploymentFileError && pattern.test(e.message) && !e.message.includes('\n'),
        `${JSON.stringify(text)} → ${pattern}`,
      );
    }
    assert.throws(
      () => parseServerlessYml('functions:\n\tf: 1\n', 'api/serverless.yml'),
      (e: unknown) =>
        e instanceof DeploymentFileError &&
        e.message === 'api/serverless.yml: not valid YAML (line 2, column 1): Tabs are not allowed as indentation',
    );
  });

  it('an unknown tag is not an error: its value is read as plain text', () => {
    const [f] = parseSamTemplate(
      'Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: a.b, MemorySize: !Custom 256}\n',
    );
    assert.equal(f.settings.memoryMb?.value, '256');
  });
});
