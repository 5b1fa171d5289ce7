import * as assert from 'assert';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { GetFunctionCommand, InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { parseProfile } from '../../src/core/profile';
import { vcpusForMemory } from '../../src/core/pricing';
import { createLambdaClient } from '../../src/platform';
import { propackApi, waitFor, workspaceRoot } from './extension-api';

/** A folder of its own, written and removed by this suite, so the shared workspace's other tests see nothing of it. */
const DIR = 'settings-demo';
const BROKEN_DIR = 'settings-broken';
const uri = (...parts: string[]): vscode.Uri => vscode.Uri.joinPath(workspaceRoot(), ...parts);
const write = (path: string, text: string): Thenable<void> => vscode.workspace.fs.writeFile(uri(path), new TextEncoder().encode(text));

/** A template whose function `greeter` (greet.js) sets memory, a timeout through a parameter, and variables at two levels. */
const template = (memory: number): string => `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String, Default: test}
  GreetTimeout: {Type: Number, Default: 60}
Globals:
  Function:
    Runtime: nodejs20.x
    Timeout: 30
    Environment:
      Variables:
        STAGE: !Ref Stage
Resources:
  Greeter:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: greeter
      Handler: greet.handler
      MemorySize: ${memory}
      Timeout: !Ref GreetTimeout
      Architectures: [x86_64]
      Environment:
        Variables:
          GREETING: !Sub 'hello-\${Stage}'
          TABLE: !GetAtt Table.Arn
  Table:
    Type: AWS::DynamoDB::Table
`;
const GREET = `// Reports the settings it runs with (fixture written by template-settings.test)
exports.handler = async (event) => {
  let x = 0;
  for (let i = 0; i < 2e5; i++) x += i % 7;
  return { task: event && event.task, x, greeting: process.env.GREETING, stage: process.env.STAGE, table: process.env.TABLE, memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, timeout: process.env.AWS_LAMBDA_FUNCTION_TIMEOUT };
};
`;
const greeter = (): { uri: vscode.Uri; exportName: string; functionName: string; line: number } => ({
  uri: uri(DIR, 'greet.js'),
  exportName: 'handler',
  functionName: 'greeter',
  line: 2,
});

async function functionRows(): Promise<string[]> {
  return ((await (await propackApi()).treeSnapshot(true)).Functions ?? []).map((r) => r.label);
}

/** Functions declared in a template are deployed and profiled with its settings (issue 12, item 6). */
describe('a template-declared function on the local platform', function () {
  this.timeout(120_000);
  let lambda: LambdaClient | undefined;
  let profileUri: vscode.Uri | undefined;

  before(async () => {
    await vscode.workspace.fs.createDirectory(uri(DIR));
    await write(`${DIR}/greet.js`, GREET);
    await write(`${DIR}/template.yaml`, template(1024));
    const endpoints = await vscode.commands.executeCommand<{ lambda: string; s3: string; endpointFile: string }>(
      'propack.startLocalPlatform',
    );
    // The platform verifies signatures: its key is in endpoint.json, never in the command's answer.
    const file = JSON.parse(readFileSync(endpoints.endpointFile, 'utf8')) as { accessKeyId: string; secretAccessKey: string };
    lambda = createLambdaClient(
      {
        kind: 'local',
        lambdaEndpoint: endpoints.lambda,
        s3Endpoint: endpoints.s3,
        region: 'us-east-1',
        credentials: { accessKeyId: file.accessKeyId, secretAccessKey: file.secretAccessKey },
      },
      { maxAttempts: 1 },
    );
  });

  after(async () => {
    lambda?.destroy();
    for (const u of [uri(DIR), uri(BROKEN_DIR), ...(profileUri ? [profileUri] : [])])
      await vscode.workspace.fs.delete(u, { recursive: true }).then(undefined, () => undefined);
    await vscode.commands.executeCommand('propack.stopLocalPlatform');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the tree names the handler as the template does once it is read', async () => {
    // "greeter" (not the file's name "greet") comes only from the template.
    await waitFor('greeter under Functions', async () => ((await functionRows()).includes('greeter') ? true : undefined), 20_000);
  });

  it("Profile Function deploys it with the template's memory, timeout, architecture and variables and records their sources", async () => {
    profileUri = await vscode.commands.executeCommand<vscode.Uri>('propack.profileFunction', greeter());
    assert.ok(profileUri, 'profile written');
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(profileUri));
    const fn = parseProfile(text, 'greeter.json').function;
    assert.strictEqual(fn.name, 'greeter');
    assert.strictEqual(fn.memoryMb, 1024);
    assert.strictEqual(fn.vcpus, vcpusForMemory(1024));
    assert.strictEqual(fn.timeoutS, 60);
    assert.strictEqual(fn.architecture, 'x86_64');
    assert.deepStrictEqual(fn.environmentNames, ['AWS_ENDPOINT_URL_S3', 'GREETING', 'STAGE']);
    const file = `${DIR}/template.yaml`;
    assert.deepStrictEqual(fn.settingsSource, {
      memoryMb: `${file} (Resources.Greeter.Properties.MemorySize)`,
      timeoutS: `${file} (Resources.Greeter.Properties.Timeout = !Ref GreetTimeout)`,
      architecture: `${file} (Resources.Greeter.Properties.Architectures)`,
      environment: `${file} (Globals.Function.Environment.Variables: STAGE; Resources.Greeter.Properties.Environment.Variables: GREETING; not set, known only when deployed: TABLE); ProPack: AWS_ENDPOINT_URL_S3`,
    });
    assert.ok(!text.includes('hello-test'), 'variable values are not stored in the profile');
  });

  it('the deployed function runs with those settings: the handler sees the variables and the memory size', async () => {
    assert.ok(lambda);
    const config = (await lambda.send(new GetFunctionCommand({ FunctionName: 'greeter' }))).Configuration;
    assert.deepStrictEqual([config?.MemorySize, config?.Timeout, config?.Architectures], [1024, 60, ['x86_64']]);
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'greeter', Payload: JSON.stringify({ task: 7 }) }));
    assert.strictEqual(r.FunctionError, undefined);
    const out = JSON.parse(Buffer.from(r.Payload ?? new Uint8Array()).toString('utf8')) as Record<string, unknown>;
    assert.deepStrictEqual(
      [out.task, out.greeting, out.stage, out.table, out.memory, out.timeout],
      [7, 'hello-test', 'test', undefined, '1024', '60'],
    );
  });

  it('a changed MemorySize takes effect on the next deploy', async () => {
    assert.ok(lambda);
    const client = lambda;
    await write(`${DIR}/template.yaml`, template(2048));
    // The template is re-read once the file watcher reports the change: deploy until the new size is applied.
    const config = await waitFor(
      'greeter redeployed at 2048 MB',
      async () => {
        const r = await vscode.commands.executeCommand<{ name: string; action: string } | undefined>('propack.deploy', greeter());
        assert.ok(r, 'deploy succeeded');
        const c = (await client.send(new GetFunctionCommand({ FunctionName: 'greeter' }))).Configuration;
        return c?.MemorySize === 2048 ? c : undefined;
      },
      20_000,
    );
    assert.strictEqual(config.Timeout, 60);
  });

  it('a value Lambda refuses stops the deploy instead of falling back to a default', async () => {
    assert.ok(lambda);
    const client = lambda;
    await write(`${DIR}/template.yaml`, template(64));
    await waitFor(
      'the deploy refused',
      async () => ((await vscode.commands.executeCommand('propack.deploy', greeter())) === undefined ? true : undefined),
      20_000,
    );
    assert.strictEqual(
      (await client.send(new GetFunctionCommand({ FunctionName: 'greeter' }))).Configuration?.MemorySize,
      2048,
      'the deployed function is left as it was',
    );
  });

  it('a deployment file that is not YAML is shown in the tree, naming the file', async () => {
    await vscode.workspace.fs.createDirectory(uri(BROKEN_DIR));
    await write(`${BROKEN_DIR}/serverless.yml`, 'functions:\n  f: [1, 2\n  g: 3\n');
    await waitFor(
      'the broken file under Functions',
      async () => ((await functionRows()).includes(`${BROKEN_DIR}/serverless.yml not read`) ? true : undefined),
      20_000,
    );
    await vscode.workspace.fs.delete(uri(BROKEN_DIR), { recursive: true });
    await waitFor(
      'the row gone with the file',
      async () => (!(await functionRows()).some((l) => l.startsWith(BROKEN_DIR)) ? true : undefined),
      20_000,
    );
  });
});

