// The installed .vsix on the embedded local platform: it activates from the extensions folder, profiles a
// small CommonJS handler, opens the report on it, and exports the HTML report (the page scripts it inlines
// must be in the package).
import * as assert from 'assert';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { parseProfile } from '../../src/core/profile';
import * as vscode from 'vscode';
import { echoProfile, waitFor, workspaceRoot } from '../integration/extension-api';
import { echo, installedPropack, readText } from './installed-extension';

describe('the installed .vsix on the local platform', function () {
  this.timeout(120_000);
  let profileUri: vscode.Uri | undefined;

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('is the installed copy, not the repository, carries no sources or maps, and activates', async () => {
    const { ext, api } = await installedPropack();
    for (const absent of ['src', 'test', 'out', 'node_modules', join('dist', 'extension.js.map'), join('dist', 'cli.js')]) {
      assert.ok(!existsSync(join(ext.extensionPath, absent)), `${absent} is in the installed extension`);
    }
    assert.strictEqual(ext.packageJSON.main, './dist/extension.js');
    await waitFor('the status bar item', () => (/ProPack: local$/.test(api.statusText()) ? true : undefined));
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['propack.profileFunction', 'propack.runPacked', 'propack.openReport'])
      assert.ok(commands.includes(c), `${c} registered`);
  });

  it('Profile Function measures echo.js on the local platform and saves its profile', async () => {
    profileUri = await vscode.commands.executeCommand<vscode.Uri>('propack.profileFunction', echo());
    await echoProfile(profileUri);
  });

  it('Open Report shows the profile: the panel loads and draws it', async () => {
    assert.ok(profileUri);
    const { api } = await installedPropack();
    await vscode.commands.executeCommand('propack.openReport', profileUri);
    const view = await waitFor(
      'the report on echo',
      async () => {
        const v = await api.reportView();
        return v?.functionName === 'echo' ? v : undefined;
      },
      30_000,
    );
    assert.ok(view.pareto.length >= 1);
    // What the page itself says it drew: its script (dist/webview.js) and styles came from the package.
    const drawn = await waitFor(
      'the page to draw the echo report',
      async () => {
        const r = await api.reportRendered();
        return r?.profileKey === '.propack/profiles/echo.json' ? r : undefined;
      },
      30_000,
    );
    assert.ok(drawn.charts.length >= 3, `charts drawn: ${drawn.charts.join(', ')}`);
  });

  it('Export Report writes the self-contained HTML report (its scripts are in the package)', async () => {
    assert.ok(profileUri);
    const target = vscode.Uri.joinPath(workspaceRoot(), 'exports', 'html');
    const html = await vscode.commands.executeCommand<vscode.Uri>('propack.exportReport', { format: 'html', profile: profileUri, target });
    assert.ok(html?.fsPath.endsWith('report.html'), `exported ${html?.fsPath}`);
    const page = await readText(html);
    assert.ok(page.startsWith('<!DOCTYPE html>') && page.includes('echo'));
    // chart.js's UMD build is inlined, not linked: the report opens without the extension.
    assert.match(page, /Chart\.js v\d/);
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceRoot(), 'exports'), { recursive: true });
  });

  it('the CodeLens "ProPack: profile" on a TypeScript handler profiles it: the installed copy bundles it with esbuild (npm dependency, tsconfig paths)', async () => {
    const dir = join(workspaceRoot().fsPath, 'ts-app');
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ name: 'ts-app', version: '1.0.0', private: true }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, baseUrl: '.', paths: { '@lib/*': ['src/lib/*'] } } }),
      'node_modules/tiny-greet/package.json': JSON.stringify({ name: 'tiny-greet', version: '1.0.0', main: 'index.js' }),
      'node_modules/tiny-greet/index.js': "exports.greet = (name) => 'hello ' + name;\n",
      'src/lib/work.ts':
        'export function work(n: number): number {\n  let x = 0;\n  for (let i = 0; i < n; i++) x += i % 7;\n  return x;\n}\n',
      'src/greet.ts':
        "import { greet } from 'tiny-greet';\nimport { work } from '@lib/work';\n\nexport const handler = async (event: { task?: number }): Promise<{ said: string; x: number }> => {\n  return { said: greet(String(event?.task)), x: work(2e5) };\n};\n",
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const profileFile = vscode.Uri.joinPath(workspaceRoot(), '.propack', 'profiles', 'greet.json');
    try {
      const uri = vscode.Uri.file(join(dir, 'src', 'greet.ts'));
      await vscode.workspace.openTextDocument(uri);
      const lens = await waitFor(
        'the "ProPack: profile" lens on greet.ts',
        async () => {
          const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10)) ?? [];
          return lenses.find((l) => l.command?.title === 'ProPack: profile');
        },
        30_000,
      );
      assert.strictEqual(lens.command?.command, 'propack.profileFunction');
      const saved = await vscode.commands.executeCommand<vscode.Uri>('propack.profileFunction', ...(lens.command?.arguments ?? []));
      assert.ok(saved, 'profile written (see the ProPack channel for the reason if not)');
      assert.strictEqual(vscode.workspace.asRelativePath(saved, false), '.propack/profiles/greet.json');
      const profile = parseProfile(await readText(saved), 'greet.json');
      assert.strictEqual(profile.function.name, 'greet');
      assert.ok(profile.packing.samples.length > 0 && profile.scaling.runs.length > 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await vscode.workspace.fs.delete(profileFile).then(undefined, () => undefined);
    }
  });
});
