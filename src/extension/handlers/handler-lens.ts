// CodeLenses above Lambda handlers: "ProPack: profile" when the function has no profile, else the
// recommendation at the default concurrency and what it saves against no packing.
import * as vscode from 'vscode';
import { optimize } from '../../core/optimizer';
import { currentSettings } from '../settings-access';
import type { ProPackTreeProvider } from '../tree/propack-tree';
import { profileForFunction } from '../workspace-files';
import { profiledLensTitle, UNPROFILED_LENS_TITLE } from './lens-title';
import type { WorkspaceHandlers } from './workspace-handlers';

/** Documents the lenses are offered in. */
export const HANDLER_DOCUMENTS: vscode.DocumentSelector = [
  { scheme: 'file', language: 'javascript' },
  { scheme: 'file', language: 'typescript' },
  { scheme: 'file', language: 'python' },
];

/** Provides the handler lenses; `refresh()` asks VS Code to recompute them. */
export class HandlerLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly handlers: WorkspaceHandlers,
    private readonly tree: ProPackTreeProvider,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Recomputes every visible lens (profiles or settings changed). */
  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const found = await this.handlers.inDocument(document);
    if (found.length === 0) return [];
    const entries = await this.tree.profileEntries();
    const s = currentSettings();
    return found.map((h) => {
      const range = new vscode.Range(h.line, 0, h.line, 0);
      const entry = profileForFunction(entries, h.functionName);
      if (!entry) {
        return new vscode.CodeLens(range, {
          title: UNPROFILED_LENS_TITLE,
          tooltip: `Profile ${h.functionName} (${h.exportName}) with ProPack`,
          command: 'propack.profileFunction',
          arguments: [h],
        });
      }
      try {
        const r = optimize(entry.profile, {
          concurrency: s.defaultConcurrency,
          objective: s.objective,
          metric: s.metric,
          weights: s.weights,
          maxDegree: s.maxPackingDegree,
        });
        return new vscode.CodeLens(range, {
          title: profiledLensTitle(r.predicted, r.baseline, s.defaultConcurrency),
          tooltip: `${h.functionName}: recommended packing degree for ${s.objective}/${s.metric} at C = ${s.defaultConcurrency} (from ${entry.key}).${r.edge ? ` Note: ${r.edge.message}; the report offers to profile them.` : ''} Click for the report.`,
          command: 'propack.openReport',
          arguments: [entry.uri],
        });
      } catch (e) {
        this.log.warn(`lens for ${h.functionName}: ${e instanceof Error ? e.message : String(e)}`);
        return new vscode.CodeLens(range, { title: 'ProPack: profile cannot answer (see log)', command: 'propack.showLog' });
      }
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
