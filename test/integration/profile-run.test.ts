import * as assert from 'assert';
import { statSync } from 'node:fs';
import * as vscode from 'vscode';
import { parseProfile } from '../../src/core/profile';
import type { RunRecord } from '../../src/core/run-record';
import type { ReportView } from '../../src/extension/protocol';
import { lensesOn } from './codelens.test';
import { echo, echoProfile, propackApi, readText, waitFor, workspaceRoot } from './extension-api';

const runsDir = (): vscode.Uri => vscode.Uri.joinPath(workspaceRoot(), '.propack', 'runs');
const exportsDir = (): vscode.Uri => vscode.Uri.joinPath(workspaceRoot(), 'exports');

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}

/** Deploy → profile → run packed → compare → export → delete, on the embedded local platform. */
describe('profiling and running a workspace function on the local platform', function () {
  // Real work: a local Lambda platform with worker processes, a profiling campaign and two runs.
  this.timeout(120_000);
  let profileUri: vscode.Uri | undefined;
  let runs: { packed: RunRecord; noPacking: RunRecord } | undefined;

  after(async () => {
    for (const r of [runs?.packed, runs?.noPacking])
      if (r) await vscode.workspace.fs.delete(vscode.Uri.joinPath(runsDir(), `${r.id}.json`)).then(undefined, () => undefined);
    await vscode.workspace.fs.delete(exportsDir(), { recursive: true }).then(undefined, () => undefined);
    if (profileUri) await vscode.workspace.fs.delete(profileUri).then(undefined, () => undefined);
    await vscode.commands.executeCommand('propack.stopLocalPlatform');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Profile Function and Deploy refuse a handler in a language ProPack cannot run at once, before starting a platform', async () => {
    const api = await propackApi();
    // TypeScript is bundled with esbuild and Python has its packed runtime now; a Ruby file stands for what
    // ProPack cannot run.
    const ts = vscode.Uri.joinPath(workspaceRoot(), 'lib', 'thumbs.rb');
    await vscode.workspace.fs.writeFile(ts, new TextEncoder().encode('def handler(event:, context:) = { ok: true }\n'));
    try {
      assert.ok(!api.localRunning(), 'no platform running before');
      for (const h of [{ uri: ts, exportName: 'handler', functionName: 'thumbs', line: 0 }]) {
        assert.strictEqual(await vscode.commands.executeCommand('propack.profileFunction', h), undefined, h.functionName);
        assert.strictEqual(await vscode.commands.executeCommand('propack.deploy', h), undefined, h.functionName);
      }
      assert.ok(!api.localRunning(), 'refused before connecting: the local platform was not started');
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceRoot(), 'lib'), { recursive: true });
    }
  });

  it('Start Local Platform starts it once and the status bar says so', async () => {
    const api = await propackApi();
    const endpoints = await vscode.commands.executeCommand<{ lambda: string; s3: string; endpointFile: string }>(
      'propack.startLocalPlatform',
    );
    assert.match(endpoints.lambda, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(
      !Object.values(endpoints).some((v) => /secret/i.test(String(v))) && !('secretAccessKey' in endpoints),
      'the answer names the endpoint file, not the key',
    );
    assert.strictEqual(statSync(endpoints.endpointFile).mode & 0o777, 0o600, 'endpoint.json is readable by the user only');
    assert.ok(api.localRunning());
    await waitFor('status bar shows the running local platform', () =>
      api.statusText() === '$(vm-running) ProPack: local' ? true : undefined,
    );
  });

  it('Deploy bundles echo.js and the tree lists it as deployed', async () => {
    const r = await vscode.commands.executeCommand<{ name: string; action: string }>('propack.deploy', echo());
    assert.strictEqual(r?.name, 'echo');
    assert.match(r.action, /^(created|updated|unchanged)$/);
    const api = await propackApi();
    await waitFor(
      'echo under Functions as deployed',
      async () =>
        (await api.treeSnapshot(true)).Functions?.some((f) => f.label === 'echo' && f.contextValue === 'deployedFunction')
          ? true
          : undefined,
      20_000,
    );
  });

  it('Profile Function measures echo, saves its profile and the CodeLens turns into a recommendation', async () => {
    assert.deepStrictEqual((await lensesOn('echo.js', 1))[0].title, 'ProPack: profile');
    profileUri = await vscode.commands.executeCommand<vscode.Uri>('propack.profileFunction', echo());
    const profile = await echoProfile(profileUri);
    assert.strictEqual(profile.recommendations?.[0].concurrency, 1000);
    await lensesOn('echo.js', 1, /^ProPack: p=\d+ at C=1000 · /);
    const api = await propackApi();
    const row = await waitFor('echo profiled in the tree', async () =>
      (await api.treeSnapshot(true)).Functions?.find((f) => f.label === 'echo' && f.contextValue === 'handlerProfiled'),
    );
    assert.match(row.description ?? '', /^p=\d+ at C=1000/);
  });

  it("Run Packed runs at the open report's C, saves both runs, shows them under Runs and in the report at once", async () => {
    assert.ok(profileUri);
    // A report opened at C = 8 (from the setting), which then changes: the report keeps its own question.
    const config = vscode.workspace.getConfiguration('propack');
    await config.update('defaultConcurrency', 8, vscode.ConfigurationTarget.Workspace);
    const opened = await vscode.commands.executeCommand<ReportView>('propack.openReport', profileUri);
    await config.update('defaultConcurrency', undefined, vscode.ConfigurationTarget.Workspace);
    assert.strictEqual(opened?.input.concurrency, 8);
    assert.strictEqual(opened.runs.length, 0, 'no runs yet');
    runs = await vscode.commands.executeCommand<{ packed: RunRecord; noPacking: RunRecord }>('propack.runPacked', profileUri);
    assert.ok(runs, 'both runs done');
    assert.deepStrictEqual([runs.noPacking.concurrency, runs.packed.concurrency], [8, 8], "the report's C, not the setting's 1000");
    assert.strictEqual(runs.packed.measured.packingDegree, opened.recommended.packingDegree, "the report's recommended p");
    const api = await propackApi();
    // No waiting: the command returns after the open report took the new runs (its CDFs draw them).
    const shown = await api.reportView();
    assert.deepStrictEqual(
      shown?.runs.map((r) => [r.label, r.completionTimes.length]),
      [
        ['no-packing', 8],
        ['propack', 8],
      ],
    );
    assert.strictEqual(runs.noPacking.measured.packingDegree, 1);
    assert.ok(runs.packed.measured.packingDegree >= 1 && runs.packed.predicted, 'the packed run carries its prediction');
    for (const r of [runs.noPacking, runs.packed]) {
      assert.deepStrictEqual(r.measured.tasks, { total: 8, succeeded: 8, failed: 0 }, r.label);
      assert.ok(await exists(vscode.Uri.joinPath(runsDir(), `${r.id}.json`)), `${r.id} saved`);
    }
    const rows = await waitFor('two runs in the tree', async () => {
      const r = (await api.treeSnapshot(true)).Runs;
      return r.length === 2 ? r : undefined;
    });
    assert.deepStrictEqual(rows.map((r) => r.label).sort(), ['echo · no-packing', 'echo · propack']);
    for (const r of rows) assert.match(r.description ?? '', /^p=\d+ · C=8 · [\d.]+ s · \$/);
  });

  it('Compare Runs puts the two side by side', async () => {
    assert.ok(runs);
    const md = await vscode.commands.executeCommand<string>(
      'propack.compareRuns',
      vscode.Uri.joinPath(runsDir(), `${runs.noPacking.id}.json`),
      vscode.Uri.joinPath(runsDir(), `${runs.packed.id}.json`),
    );
    assert.match(md, /^# ProPack: no-packing vs propack/);
    assert.match(md, new RegExp(`\\| packing degree p \\| 1 \\| ${runs.packed.measured.packingDegree} \\|`));
    assert.strictEqual(vscode.window.activeTextEditor?.document.languageId, 'markdown');
  });

  it('Export Report writes CSV, JSON and the HTML report with its runs', async () => {
    assert.ok(profileUri);
    const csv = await vscode.commands.executeCommand<vscode.Uri>('propack.exportReport', {
      format: 'csv',
      profile: profileUri,
      target: vscode.Uri.joinPath(exportsDir(), 'echo.csv'),
    });
    assert.match(await readText(csv), /^packing_degree,concurrency,service_time_s,/);
    const json = await vscode.commands.executeCommand<vscode.Uri>('propack.exportReport', {
      format: 'json',
      profile: profileUri,
      target: vscode.Uri.joinPath(exportsDir(), 'echo.json'),
    });
    assert.strictEqual((JSON.parse(await readText(json)) as { functionName: string }).functionName, 'echo');
    const html = await vscode.commands.executeCommand<vscode.Uri>('propack.exportReport', {
      format: 'html',
      profile: profileUri,
      target: vscode.Uri.joinPath(exportsDir(), 'html'),
    });
    assert.ok(html?.fsPath.endsWith('report.html'));
    const page = await readText(html);
    assert.ok(page.includes('echo') && page.startsWith('<!DOCTYPE html>'), 'a self-contained report naming the function');
    const summary = JSON.parse(await readText(vscode.Uri.joinPath(exportsDir(), 'html', 'summary.json'))) as {
      benchmarks: { concurrency: number; measured: boolean }[];
    };
    assert.deepStrictEqual(
      summary.benchmarks.map((b) => [b.concurrency, b.measured]),
      [[8, true]],
      "at the open report's C, with the runs made there",
    );
  });

  it('with propack.profileMemorySizes set, Profile Function measures packing at those sizes too and the report searches them', async () => {
    const config = vscode.workspace.getConfiguration('propack');
    await config.update('profileMemorySizes', [884], vscode.ConfigurationTarget.Workspace);
    try {
      profileUri = await vscode.commands.executeCommand<vscode.Uri>('propack.profileFunction', echo());
      assert.ok(profileUri, 'profile written');
      const profile = parseProfile(await readText(profileUri), 'echo.json');
      assert.deepStrictEqual(
        profile.variants?.map((v) => [v.memoryMb, v.architecture, v.vcpus]),
        [[884, 'x86_64', 0.5]],
      );
      assert.deepStrictEqual(
        profile.variants?.[0].packing.samples.map((x) => x.degree),
        [1, 2, 4, 8],
      );
      await vscode.commands.executeCommand('propack.openReport', profileUri);
      const api = await propackApi();
      const view = await waitFor('the report with the measured 884 MB row', async () => {
        const v = await api.reportView();
        return v?.functionName === 'echo' && v.outlook.ok && v.outlook.joint.measured.some((m) => m.memoryMb === 884) ? v : undefined;
      });
      assert.ok(
        view.outlook.ok && view.outlook.joint.cpuWorkFrom === 'several-vcpu-counts',
        'two vCPU counts measured separate CPU work from the rest',
      );
    } finally {
      await config.update('profileMemorySizes', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('Profile Function at the degrees an edge note suggests measures them, and the open report redraws with them', async () => {
    // What the report's "Profile p = …" button asks for: { handler, degrees }.
    await vscode.commands.executeCommand('propack.openReport', profileUri);
    profileUri = await vscode.commands.executeCommand<vscode.Uri>('propack.profileFunction', {
      handler: echo(),
      degrees: [1, 2, 4, 8, 16],
    });
    assert.ok(profileUri, 'profile written');
    const profile = parseProfile(await readText(profileUri), 'echo.json');
    assert.deepStrictEqual([...new Set(profile.packing.samples.map((x) => x.degree))], [1, 2, 4, 8, 16]);
    const api = await propackApi();
    await waitFor('the open report to show the re-measured profile', async () => {
      const v = await api.reportView();
      const packing = v?.charts.find((c) => c.id === 'packing');
      return v?.functionName === 'echo' && packing?.series.some((s) => s.style === 'points' && s.points.some((pt) => pt.x === 16))
        ? v
        : undefined;
    });
  });

  it('Delete Profile removes it and the CodeLens offers profiling again', async () => {
    assert.ok(profileUri);
    assert.strictEqual(await vscode.commands.executeCommand('propack.deleteProfile', profileUri, true), true);
    assert.ok(!(await exists(profileUri)));
    await lensesOn('echo.js', 1, /^ProPack: profile$/);
  });

  it('Show Log and Stop Local Platform', async () => {
    await vscode.commands.executeCommand('propack.showLog');
    assert.strictEqual(await vscode.commands.executeCommand('propack.stopLocalPlatform'), true);
    const api = await propackApi();
    assert.ok(!api.localRunning());
    await waitFor('status bar shows the stopped platform', () => (api.statusText() === '$(vm) ProPack: local' ? true : undefined));
    assert.strictEqual(await vscode.commands.executeCommand('propack.stopLocalPlatform'), false, 'stopping twice is a no-op');
  });
});
