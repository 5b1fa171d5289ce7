import * as assert from 'assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { optimize } from '../../src/core/optimizer';
import { parseProfile } from '../../src/core/profile';
import type { ReportView } from '../../src/extension/protocol';
import { propackApi, waitFor, workspaceRoot } from './extension-api';

function profileUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), '.propack', 'profiles', name);
}

async function expectedP(
  name: string,
  concurrency: number,
  objective: 'time' | 'cost' | 'both',
  metric: 'net' | 'tail' | 'median',
): Promise<number> {
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(profileUri(name)));
  return optimize(parseProfile(text, name), { concurrency, objective, metric }).packingDegree;
}

function reportTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('propack.report'));
}

describe('report panel', () => {
  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('opens for a profile and its page receives the recommended p', async () => {
    const opened = await vscode.commands.executeCommand<ReportView>('propack.openReport', profileUri('aws-2021-video.json'));
    assert.ok(opened, 'openReport returned the view');
    const view = await (await propackApi()).reportView();
    assert.ok(view, 'report open and its page loaded');
    assert.strictEqual(view.functionName, 'video');
    assert.strictEqual(
      view.recommended.packingDegree,
      await expectedP('aws-2021-video.json', view.input.concurrency, view.input.objective, view.input.metric),
    );
    const measuredPoints = (id: string): number =>
      (view.charts.find((c) => c.id === id)?.series ?? []).filter((s) => s.style === 'points').reduce((n, s) => n + s.points.length, 0);
    assert.ok(view.candidates.length > 1 && measuredPoints('scaling') > 0 && measuredPoints('packing') > 0, 'chart data present');
    assert.strictEqual(reportTabs().length, 1);
  });

  it('Optimize re-answers in the same single panel', async () => {
    const view = await vscode.commands.executeCommand<ReportView>('propack.optimize', {
      profile: profileUri('aws-2021-video.json'),
      concurrency: 2000,
      objective: 'time',
      metric: 'net',
    });
    assert.ok(view);
    assert.deepStrictEqual({ c: view.input.concurrency, o: view.input.objective, m: view.input.metric }, { c: 2000, o: 'time', m: 'net' });
    assert.strictEqual(view.recommended.packingDegree, await expectedP('aws-2021-video.json', 2000, 'time', 'net'));
    const shown = await (await propackApi()).reportView();
    assert.strictEqual(shown?.recommended.packingDegree, view.recommended.packingDegree);
    assert.strictEqual(reportTabs().length, 1, 'one report panel, revealed not duplicated');
  });

  it("recommends through the command what ProPack's artifact computes (classic model)", async () => {
    // Two of DESIGN.md's known values (the core's unit tests pin all six); here the point is the wiring.
    for (const [file, objective, concurrency, p] of [
      ['aws-2021-video.json', 'both', 2000, 16],
      ['aws-2021-sort.json', 'time', 5000, 15],
    ] as const) {
      const view = await vscode.commands.executeCommand<ReportView>('propack.optimize', {
        profile: profileUri(file),
        concurrency,
        objective,
        metric: 'net',
        model: 'classic',
      });
      assert.strictEqual(view?.recommended.packingDegree, p, `${file} ${objective} C=${concurrency}`);
      assert.strictEqual((await (await propackApi()).reportView())?.profileKey, `.propack/profiles/${file}`);
    }
    assert.strictEqual(reportTabs().length, 1);
  });

  it('draws the memory × p heatmap with the joint choice marked and the what-if chart in the page', async () => {
    const view = await vscode.commands.executeCommand<ReportView>('propack.optimize', {
      profile: profileUri('aws-2021-video.json'),
      concurrency: 3000,
      objective: 'cost',
      metric: 'tail',
    });
    assert.ok(view?.outlook.ok, 'the host sent the joint outlook');
    assert.ok(view.outlook.heatmaps.length > 0);
    assert.strictEqual(view.whatIf.points.at(-1)?.concurrency, 100_000, 'the host sent the what-if up to C = 100,000');
    const api = await propackApi();
    // The page reports what it drew after each render; wait for the render of this question.
    const drawn = await waitFor('the page to draw C = 3000 (cost, tail)', async () => {
      const r = await api.reportRendered();
      return r?.concurrency === 3000 && r.objective === 'cost' && r.metric === 'tail' ? r : undefined;
    });
    assert.strictEqual(drawn.profileKey, '.propack/profiles/aws-2021-video.json');
    assert.strictEqual(drawn.outlookError, undefined);
    assert.strictEqual(drawn.heatmapTables, view.outlook.heatmaps.length, 'one heatmap table per architecture');
    assert.strictEqual(drawn.choiceCells, 1, 'exactly one cell marked ★');
    assert.ok(drawn.charts.includes('chart-whatif'), `what-if chart drawn (${drawn.charts.join(', ')})`);
    assert.strictEqual(drawn.whatIfRows, view.whatIf.points.length, 'what-if data table, one row per simulated C');
  });

  it('says when the recommended p is the largest profiled degree and offers to profile higher ones', async () => {
    // Video's cost optimum at C = 5000 is p = 40, the largest degree its artifact measured (the choice may be a
    // near tie just below it; the edge note follows the optimum).
    const view = await vscode.commands.executeCommand<ReportView>('propack.optimize', {
      profile: profileUri('aws-2021-video.json'),
      concurrency: 5000,
      objective: 'cost',
      metric: 'net',
    });
    assert.strictEqual(view?.edge?.side, 'largest');
    const api = await propackApi();
    const drawn = await waitFor('the page to draw C = 5000 (cost)', async () => {
      const r = await api.reportRendered();
      return r?.concurrency === 5000 && r.objective === 'cost' ? r : undefined;
    });
    assert.match(drawn.edgeNote ?? '', /^p=40 is the largest packing degree profiled .*Profile p = 1, 2, 4, 8, 16, 32, 40, 80, 160$/);
    const inside = await vscode.commands.executeCommand<ReportView>('propack.optimize', {
      profile: profileUri('aws-2021-video.json'),
      concurrency: 5000,
      objective: 'time',
      metric: 'net',
    });
    assert.strictEqual(inside?.edge, undefined);
    const redrawn = await waitFor('the page to draw C = 5000 (time)', async () => {
      const r = await api.reportRendered();
      return r?.concurrency === 5000 && r.objective === 'time' ? r : undefined;
    });
    assert.strictEqual(redrawn.edgeNote, undefined, 'the note goes away with the edge');
  });

  it('Export Report writes a model-only HTML report for a profile whose function has not run', async () => {
    const dir = vscode.Uri.file(mkdtempSync(join(tmpdir(), 'propack-model-only-')));
    const html = await vscode.commands.executeCommand<vscode.Uri | undefined>('propack.exportReport', {
      format: 'html',
      profile: profileUri('aws-2021-sort.json'),
      target: dir,
    });
    assert.ok(html, 'exported');
    assert.ok(html.fsPath.endsWith('report.html'), html.fsPath);
    assert.match(readFileSync(html.fsPath, 'utf8'), /Predicted: ProPack would pack p=\d+ at C=\d+/);
    const summary = JSON.parse(readFileSync(join(dir.fsPath, 'summary.json'), 'utf8')) as {
      benchmarks: { measured: boolean; propack: unknown }[];
    };
    assert.deepStrictEqual([summary.benchmarks[0].measured, summary.benchmarks[0].propack], [false, null]);
  });

  it('refuses a broken profile with its reason and opens nothing new', async () => {
    const view = await vscode.commands.executeCommand<ReportView | undefined>('propack.openReport', profileUri('broken.json'));
    assert.strictEqual(view, undefined);
    assert.strictEqual(reportTabs().length, 1);
  });
});
