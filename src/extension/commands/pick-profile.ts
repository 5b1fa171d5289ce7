// Resolves which profile a command works on: the one it was given, the only one, or the user's pick.
import * as vscode from 'vscode';
import type { Profile } from '../../core/types';
import type { ProPackTreeProvider } from '../tree/propack-tree';
import { readProfileEntry } from '../workspace-files';

/** A usable profile and its workspace-relative key. */
export interface PickedProfile {
  key: string;
  profile: Profile;
}

/** A command argument naming a profile: a tree item (has `resourceUri`), a Uri, or a path string. */
export function profileUriFromArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.file(arg);
  if (typeof arg === 'object' && arg !== null && 'resourceUri' in arg && (arg as vscode.TreeItem).resourceUri instanceof vscode.Uri) {
    return (arg as vscode.TreeItem).resourceUri;
  }
  return undefined;
}

/** The profile for a command; shows why and returns undefined when there is none or the user cancels. */
export async function pickProfile(arg: unknown, tree: ProPackTreeProvider): Promise<PickedProfile | undefined> {
  const given = profileUriFromArg(arg);
  if (given) {
    const entry = await readProfileEntry(given);
    if (entry.ok) return { key: entry.key, profile: entry.profile };
    void vscode.window.showErrorMessage(`ProPack: ${entry.reason}`);
    return undefined;
  }
  const usable = (await tree.profileEntries()).filter((e) => e.ok);
  if (usable.length === 0) {
    void vscode.window
      .showWarningMessage(
        'ProPack: no usable profile in .propack/profiles/ yet: profile a function, or try the built-in benchmarks.',
        'Profile a Function',
        'Try the Built-in Benchmarks',
      )
      .then(
        (pick) =>
          pick && vscode.commands.executeCommand(pick === 'Profile a Function' ? 'propack.profileFunction' : 'propack.tryBenchmarks'),
      );
    return undefined;
  }
  if (usable.length === 1) return { key: usable[0].key, profile: usable[0].profile };
  const choice = await vscode.window.showQuickPick(
    usable.map((e) => ({ label: e.profile.function.name, description: e.key, entry: e })),
    { title: 'ProPack: choose a profile', placeHolder: 'Profile', matchOnDescription: true },
  );
  return choice ? { key: choice.entry.key, profile: choice.entry.profile } : undefined;
}
