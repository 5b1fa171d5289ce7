// The installed extension's AWS path in the real extension host: propack.platform "aws" with a named profile
// whose keys (the platform's generated key of this start, from its endpoint.json) are in $HOME/.aws/credentials, and AWS_ENDPOINT_URL_LAMBDA/S3 pointing at the embedded
// platform (scripts/run-installed.mjs). Profile Function and Run Packed must succeed through the SDK's
// provider chain; the proxy in front of the platform shows which key, region and service signed each request.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { parseProfile } from '../../src/core/profile';
import type { RunRecord } from '../../src/core/run-record';
import { waitFor } from '../integration/extension-api';
import { echo, harnessEnv, installedPropack, propackLog, readText } from './installed-extension';

interface Signatures {
  signed: number;
  unsigned: number;
  badSignatures: number;
  scopes: string[];
}

async function getJson<T>(url: string): Promise<T> {
  const r = await fetch(url);
  assert.strictEqual(r.status, 200, `${url}: HTTP ${r.status}`);
  return (await r.json()) as T;
}

describe('the installed extension on "AWS" (the SDK provider chain, endpoints from AWS_ENDPOINT_URL_*)', function () {
  this.timeout(150_000);
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('propack');
  const profileName = (): string => config().get<string>('awsProfile') ?? '';
  const region = (): string => config().get<string>('region') ?? '';
  let profileUri: vscode.Uri | undefined;

  before(async () => {
    // Nothing in the extension host may carry credentials but the profile: the harness stripped AWS_* keys.
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION'])
      assert.strictEqual(process.env[k], undefined, `${k} is set in the extension host`);
    assert.ok(harnessEnv('AWS_ENDPOINT_URL_LAMBDA') && harnessEnv('AWS_ENDPOINT_URL_S3'));
    await config().update('platform', 'aws', vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await config().update('platform', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('propack.stopLocalPlatform');
  });

  it('the status bar names the AWS profile and region from the settings', async () => {
    const { api } = await installedPropack();
    assert.strictEqual(profileName(), 'propack-test');
    await waitFor('the status bar on AWS', () =>
      api.statusText() === `$(cloud) ProPack: aws:${profileName()}@${region()}` ? true : undefined,
    );
  });

  it('Profile Function deploys echo.js with the execution role and profiles it', async () => {
    profileUri = await vscode.commands.executeCommand<vscode.Uri>('propack.profileFunction', echo());
    const failure = /profiling echo failed: .*/.exec(propackLog())?.[0];
    assert.ok(profileUri, `profile written${failure ? `; the extension said: ${failure}` : ''}`);
    const profile = parseProfile(await readText(profileUri), 'echo.json');
    assert.strictEqual(profile.source.kind, 'aws');
    assert.strictEqual(profile.source.detail, `aws:${profileName()}@${region()}`);
    assert.strictEqual(profile.function.region, region());
    assert.deepStrictEqual(
      profile.scaling.runs.map((r) => r.concurrency),
      [2, 4, 8],
    );
    // What the "AWS" endpoint now holds (asked directly, not through the recording proxy).
    const fn = await getJson<{ Configuration: { FunctionName: string; Role: string; MemorySize: number } }>(
      `${harnessEnv('PROPACK_STANDIN_LAMBDA')}/2015-03-31/functions/echo`,
    );
    assert.strictEqual(fn.Configuration.Role, config().get<string>('awsExecutionRole'));
    assert.strictEqual(fn.Configuration.MemorySize, profile.function.memoryMb);
  });

  it('Run Packed runs echo unpacked and packed on AWS', async () => {
    assert.ok(profileUri);
    const runs = await vscode.commands.executeCommand<{ packed: RunRecord; noPacking: RunRecord }>('propack.runPacked', {
      profile: profileUri,
      concurrency: 8,
    });
    const failure = /run of echo failed: .*/.exec(propackLog())?.[0];
    assert.ok(runs, `both runs done${failure ? `; the extension said: ${failure}` : ''}`);
    for (const r of [runs.noPacking, runs.packed]) {
      assert.deepStrictEqual(r.measured.tasks, { total: 8, succeeded: 8, failed: 0 }, r.label);
      assert.strictEqual(r.platform, `aws:${profileName()}@${region()}`);
    }
    assert.strictEqual(runs.noPacking.measured.packingDegree, 1);
  });

  it("every request was signed with the profile's key for the region in the settings, none unsigned", async () => {
    const seen = await getJson<Signatures>(harnessEnv('PROPACK_STANDIN_SIGNATURES'));
    assert.ok(seen.signed > 20, `${seen.signed} signed requests`);
    assert.strictEqual(seen.unsigned, 0);
    assert.strictEqual(seen.badSignatures, 0, 'every signature verified with the platform key the profile holds');
    // The profile's config says us-west-2; propack.region must win. Only Lambda is needed for a sync run.
    assert.deepStrictEqual(seen.scopes, [`${harnessEnv('PROPACK_TEST_ACCESS_KEY_ID')}/${region()}/lambda`]);
  });

  it('the tree lists the function deployed on AWS while the local platform runs (no "unavailable" row)', async () => {
    const { api } = await installedPropack();
    await vscode.commands.executeCommand('propack.startLocalPlatform');
    const functions = await waitFor(
      'echo deployed, in the tree',
      async () => {
        const rows = (await api.treeSnapshot(true)).Functions;
        return rows?.some((f) => f.contextValue === 'deployedFunction' && f.label === 'echo') ? rows : undefined;
      },
      20_000,
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}; Functions: ${JSON.stringify((await api.treeSnapshot(true)).Functions)}`);
    });
    assert.ok(!functions.some((f) => /unavailable/.test(f.label)), JSON.stringify(functions));
  });
});
