// The ProPack sidebar: Benchmarks, Profiles (valid and broken), Runs.
import * as vscode from 'vscode';
import { BENCHMARKS } from '../../../benchmarks/catalog';
import type { BenchmarkInfo } from '../../../benchmarks/types';
import { listProfiles, listRuns, type ProfileEntry, type RunEntry } from '../workspace-files';

/** contextValue of each item kind; package.json menus key on these. */
export const ItemKind = {
  group: 'group',
  benchmark: 'benchmark',
  profile: 'profile',
  profileError: 'profileError',
  run: 'run',
} as const;

type GroupId = 'benchmarks' | 'profiles' | 'runs';

export class GroupItem extends vscode.TreeItem {
  constructor(readonly group: GroupId, label: string, icon: string) {
    super(label, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `propack.group.${group}`;
    this.contextValue = ItemKind.group;
    this.iconPath = new vscode.ThemeIcon(icon);
  }
}

export class BenchmarkItem extends vscode.TreeItem {
  constructor(readonly benchmark: BenchmarkInfo) {
    super(benchmark.name, vscode.TreeItemCollapsibleState.None);
    this.id = `propack.benchmark.${benchmark.name}`;
    this.description = `${benchmark.bound}-bound`;
    this.tooltip = `${benchmark.title}\n${benchmark.taskDescription}`;
    this.contextValue = ItemKind.benchmark;
    this.iconPath = new vscode.ThemeIcon('beaker');
  }
}

export class ProfileItem extends vscode.TreeItem {
  constructor(readonly entry: Extract<ProfileEntry, { ok: true }>) {
    super(entry.profile.function.name, vscode.TreeItemCollapsibleState.None);
    this.id = `propack.profile.${entry.key}`;
    this.description = entry.key.split('/').pop();
    this.tooltip = `${entry.key}\n${entry.profile.source.kind}${entry.profile.source.detail ? `: ${entry.profile.source.detail}` : ''}`;
    this.resourceUri = entry.uri;
    this.contextValue = ItemKind.profile;
    this.iconPath = new vscode.ThemeIcon('graph-line');
    this.command = { command: 'propack.openReport', title: 'Open Report', arguments: [entry.uri] };
  }
}

export class ProfileErrorItem extends vscode.TreeItem {
  constructor(readonly entry: Extract<ProfileEntry, { ok: false }>) {
    super(entry.key.split('/').pop() ?? entry.key, vscode.TreeItemCollapsibleState.None);
    this.id = `propack.profileError.${entry.key}`;
    // The row already names the file: show the reason without the file prefix the parser adds.
    this.description = entry.reason.startsWith(`${entry.key}: `) ? entry.reason.slice(entry.key.length + 2) : entry.reason;
    this.tooltip = new vscode.MarkdownString().appendText(`${entry.key} cannot be used:\n${entry.reason}`);
    this.contextValue = ItemKind.profileError;
    this.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    this.command = { command: 'propack.openProfileFile', title: 'Open Profile File', arguments: [entry.uri] };
  }
}

export class RunItem extends vscode.TreeItem {
  constructor(readonly entry: RunEntry) {
    super(entry.key.split('/').pop() ?? entry.key, vscode.TreeItemCollapsibleState.None);
    this.id = `propack.run.${entry.key}`;
    this.resourceUri = entry.uri;
    this.contextValue = ItemKind.run;
    this.iconPath = new vscode.ThemeIcon('run-all');
    this.command = { command: 'vscode.open', title: 'Open', arguments: [entry.uri] };
  }
}

export type ProPackTreeItem = GroupItem | BenchmarkItem | ProfileItem | ProfileErrorItem | RunItem;

/** A plain copy of the tree for tests and logs: group label → row labels (with descriptions). */
export type TreeSnapshot = Record<string, { label: string; description?: string; contextValue?: string }[]>;

/** Tree data for the `propack.explorer` view; `refresh()` re-reads the workspace. */
export class ProPackTreeProvider implements vscode.TreeDataProvider<ProPackTreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ProPackTreeItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private profiles: Promise<ProfileEntry[]> | undefined;
  private runs: Promise<RunEntry[]> | undefined;

  /** Drops cached listings and tells the view to ask again. */
  refresh(): void {
    this.profiles = undefined;
    this.runs = undefined;
    this.changed.fire(undefined);
  }

  /** The current profile listing (cached until the next refresh). */
  profileEntries(): Promise<ProfileEntry[]> {
    return (this.profiles ??= listProfiles());
  }

  private runEntries(): Promise<RunEntry[]> {
    return (this.runs ??= listRuns());
  }

  getTreeItem(element: ProPackTreeItem): vscode.TreeItem {
    return element;
  }

  async getChildren(element?: ProPackTreeItem): Promise<ProPackTreeItem[]> {
    if (!element) {
      const profiles = await this.profileEntries();
      // An empty tree lets the view's welcome content explain how to get a first profile.
      if (profiles.length === 0) return [];
      return [new GroupItem('benchmarks', 'Benchmarks', 'package'), new GroupItem('profiles', 'Profiles', 'graph'), new GroupItem('runs', 'Runs', 'history')];
    }
    if (!(element instanceof GroupItem)) return [];
    switch (element.group) {
      case 'benchmarks':
        return BENCHMARKS.map((b) => new BenchmarkItem(b));
      case 'profiles':
        return (await this.profileEntries()).map((e) => (e.ok ? new ProfileItem(e) : new ProfileErrorItem(e)));
      case 'runs':
        return (await this.runEntries()).map((e) => new RunItem(e));
    }
  }

  /** Walks the whole tree as the view would, for tests and diagnostics. */
  async snapshot(): Promise<TreeSnapshot> {
    const out: TreeSnapshot = {};
    for (const group of await this.getChildren()) {
      out[String(group.label)] = (await this.getChildren(group)).map((item) => ({
        label: String(item.label),
        ...(typeof item.description === 'string' ? { description: item.description } : {}),
        ...(item.contextValue ? { contextValue: item.contextValue } : {}),
      }));
    }
    return out;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
