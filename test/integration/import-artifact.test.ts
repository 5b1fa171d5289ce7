import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { parseProfile } from '../../src/core/profile';
import { EXTENSION_ID, propackApi, waitFor, workspaceRoot } from './extension-api';

/** ProPack's AWS measurements: PROPACK_ARTIFACT_DIR, or ../shared beside the repository (as the unit tests). */
function artifactDir(): string {
  const repo = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
  return process.env.PROPACK_ARTIFACT_DIR ?? path.join(repo, '..', 'shared', 'data', 'propack-aws-2021');
}

describe('Import ProPack Artifact', () => {
  const written = (): vscode.Uri => vscode.Uri.joinPath(workspaceRoot(), '.propack', 'profiles', 'sort.json');
  after(async () => {
    await vscode.workspace.fs.delete(written()).then(undefined, () => undefined);
  });

  it('writes .propack/profiles/<app>.json that matches the shipped profile and shows it in the tree', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('propack.importArtifact', artifactDir(), 'sort');
    assert.ok(uri, `import returned the written file (artifact at ${artifactDir()})`);
    assert.strictEqual(uri.fsPath, written().fsPath);
    const made = parseProfile(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), 'sort.json');
    const shippedText = await vscode.workspace.fs.readFile(
      vscode.Uri.joinPath(workspaceRoot(), '.propack', 'profiles', 'aws-2021-sort.json'),
    );
    const shipped = parseProfile(new TextDecoder().decode(shippedText), 'aws-2021-sort.json');
    // Same measurements; only the creation time differs.
    assert.deepStrictEqual(
      { ...made, source: { ...made.source, createdAt: '' } },
      { ...shipped, source: { ...shipped.source, createdAt: '' } },
    );
    const api = await propackApi();
    await waitFor('sort.json in the tree', async () =>
      (await api.treeSnapshot()).Profiles.some((r) => (r.description ?? '').split(' · ')[0] === 'sort.json' && r.contextValue === 'profile')
        ? true
        : undefined,
    );
  });

  it('refuses a folder that is not an artifact', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('propack.importArtifact', workspaceRoot().fsPath, 'sort');
    assert.strictEqual(uri, undefined);
  });
});
