// Keeps the open report on the function under the cursor: moving into another handler shows its
// profile, or the missing-profile notice with a button to profile it. The panel is updated in place,
// never revealed, so the editor keeps focus.
import * as vscode from 'vscode';
import { handlerAtLine } from '../handlers/detect-handlers';
import type { HandlerRef, WorkspaceHandlers } from '../handlers/workspace-handlers';
import type { ProPackTreeProvider } from '../tree/propack-tree';
import { profileForFunction } from '../workspace-files';
import { ReportPanel } from './report-panel';

/** Follows the active editor's cursor; `followed` is the handler the report last followed. */
export class CursorFollower implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private last: string | undefined;
  /** Serializes updates so a fast cursor cannot leave an older answer on screen. */
  private queue: Promise<void> = Promise.resolve();
  /** The handler the report shows because of the cursor, if any. */
  followed: HandlerRef | undefined;

  constructor(
    private readonly handlers: WorkspaceHandlers,
    private readonly tree: ProPackTreeProvider,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeTextEditorSelection((e) => this.schedule(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((e) => e && this.schedule(e)),
    );
  }

  /** Resolves when every cursor move seen so far has been applied to the report. */
  settled(): Promise<void> {
    return this.queue;
  }

  /** Forgets the last followed handler, so the next move re-reads profiles (after a profile changes). */
  reset(): void {
    this.last = undefined;
  }

  private schedule(editor: vscode.TextEditor): void {
    this.queue = this.queue
      .then(() => this.follow(editor))
      .catch((e: unknown) => this.log.warn(`follow cursor: ${e instanceof Error ? e.message : String(e)}`));
  }

  private async follow(editor: vscode.TextEditor): Promise<void> {
    const panel = ReportPanel.open;
    if (!panel || editor.document.uri.scheme !== 'file') return;
    const handler = handlerAtLine(await this.handlers.inDocument(editor.document), editor.selection.active.line);
    if (!handler) return;
    const key = `${handler.uri.toString()}#${handler.exportName}`;
    if (key === this.last) return;
    this.last = key;
    this.followed = handler;
    const entry = profileForFunction(await this.tree.profileEntries(), handler.functionName);
    if (entry) {
      panel.follow({ key: entry.key, profile: entry.profile });
    } else {
      panel.showMissing({
        functionName: handler.functionName,
        file: vscode.workspace.asRelativePath(handler.uri, false),
        exportName: handler.exportName,
      });
    }
    this.log.info(`report follows ${handler.functionName} (${handler.exportName}): ${entry ? entry.key : 'no profile'}`);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
