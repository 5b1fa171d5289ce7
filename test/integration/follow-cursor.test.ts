import * as assert from 'assert';
import * as vscode from 'vscode';
import { propackApi, waitFor, workspaceRoot } from './extension-api';
import type { ReportState } from '../../src/extension/test-api';

/** Puts the cursor on `line` of the editor and waits until the report shows what `accept` wants. */
async function moveTo(editor: vscode.TextEditor, line: number, what: string, accept: (s: ReportState) => boolean): Promise<ReportState> {
  editor.selection = new vscode.Selection(line, 2, line, 2);
  const api = await propackApi();
  return waitFor(what, async () => {
    const s = await api.reportState();
    return s && accept(s) ? s : undefined;
  });
}

describe('the report follows the function under the cursor', () => {
  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('switches between a profiled handler and one without a profile, then back', async () => {
    const api = await propackApi();
    await vscode.commands.executeCommand(
      'propack.openReport',
      vscode.Uri.joinPath(workspaceRoot(), '.propack', 'profiles', 'aws-2021-sort.json'),
    );
    assert.strictEqual((await api.reportState())?.kind, 'profile');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'functions', 'app.js'));
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside });

    const video = await moveTo(
      editor,
      3,
      'the report on "video" (app.scan)',
      (s) => s.kind === 'profile' && s.view.functionName === 'video',
    );
    assert.ok(video.kind === 'profile' && video.view.profileKey === '.propack/profiles/aws-2021-video.json');

    const thumbs = await moveTo(editor, 7, 'the missing-profile notice for Thumbs (app.thumbs)', (s) => s.kind === 'missing');
    assert.deepStrictEqual(thumbs, {
      kind: 'missing',
      missing: { functionName: 'Thumbs', file: 'functions/app.js', exportName: 'thumbs' },
    });

    await moveTo(editor, 2, 'the report back on "video"', (s) => s.kind === 'profile' && s.view.functionName === 'video');
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), doc.uri.toString(), 'the editor kept focus');
  });

  it('follows the active editor into another file', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'resize.py'));
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside });
    const s = await moveTo(
      editor,
      4,
      'the notice for resize (resize.py)',
      (x) => x.kind === 'missing' && x.missing.functionName === 'resize',
    );
    assert.ok(s.kind === 'missing' && s.missing.exportName === 'lambda_handler');
  });

  it('does nothing without an open report', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const api = await propackApi();
    await waitFor('the report closed', async () => ((await api.reportState()) === undefined ? true : undefined));
    const editor = await vscode.window.showTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'video.js'));
    editor.selection = new vscode.Selection(4, 0, 4, 0);
    assert.strictEqual(await api.reportState(), undefined);
  });
});
