import * as assert from 'assert';
import * as vscode from 'vscode';
import { parseProfile } from '../../src/core/profile';
import { EXTENSION_ID, propackApi, waitFor, workspaceRoot } from './extension-api';

describe('ProPack tree', () => {
  it('lists the benchmarks, the shipped profiles and a Runs group that says how to get a run', async () => {
    const tree = await (await propackApi()).treeSnapshot(true);
    assert.deepStrictEqual(Object.keys(tree), ['Benchmarks', 'Functions', 'Profiles', 'Runs']);
    assert.deepStrictEqual(
      tree.Benchmarks.map((r) => r.label),
      ['video', 'sort', 'stateless-cost'],
    );
    // The shipped profiles (import-artifact on ProPack's AWS data), labelled by function, sorted by file.
    const profiles = tree.Profiles.filter((r) => r.contextValue === 'profile').map((r) => `${r.label} ${r.description?.split(' · ')[0]}`);
    assert.deepStrictEqual(profiles, ['sort aws-2021-sort.json', 'statelesscost aws-2021-statelesscost.json', 'video aws-2021-video.json']);
    // Each profile row says what ProPack recommends at the default concurrency.
    for (const r of tree.Profiles.filter((x) => x.contextValue === 'profile'))
      assert.match(r.description ?? '', /· p=\d+ at C=1000 · [−+±]\d+% time · [−+±]\d+% cost$/);
    assert.deepStrictEqual(tree.Runs, [
      { label: 'no run yet', description: 'Run Packed on a profile', contextValue: 'info', command: 'propack.runPacked' },
    ]);
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
      await waitFor('run-1.json in the Runs group', async () =>
        (await api.treeSnapshot()).Runs.some((r) => r.label === 'run-1.json') ? true : undefined,
      );
    } finally {
      await vscode.workspace.fs.delete(run);
    }
    await waitFor('run-1.json gone', async () =>
      (await api.treeSnapshot()).Runs.some((r) => r.label === 'run-1.json') ? undefined : true,
    );
  });
});

/** Moves `from` to `to` within the workspace (both relative to `.propack/`'s parent). */
async function move(from: vscode.Uri, to: vscode.Uri): Promise<void> {
  await vscode.workspace.fs.rename(from, to, { overwrite: false });
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}

/** The inline and context-menu commands package.json offers for a tree row of `contextValue`. */
function rowActions(contextValue: string): { command: string; group: string }[] {
  const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
    contributes: { menus: { 'view/item/context': { command: string; when: string; group: string }[] } };
  };
  return pkg.contributes.menus['view/item/context'].filter((m) => {
    const re = /viewItem =~ \/(.+)\/$/.exec(m.when)?.[1];
    return m.when.includes('view == propack.explorer') && re !== undefined && new RegExp(re).test(contextValue);
  });
}

/**
 * The first-run states: a folder with handlers and a template but no profile (the tree, with a Profile
 * action on every handler and rows that say what fills Profiles and Runs), a folder with nothing ProPack can
 * use (an empty tree: the view's welcome content), and Try the Built-in Benchmarks from there.
 */