/** A CDK app's synthesized output: its function is found through cdk.out/<Stack>.template.json and its asset folder. */
describe('a CDK app synthesized into cdk.out', function () {
  this.timeout(60_000);
  const CDK_DIR = 'cdk-demo';
  const CDK_TEMPLATE = JSON.stringify(
    {
      Resources: {
        Resizer1234ABCD: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Code: { S3Bucket: { 'Fn::Sub': 'cdk-assets-${AWS::AccountId}' }, S3Key: 'a1b2c3.zip' },
            Handler: 'index.handler',
            Runtime: 'nodejs20.x',
            MemorySize: 1536,
          },
          Metadata: { 'aws:cdk:path': 'DemoStack/Resizer/Resource', 'aws:asset:path': 'asset.a1b2c3', 'aws:asset:property': 'Code' },
        },
      },
    },
    null,
    1,
  );

  after(async () => {
    await vscode.workspace.fs.delete(uri(CDK_DIR), { recursive: true }).then(undefined, () => undefined);
  });

  it('the tree lists the function under its construct id, read from the synthesized template', async () => {
    await vscode.workspace.fs.createDirectory(uri(CDK_DIR, 'cdk.out', 'asset.a1b2c3'));
    await write(`${CDK_DIR}/cdk.out/asset.a1b2c3/index.js`, 'exports.handler = async (event) => ({ resized: event });\n');
    await write(`${CDK_DIR}/cdk.out/DemoStack.template.json`, CDK_TEMPLATE);
    // "Resizer" comes only from the template's aws:cdk:path; the file's own name is "index".
    await waitFor('Resizer under Functions', async () => ((await functionRows()).includes('Resizer') ? true : undefined), 20_000);
  });
});
