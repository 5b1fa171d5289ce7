import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, propackApi, waitFor } from './extension-api';

const COMMANDS = ['propack.openReport', 'propack.refresh', 'propack.importArtifact', 'propack.optimize', 'propack.openProfileFile'];

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
    assert.deepStrictEqual(pkg.contributes.menus.commandPalette, [{ command: 'propack.openProfileFile', when: 'false' }]);
  });
});

