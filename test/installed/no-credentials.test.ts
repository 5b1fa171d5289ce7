// The installed extension on AWS with no credentials at all: an empty HOME (no ~/.aws), no AWS_* variables,
// and a profile that exists nowhere (scripts/run-installed.mjs). Each AWS action must end with one line
// that says how to configure credentials, not with an SDK internals error.
import * as assert from 'assert';
import { existsSync } from 'fs';
import { join } from 'path';
import * as vscode from 'vscode';
import { EXTENSION_ID, workspaceRoot } from '../integration/extension-api';
import { echo, harnessEnv, installedPropack, logLine } from './installed-extension';

describe('the installed extension on AWS without credentials', function () {
  this.timeout(90_000);
  const profile = (): string => vscode.workspace.getConfiguration('propack').get<string>('awsProfile') ?? '';
  const advice = (): string =>
    `no AWS credentials for profile "${profile()}": configure it with "aws configure --profile ${profile()}" (or "aws configure sso").`;

  before(async () => {
    for (const k of Object.keys(process.env)) assert.ok(!k.startsWith('AWS_'), `${k} is set in the extension host`);
    assert.ok(!existsSync(join(harnessEnv('HOME'), '.aws')), 'HOME has no .aws folder');
    assert.strictEqual(vscode.workspace.getConfiguration('propack').get('platform'), 'aws');
    await installedPropack();
  });

  it('Profile Function fails with one line on how to configure the profile', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('propack.profileFunction', echo());
    assert.strictEqual(uri, undefined);
    // The same reason goes to the error notification and, as one log line, to the ProPack channel.
    const [, reason] = await logLine('the profiling failure in the log', /\[error\] profiling echo failed: ([^\n]*)\n?/);
    assert.strictEqual(reason, advice());
    assert.ok(
      !(await vscode.workspace.fs.stat(vscode.Uri.joinPath(workspaceRoot(), '.propack', 'profiles', 'echo.json')).then(
        () => true,
        () => false,
      )),
      'no profile saved',
    );
  });

  it('Run Packed on a shipped profile fails with the same one line', async () => {
    const shipped = vscode.Uri.joinPath(workspaceRoot(), '.propack', 'profiles', 'aws-2021-video.json');
    const runs = await vscode.commands.executeCommand('propack.runPacked', { profile: shipped, concurrency: 8 });
    assert.strictEqual(runs, undefined);
    const [, reason] = await logLine('the run failure in the log', /\[error\] run of video failed: ([^\n]*)\n?/);
    assert.strictEqual(reason, advice());
  });

  it("opens the installed extension's details page (scripts/run-installed.mjs then checks its README images load)", async () => {
    await vscode.commands.executeCommand('extension.open', EXTENSION_ID);
    // The page is a workbench editor, not a text editor or a webview panel of ours: the tab says it is open.
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.match(tab?.label ?? '', /ProPack/, `active tab: ${tab?.label}`);
  });
});