describe('ProPack tree before the first profile', function () {
  // The last test runs a benchmark through the whole demo pipeline on the local platform.
  this.timeout(150_000);
  const dot = (): vscode.Uri => vscode.Uri.joinPath(workspaceRoot(), '.propack');
  const parkedProfiles = (): vscode.Uri => vscode.Uri.joinPath(dot(), 'profiles.parked');
  const parkedSources = (): vscode.Uri => vscode.Uri.joinPath(dot(), 'parked-src');
  const tsHandler = (): vscode.Uri => vscode.Uri.joinPath(workspaceRoot(), 'lib', 'convert.ts');
  let runsBefore: string[] = [];
  let tried: { profiles: vscode.Uri[]; report: vscode.Uri } | undefined;

  before(async () => {
    runsBefore = (await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(dot(), 'runs'))).map(([n]) => n);
    await move(vscode.Uri.joinPath(dot(), 'profiles'), parkedProfiles());
    // The project: a CommonJS, a TypeScript and a Python handler and a SAM template.
    await vscode.workspace.fs.writeFile(
      tsHandler(),
      new TextEncoder().encode('export const handler = async (event: unknown) => ({ converted: event });\n'),
    );
  });

  after(async () => {
    // Put everything back for any later suite, even when a test failed half-way.
    if (await exists(parkedSources())) {
      for (const [name] of await vscode.workspace.fs.readDirectory(parkedSources()))
        await move(vscode.Uri.joinPath(parkedSources(), name), vscode.Uri.joinPath(workspaceRoot(), name));
      await vscode.workspace.fs.delete(parkedSources(), { recursive: true });
    }
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceRoot(), 'lib'), { recursive: true }).then(undefined, () => undefined);
    for (const uri of tried?.profiles ?? []) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    if (tried)
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(tried.report, '..'), { recursive: true }).then(undefined, () => undefined);
    for (const [name] of await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(dot(), 'runs'))) {
      if (!runsBefore.includes(name)) await vscode.workspace.fs.delete(vscode.Uri.joinPath(dot(), 'runs', name));
    }
    if (await exists(parkedProfiles())) {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(dot(), 'profiles'), { recursive: true }).then(undefined, () => undefined);
      await move(parkedProfiles(), vscode.Uri.joinPath(dot(), 'profiles'));
    }
    await vscode.commands.executeCommand('propack.stopLocalPlatform');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await (await propackApi()).treeSnapshot(true);
  });

  it('shows the handlers found in the workspace and in template.yaml, each with a Profile action, before any profile', async () => {
    const api = await propackApi();
    const tree = await waitFor('the TypeScript handler under Functions', async () => {
      const t = await api.treeSnapshot(true);
      return t.Functions?.some((r) => r.label === 'convert') ? t : undefined;
    });
    assert.deepStrictEqual(Object.keys(tree), ['Benchmarks', 'Functions', 'Profiles', 'Runs']);
    const rows = tree.Functions.map((r) => `${r.label} ${r.contextValue}`);
    assert.deepStrictEqual(rows, ['echo handler', 'video handler', 'Thumbs handler', 'convert handler', 'resize handler', 'video handler']);
    for (const r of tree.Functions) {
      const actions = rowActions(r.contextValue ?? '');
      assert.ok(
        actions.some((a) => a.command === 'propack.profileFunction' && a.group.startsWith('inline')),
        `${r.label}: inline Profile action`,
      );
      assert.ok(
        actions.some((a) => a.command === 'propack.profileFunction' && a.group.startsWith('navigation')),
        `${r.label}: Profile in the context menu`,
      );
    }
    // The rows say before the click what Profile would refuse, and why.
    assert.strictEqual(tree.Functions.find((r) => r.label === 'resize')?.description, 'resize.py · not profiled');
    assert.strictEqual(
      tree.Functions.find((r) => r.label === 'convert')?.description,
      'lib/convert.ts · not profiled',
      'TypeScript is bundled with esbuild: nothing to refuse',
    );
    assert.strictEqual(tree.Functions.find((r) => r.label === 'echo')?.description, 'echo.js · not profiled');
    // Empty groups say what fills them and offer it.
    assert.deepStrictEqual(tree.Profiles, [
      { label: 'no profile yet', description: 'profile a function', contextValue: 'info', command: 'propack.profileFunction' },
    ]);
    assert.deepStrictEqual(tree.Runs, [
      { label: 'no run yet', description: 'profile a function first', contextValue: 'info', command: 'propack.profileFunction' },
    ]);
    assert.deepStrictEqual(
      tree.Benchmarks.map((r) => `${r.label} ${r.description}`),
      ['video cpu-bound · try it', 'sort storage-bound · try it', 'stateless-cost cpu-bound · try it'],
    );
    for (const r of tree.Benchmarks)
      assert.ok(
        rowActions(r.contextValue ?? '').some((a) => a.command === 'propack.tryBenchmarks' && a.group.startsWith('inline')),
        `${r.label}: inline Try action`,
      );
  });

  it('is empty, so the view shows its welcome content, only when the folder has no handler, profile or run', async () => {
    const api = await propackApi();
    await vscode.workspace.fs.createDirectory(parkedSources());
    // .propack/ is never searched for handlers: parking the sources there leaves the folder with nothing.
    for (const [name] of await vscode.workspace.fs.readDirectory(workspaceRoot())) {
      if (!name.startsWith('.')) await move(vscode.Uri.joinPath(workspaceRoot(), name), vscode.Uri.joinPath(parkedSources(), name));
    }
    assert.deepStrictEqual(await api.treeSnapshot(true), {});
    const welcome = (
      vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
        contributes: { viewsWelcome: { view: string; when: string; contents: string }[] };
      }
    ).contributes.viewsWelcome;
    for (const w of welcome) {
      // Profile a function and Try the benchmarks first, Import Artifact last and explained.
      const buttons = [...w.contents.matchAll(/^\[([^\]]+)\]\(command:([\w.]+)\)$/gm)].map((m) => m[2]);
      assert.deepStrictEqual(buttons, ['propack.profileFunction', 'propack.tryBenchmarks', 'propack.importArtifact'], w.when);
      assert.match(
        w.contents.slice(w.contents.indexOf('(command:propack.importArtifact)')),
        /artifact is the folder of measurements ProPack published \(scaling_performance\/<app>\//,
      );
    }
    // A handler file appearing in the folder brings the tree back without a refresh: only the source watcher
    // can do it here (template.yaml, whose watcher refreshes everything, is still parked).
    await move(vscode.Uri.joinPath(parkedSources(), 'echo.js'), vscode.Uri.joinPath(workspaceRoot(), 'echo.js'));
    const back = await waitFor('the tree back with echo', async () => {
      const t = await api.treeSnapshot();
      return t.Functions?.some((r) => r.label === 'echo') ? t : undefined;
    });
    assert.deepStrictEqual(
      back.Functions.map((r) => r.label),
      ['echo'],
    );
    for (const [name] of await vscode.workspace.fs.readDirectory(parkedSources()))
      await move(vscode.Uri.joinPath(parkedSources(), name), vscode.Uri.joinPath(workspaceRoot(), name));
    await waitFor('every handler back', async () => ((await api.treeSnapshot(true)).Functions?.length === 6 ? true : undefined));
  });

  it('Try the Built-in Benchmarks measures a benchmark on the local platform, saves its profile and runs, writes the report and opens it', async () => {
    const api = await propackApi();
    assert.strictEqual(
      await vscode.commands.executeCommand('propack.tryBenchmarks', { benchmarks: ['nope'] }),
      undefined,
      'an unknown benchmark is refused',
    );
    const r = await vscode.commands.executeCommand<{
      profiles: vscode.Uri[];
      report: vscode.Uri;
      benchmarks: { name: string; packingDegree: number; serviceTime: number; noPacking: { serviceTime: number } }[];
    }>('propack.tryBenchmarks', { benchmarks: ['stateless-cost'], concurrency: 4 });
    tried = r;
    assert.ok(r, 'the try finished');
    assert.deepStrictEqual(
      r.profiles.map((u) => vscode.workspace.asRelativePath(u, false)),
      ['.propack/profiles/propack-stateless-cost.json'],
    );
    const profile = parseProfile(
      new TextDecoder().decode(await vscode.workspace.fs.readFile(r.profiles[0])),
      'propack-stateless-cost.json',
    );
    assert.strictEqual(profile.source.kind, 'local');
    assert.strictEqual(profile.recommendations?.[0].concurrency, 4);
    assert.strictEqual(r.benchmarks[0].name, 'stateless-cost');
    assert.ok(r.benchmarks[0].packingDegree >= 1 && r.benchmarks[0].serviceTime > 0 && r.benchmarks[0].noPacking.serviceTime > 0);
    assert.strictEqual(vscode.workspace.asRelativePath(r.report, false), '.propack/benchmark-report/report.html');
    const page = new TextDecoder().decode(await vscode.workspace.fs.readFile(r.report));
    assert.ok(page.startsWith('<!DOCTYPE html>') && page.includes('stateless-cost'), 'a self-contained report of the benchmark');
    // The report panel opens on the benchmark's profile at the concurrency it ran at, with its runs.
    const view = await waitFor('the report of the benchmark with its runs', async () => {
      const v = await api.reportView();
      return v?.functionName === 'propack-stateless-cost' && v.runs.length >= 3 ? v : undefined;
    });
    assert.strictEqual(view.input.concurrency, 4);
    assert.strictEqual(view.sourceDetail, 'local platform, preset aws-2021');
    // The tree shows the new profile, the benchmark row leads to it, and the runs are listed.
    const tree = await waitFor('the benchmark profile in the tree', async () => {
      const t = await api.treeSnapshot(true);
      return t.Profiles?.some((p) => p.label === 'propack-stateless-cost') ? t : undefined;
    });
    const row = tree.Benchmarks.find((b) => b.label === 'stateless-cost');
    assert.match(row?.description ?? '', /^cpu-bound · p=\d+ at C=1000 · /);
    assert.strictEqual(row?.command, 'propack.openReport');
    const runs = tree.Runs.map((x) => x.label).filter((l) => l.startsWith('propack-stateless-cost'));
    for (const label of ['no-packing', 'propack', 'pywren'])
      assert.ok(runs.includes(`propack-stateless-cost · ${label}`), `${label} run listed in ${JSON.stringify(runs)}`);
  });
});
