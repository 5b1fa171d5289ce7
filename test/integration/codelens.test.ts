import * as assert from 'assert';
import * as vscode from 'vscode';
import { optimize } from '../../src/core/optimizer';
import { parseProfile } from '../../src/core/profile';
import { propackApi, waitFor, workspaceRoot } from './extension-api';

/** The lenses VS Code shows on `file`, resolved, waiting until there are `count` of them. */
export async function lensesOn(file: string, count: number, match?: RegExp): Promise<{ line: number; title: string; command: string }[]> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), file);
  await vscode.workspace.openTextDocument(uri);
  return waitFor(
    `${count} ProPack lenses on ${file}`,
    async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10)) ?? [];
      const mine = lenses
        .filter((l) => l.command?.title.startsWith('ProPack'))
        .map((l) => ({ line: l.range.start.line, title: l.command?.title ?? '', command: l.command?.command ?? '' }));
      return mine.length === count && (!match || mine.every((l) => match.test(l.title))) ? mine : undefined;
    },
    20_000,
  );
}

async function videoChoice(concurrency: number): Promise<ReturnType<typeof optimize>> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), '.propack', 'profiles', 'aws-2021-video.json');
  const profile = parseProfile(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), 'video.json');
  return optimize(profile, { concurrency, objective: 'both', metric: 'net' });
}

const pct = (v: number, b: number): string => {
  const p = Math.round((v / b - 1) * 100);
  return p === 0 ? '±0%' : p < 0 ? `\u2212${-p}%` : `+${p}%`;
};

describe('CodeLens above handlers', () => {
  before(() => propackApi());
  after(async () => {
    await vscode.workspace.getConfiguration('propack').update('defaultConcurrency', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('shows the recommendation above a profiled handler (exports.handler in video.js)', async () => {
    const r = await videoChoice(1000);
    const [lens] = await lensesOn('video.js', 1);
    assert.strictEqual(lens.line, 3);
    assert.strictEqual(
      lens.title,
      `ProPack: p=${r.packingDegree} at C=1000 · ${pct(r.predicted.serviceTime, r.baseline.serviceTime)} time · ${pct(r.predicted.cost, r.baseline.cost)} cost`,
    );
    assert.strictEqual(lens.command, 'propack.openReport');
  });

  it('offers "ProPack: profile" above an unprofiled Python lambda_handler', async () => {
    const [lens] = await lensesOn('resize.py', 1);
    assert.deepStrictEqual(lens, { line: 3, title: 'ProPack: profile', command: 'propack.profileFunction' });
  });

  it('names handlers through template.yaml: one module, a profiled and an unprofiled function', async () => {
    const lenses = await lensesOn('functions/app.js', 2);
    assert.deepStrictEqual(
      lenses.map((l) => l.line),
      [2, 6],
    );
    assert.match(lenses[0].title, /^ProPack: p=\d+ at C=1000 · /, 'app.scan is the function "video"');
    assert.strictEqual(lenses[1].title, 'ProPack: profile', 'app.thumbs (Thumbs) has no profile');
  });

  it('follows the propack.defaultConcurrency setting', async () => {
    await vscode.workspace.getConfiguration('propack').update('defaultConcurrency', 2000, vscode.ConfigurationTarget.Workspace);
    const r = await videoChoice(2000);
    const [lens] = await lensesOn('video.js', 1, /C=2000/);
    assert.ok(lens.title.startsWith(`ProPack: p=${r.packingDegree} at C=2000 · `), lens.title);
  });
});
