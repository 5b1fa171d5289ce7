import * as assert from 'assert';
import * as vscode from 'vscode';
import { propackApi, waitFor, workspaceRoot } from './extension-api';

describe('ProPack tree', () => {
  it('lists the benchmarks, the shipped profiles and an empty Runs group', async () => {
    const tree = await (await propackApi()).treeSnapshot(true);
    assert.deepStrictEqual(Object.keys(tree), ['Benchmarks', 'Functions', 'Profiles', 'Runs']);
    assert.deepStrictEqual(tree.Benchmarks.map((r) => r.label), ['video', 'sort', 'stateless-cost']);
    // The shipped profiles (import-artifact on ProPack's AWS data), labelled by function, sorted by file.
    const profiles = tree.Profiles.filter((r) => r.contextValue === 'profile').map((r) => `${r.label} ${r.description?.split(' · ')[0]}`);
    assert.deepStrictEqual(profiles, ['sort aws-2021-sort.json', 'statelesscost aws-2021-statelesscost.json', 'video aws-2021-video.json']);
    // Each profile row says what ProPack recommends at the default concurrency.
    for (const r of tree.Profiles.filter((x) => x.contextValue === 'profile')) assert.match(r.description ?? '', /· p=\d+ at C=1000 · [−+±]\d+% time · [−+±]\d+% cost$/);
    assert.deepStrictEqual(tree.Runs, []);
  });

  it('lists the workspace handlers under Functions, profiled or not', async () => {
    const rows = (await (await propackApi()).treeSnapshot(true)).Functions.map((r) => `${r.label} ${r.contextValue}`);
    assert.deepStrictEqual(rows, ['echo handler', 'video handlerProfiled', 'Thumbs handler', 'resize handler', 'video handlerProfiled']);
  });

  it('shows a broken profile as an error item with the one-line reason', async () => {
    const tree = await (await propackApi()).treeSnapshot(true);
    const broken = tree.Profiles.find((r) => r.label === 'broken.json');
    assert.ok(broken, 'broken.json listed');
    assert.strictEqual(broken.contextValue, 'profileError');
    assert.match(broken.description ?? '', /^schema must be "propack\.profile\/v1"/);
    assert.ok(!(broken.description ?? '').includes('\n'), 'one line');
  });

  it('refreshes when files appear under .propack/ (file watcher)', async () => {
    const api = await propackApi();
    const run = vscode.Uri.joinPath(workspaceRoot(), '.propack', 'runs', 'run-1.json');
    await vscode.workspace.fs.writeFile(run, new TextEncoder().encode('{}'));
    try {
      // No explicit refresh: only the watcher can make the new file show up.
      await waitFor('run-1.json in the Runs group', async () => ((await api.treeSnapshot()).Runs.some((r) => r.label === 'run-1.json') ? true : undefined));
    } finally {
      await vscode.workspace.fs.delete(run);
    }
    await waitFor('run-1.json gone', async () => ((await api.treeSnapshot()).Runs.length === 0 ? true : undefined));
  });
});

describe('ProPack tree without profiles', () => {
  const root = (): vscode.Uri => vscode.Uri.joinPath(workspaceRoot(), '.propack');
  after(async () => {
    // Put the profiles back for any later suite, even when the test failed half-way.
    const parked = vscode.Uri.joinPath(root(), 'profiles.parked');
    if (await exists(parked)) await vscode.workspace.fs.rename(parked, vscode.Uri.joinPath(root(), 'profiles'));
    await (await propackApi()).treeSnapshot(true);
  });

  it('is empty so the view shows its welcome content', async () => {
    await vscode.workspace.fs.rename(vscode.Uri.joinPath(root(), 'profiles'), vscode.Uri.joinPath(root(), 'profiles.parked'));
    assert.deepStrictEqual(await (await propackApi()).treeSnapshot(true), {});
  });
});

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
