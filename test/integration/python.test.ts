import * as assert from 'assert';
import * as vscode from 'vscode';
import { parseProfile } from '../../src/core/profile';
import type { RunRecord } from '../../src/core/run-record';
import type { ReportView } from '../../src/extension/protocol';
import { lensesOn } from './codelens.test';
import { propackApi, readText, waitFor, workspaceRoot } from './extension-api';

const FOLDER = 'pyjobs';
/** A Python package of two modules: the handler imports its sibling, so the whole folder must ship. */
const FILES: Record<string, string> = {
  'score.py':
    'from weights import weigh\n\n\ndef handler(event, context):\n    task = event.get("task", 0) if isinstance(event, dict) else 0\n    return {"task": task, "score": weigh(task), "left_ms": context.get_remaining_time_in_millis() > 0}\n',
  'weights.py': 'def weigh(task):\n    return sum(i * (task + 1) for i in range(20000)) % 9973\n',
};
const handler = (): { uri: vscode.Uri; exportName: string; functionName: string; line: number } => ({
  uri: vscode.Uri.joinPath(workspaceRoot(), FOLDER, 'score.py'),
  exportName: 'handler',
  functionName: 'score',
  line: 3,
});

/** CodeLens → Profile Function → report → Run Packed on a Python handler, on the embedded local platform. */
describe('a Python handler on the local platform', function () {
  // Real work: Python worker processes, a profiling campaign and two runs.
  this.timeout(150_000);
  let profileUri: vscode.Uri | undefined;
  const runFiles: vscode.Uri[] = [];

  before(async () => {
    for (const [name, text] of Object.entries(FILES))
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(workspaceRoot(), FOLDER, name), new TextEncoder().encode(text));
  });

  after(async () => {
    for (const u of [...runFiles, ...(profileUri ? [profileUri] : [])])
      await vscode.workspace.fs.delete(u).then(undefined, () => undefined);
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceRoot(), FOLDER), { recursive: true }).then(undefined, () => undefined);
    await vscode.commands.executeCommand('propack.stopLocalPlatform');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the CodeLens offers profiling and the tree lists the handler as not profiled', async () => {
    const [lens] = await lensesOn(`${FOLDER}/score.py`, 1, /^ProPack: profile$/);
    assert.strictEqual(lens.line, 3);
    const api = await propackApi();
    await waitFor('score under Functions', async () =>
      (await api.treeSnapshot(true)).Functions?.find((f) => f.label === 'score' && f.description === 'pyjobs/score.py · not profiled'),
    );
  });

  it('Profile Function measures it packed with the Python runtime and the lens turns into a recommendation', async () => {
    profileUri = await vscode.commands.executeCommand<vscode.Uri>('propack.profileFunction', handler());
    assert.ok(profileUri, 'profile written (see the ProPack channel for the reason if not)');
    assert.strictEqual(vscode.workspace.asRelativePath(profileUri, false), '.propack/profiles/score.json');
    const profile = parseProfile(await readText(profileUri), 'score.json');
    assert.strictEqual(profile.function.name, 'score');
    assert.strictEqual(profile.source.kind, 'local');
    assert.match(profile.function.runtime ?? '', /^python3\.\d+$/);
    assert.deepStrictEqual([...new Set(profile.packing.samples.map((s) => s.degree))], [1, 2, 4, 8]);
    await lensesOn(`${FOLDER}/score.py`, 1, /^ProPack: p=\d+ at C=1000 · /);
  });

  it('Run Packed at the report\u2019s C runs every task and records both runs', async () => {
    assert.ok(profileUri);
    const config = vscode.workspace.getConfiguration('propack');
    await config.update('defaultConcurrency', 8, vscode.ConfigurationTarget.Workspace);
    const opened = await vscode.commands.executeCommand<ReportView>('propack.openReport', profileUri);
    await config.update('defaultConcurrency', undefined, vscode.ConfigurationTarget.Workspace);
    assert.strictEqual(opened?.functionName, 'score');
    assert.match(
      opened.sourceDetail,
      /this machine's python3 standing in for Lambda's python3\.\d+/,
      'the report says what stood in for Lambda',
    );
    const runs = await vscode.commands.executeCommand<{ packed: RunRecord; noPacking: RunRecord }>('propack.runPacked', profileUri);
    assert.ok(runs, 'both runs done');
    for (const r of [runs.noPacking, runs.packed]) {
      runFiles.push(vscode.Uri.joinPath(workspaceRoot(), '.propack', 'runs', `${r.id}.json`));
      assert.deepStrictEqual(r.measured.tasks, { total: 8, succeeded: 8, failed: 0 }, r.label);
    }
    assert.strictEqual(runs.packed.measured.packingDegree, opened.recommended.packingDegree);
    const shown = await (await propackApi()).reportView();
    assert.deepStrictEqual(
      shown?.runs.map((r) => [r.label, r.completionTimes.length]),
      [
        ['no-packing', 8],
        ['propack', 8],
      ],
    );
  });
});
