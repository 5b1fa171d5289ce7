import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { propackApi, waitFor } from './extension-api';

describe('platform selection and status bar', () => {
  const saved = process.env.AWS_CONFIG_FILE;
  const savedCreds = process.env.AWS_SHARED_CREDENTIALS_FILE;
  after(async () => {
    if (saved === undefined) delete process.env.AWS_CONFIG_FILE;
    else process.env.AWS_CONFIG_FILE = saved;
    if (savedCreds === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
    else process.env.AWS_SHARED_CREDENTIALS_FILE = savedCreds;
    await vscode.commands.executeCommand('propack.selectPlatform', { platform: 'local' });
  });

  it('shows "ProPack: local" by default', async () => {
    const api = await propackApi();
    assert.match(api.statusText(), /ProPack: local$/);
  });

  it('lists AWS profiles from the shared files, SSO included, without secrets', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'propack-aws-'));
    fs.writeFileSync(
      path.join(dir, 'config'),
      '[profile team-sso]\nsso_session = corp\nregion = eu-west-1\n[sso-session corp]\nsso_start_url = https://x.awsapps.com/start\n',
    );
    fs.writeFileSync(path.join(dir, 'credentials'), '[ci]\naws_access_key_id = AKIATEST\naws_secret_access_key = SHOULDNOTLEAK\n');
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    const profiles = (await propackApi()).awsProfiles();
    assert.deepStrictEqual(profiles, [
      { name: 'ci', kind: 'keys' },
      { name: 'team-sso', kind: 'sso', region: 'eu-west-1' },
    ]);
    assert.ok(!JSON.stringify(profiles).includes('SHOULDNOTLEAK'));
  });

  it('switches to an AWS profile and region: settings and status bar follow', async () => {
    const api = await propackApi();
    const choice = await vscode.commands.executeCommand('propack.selectPlatform', {
      platform: 'aws',
      profile: 'team-sso',
      region: 'eu-west-1',
    });
    assert.deepStrictEqual(choice, { platform: 'aws', profile: 'team-sso', region: 'eu-west-1' });
    const config = vscode.workspace.getConfiguration('propack');
    assert.deepStrictEqual([config.get('platform'), config.get('awsProfile'), config.get('region')], ['aws', 'team-sso', 'eu-west-1']);
    await waitFor('status bar on AWS', () => (api.statusText().endsWith('ProPack: aws:team-sso@eu-west-1') ? true : undefined));
  });

  it('refuses an AWS choice without a valid region', async () => {
    assert.strictEqual(
      await vscode.commands.executeCommand('propack.selectPlatform', { platform: 'aws', profile: 'x', region: 'moon' }),
      undefined,
    );
  });

  it('switches back to local', async () => {
    const api = await propackApi();
    await vscode.commands.executeCommand('propack.selectPlatform', { platform: 'local' });
    await waitFor('status bar on local', () => (/ProPack: local$/.test(api.statusText()) ? true : undefined));
  });
});
