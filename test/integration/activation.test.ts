import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, propackApi, waitFor } from './extension-api';

const COMMANDS = [
  'propack.openReport',
  'propack.refresh',
  'propack.importArtifact',
  'propack.optimize',
  'propack.openProfileFile',
  'propack.profileFunction',
  'propack.runPacked',
  'propack.deploy',
  'propack.selectPlatform',
  'propack.startLocalPlatform',
  'propack.stopLocalPlatform',
  'propack.exportReport',
  'propack.compareRuns',
  'propack.deleteProfile',
  'propack.showLog',
  'propack.tryBenchmarks',
];

describe('activation and contributions', () => {
  it('activates from the workspace profiles without being asked', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'extension loaded');
    // workspaceContains:.propack/profiles/*.json activates it; the suite itself has not called activate().
    await waitFor('activation', () => (ext.isActive ? true : undefined));
  });

  it('registers every contributed command', async () => {
    await propackApi();
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of COMMANDS) assert.ok(all.has(id), `${id} registered`);
  });

  it('contributes palette titles with the ProPack category and hides item-only commands', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { commands: { command: string; category: string }[]; menus: { commandPalette: { command: string; when: string }[] } };
    };
    assert.deepStrictEqual(pkg.contributes.commands.map((c) => c.command).sort(), [...COMMANDS].sort());
    for (const c of pkg.contributes.commands) assert.strictEqual(c.category, 'ProPack', c.command);
    const palette = pkg.contributes.menus.commandPalette;
    assert.deepStrictEqual(
      palette
        .filter((m) => m.when === 'false')
        .map((m) => m.command)
        .sort(),
      ['propack.deleteProfile', 'propack.openProfileFile'],
    );
    // Commands that run the workspace's code are offered only in a trusted workspace.
    assert.deepStrictEqual(
      palette
        .filter((m) => m.when === 'isWorkspaceTrusted')
        .map((m) => m.command)
        .sort(),
      ['propack.deploy', 'propack.profileFunction', 'propack.runPacked', 'propack.startLocalPlatform', 'propack.tryBenchmarks'],
    );
  });

  it('declares limited support for untrusted workspaces and validated settings', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      capabilities: { untrustedWorkspaces: { supported: string; description: string } };
      contributes: { configuration: { properties: Record<string, unknown> } };
    };
    assert.strictEqual(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.match(pkg.capabilities.untrustedWorkspaces.description, /Restricted Mode/);
    const keys = Object.keys(pkg.contributes.configuration.properties).sort();
    for (const k of [
      'platform',
      'awsProfile',
      'region',
      'objective',
      'metric',
      'weights',
      'defaultConcurrency',
      'maxPackingDegree',
      'confirmAboveUSD',
    ])
      assert.ok(keys.includes(`propack.${k}`), k);
  });

  it('contributes the platform status bar item', async () => {
    assert.match((await propackApi()).statusText(), /ProPack: (local|aws:)/);
  });
});
