// ProPack: Optimize — asks objective, metric and concurrency, shows the recommended packing degree and
// opens the report on that answer.
import * as vscode from 'vscode';
import { concurrencyError, type ReportInput, type ReportView } from '../protocol';
import type { ProPackTreeProvider } from '../tree/propack-tree';
import { ReportPanel } from '../report/report-panel';
import { optimizeMessage } from './optimize-message';
import { isMetric, isObjective, METRIC_CHOICES, OBJECTIVE_CHOICES } from './optimize-inputs';
import { pickProfile } from './pick-profile';

/** Arguments a caller (a test, another command) may pass to skip the questions. */
export interface OptimizeArgs {
  profile?: unknown;
  concurrency?: number;
  objective?: string;
  metric?: string;
  /** Model to optimize with; the core's default (fitted) when absent. The palette does not ask. */
  model?: string;
}

function asOptimizeArgs(arg: unknown): OptimizeArgs {
  // A tree item or Uri names only the profile; a plain object may answer every question.
  if (typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) && !(arg instanceof vscode.TreeItem))
    return arg as OptimizeArgs;
  return { profile: arg };
}

async function askInput(given: OptimizeArgs): Promise<ReportInput | undefined> {
  const objective = isObjective(given.objective)
    ? given.objective
    : (
        await vscode.window.showQuickPick(
          OBJECTIVE_CHOICES.map((c) => ({ ...c })),
          { title: 'ProPack: optimize for', placeHolder: 'Objective' },
        )
      )?.value;
  if (!objective) return undefined;
  const metric = isMetric(given.metric)
    ? given.metric
    : (
        await vscode.window.showQuickPick(
          METRIC_CHOICES.map((c) => ({ ...c })),
          { title: 'ProPack: service time metric', placeHolder: 'Metric' },
        )
      )?.value;
  if (!metric) return undefined;
  let concurrency = given.concurrency;
  if (concurrency === undefined || concurrencyError(String(concurrency)) !== undefined) {
    const typed = await vscode.window.showInputBox({
      title: 'ProPack: concurrency',
      prompt: 'How many invocations the job starts at once (C)',
      value: '1000',
      validateInput: concurrencyError,
    });
    if (typed === undefined) return undefined;
    concurrency = Number(typed.trim());
  }
  const model = given.model === 'classic' || given.model === 'fitted' ? given.model : undefined;
  return { concurrency, objective, metric, ...(model ? { model } : {}) };
}

/** Runs the Optimize command; returns the report view it opened, or undefined when cancelled. */
export async function optimizeCommand(
  arg: unknown,
  tree: ProPackTreeProvider,
  extensionUri: vscode.Uri,
  log: vscode.LogOutputChannel,
): Promise<ReportView | undefined> {
  const given = asOptimizeArgs(arg);
  const picked = await pickProfile(given.profile, tree);
  if (!picked) return undefined;
  const input = await askInput(given);
  if (!input) return undefined;
  const view = ReportPanel.show(extensionUri, picked, input, log).currentView;
  const message = optimizeMessage(picked.profile.function.name, view.input, view.recommended, view.baseline, view.notes);
  log.info(message);
  void vscode.window.showInformationMessage(`ProPack: ${message}`);
  return view;
}
