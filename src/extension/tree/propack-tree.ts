// The ProPack sidebar: Benchmarks, Functions (workspace handlers and deployed functions), Profiles
// (valid and broken), Runs.
import * as vscode from 'vscode';
import { BENCHMARKS } from '../../../benchmarks/catalog';
import type { BenchmarkInfo } from '../../../benchmarks/types';
import { optimize } from '../../core/optimizer';
import { describeSource } from '../../core/profile';
import type { RunRecord } from '../../engine/run-store';
import { percentChange } from '../handlers/lens-title';
import type { HandlerRef, WorkspaceHandlers } from '../handlers/workspace-handlers';
import { parseRunRecord, runDescription } from '../runs/run-files';
import { currentSettings } from '../settings-access';
import { listProfiles, listRuns, profileForFunction, type ProfileEntry, type RunEntry } from '../workspace-files';

/** contextValue of each item kind; package.json menus key on these. */
export const ItemKind = {
  group: 'group',
  benchmark: 'benchmark',
  profile: 'profile',
  profileError: 'profileError',
  run: 'run',
  /** A workspace handler without a profile / with one. */
  handler: 'handler',
  handlerProfiled: 'handlerProfiled',
  deployedFunction: 'deployedFunction',
  info: 'info',
} as const;

type GroupId = 'benchmarks' | 'functions' | 'profiles' | 'runs';

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
    const file = entry.key.split('/').pop();
    const hint = recommendationHint(entry);
    this.description = hint ? `${file} · ${hint}` : file;
    this.tooltip = new vscode.MarkdownString().appendText(
      `${entry.key}\nmeasured: ${describeSource(entry.profile.source)}, ${entry.profile.source.createdAt}\n` +
        `${entry.profile.scaling.runs.length} scaling runs, packing degrees up to ${Math.max(...entry.profile.packing.samples.map((x) => x.degree))}` +
        (hint ? `\nrecommended: ${hint} against no packing` : ''),
    );
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

/** "p=12 at C=1000 · −63% time · −41% cost" from the settings' question, or undefined when the model cannot answer. */
function recommendationHint(entry: Extract<ProfileEntry, { ok: true }>): string | undefined {
  const s = currentSettings();
  try {
    const r = optimize(entry.profile, { concurrency: s.defaultConcurrency, objective: s.objective, metric: s.metric, weights: s.weights, maxDegree: s.maxPackingDegree });
    return `p=${r.packingDegree} at C=${s.defaultConcurrency} · ${percentChange(r.predicted.serviceTime, r.baseline.serviceTime)} time · ${percentChange(r.predicted.cost, r.baseline.cost)} cost`;
  } catch {
    return undefined;
  }
}

export class HandlerItem extends vscode.TreeItem {
  constructor(readonly handler: HandlerRef, profiled: Extract<ProfileEntry, { ok: true }> | undefined) {
    super(handler.functionName, vscode.TreeItemCollapsibleState.None);
    const file = vscode.workspace.asRelativePath(handler.uri, false);
    this.id = `propack.handler.${file}#${handler.exportName}`;
    const hint = profiled ? recommendationHint(profiled) : undefined;
    this.description = profiled ? (hint ?? 'profiled') : `${file} · not profiled`;
    this.tooltip = new vscode.MarkdownString().appendText(`${file}, export ${handler.exportName}\n${profiled ? `profile: ${profiled.key}` : 'no profile yet: profile it to get a packing degree'}`);
    this.contextValue = profiled ? ItemKind.handlerProfiled : ItemKind.handler;
    this.iconPath = new vscode.ThemeIcon(profiled ? 'symbol-function' : 'symbol-method');
    this.command = { command: 'vscode.open', title: 'Open Handler', arguments: [handler.uri, { selection: new vscode.Range(handler.line, 0, handler.line, 0) }] };
  }
}

export class DeployedFunctionItem extends vscode.TreeItem {
  constructor(readonly functionName: string, platform: string) {
    super(functionName, vscode.TreeItemCollapsibleState.None);
    this.id = `propack.deployed.${functionName}`;
    this.description = `deployed on ${platform}`;
    this.tooltip = `${functionName} is deployed on ${platform}`;
    this.contextValue = ItemKind.deployedFunction;
    this.iconPath = new vscode.ThemeIcon('cloud');
  }
}

export class InfoItem extends vscode.TreeItem {
  constructor(label: string, tooltip: string) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.tooltip = tooltip;
    this.contextValue = ItemKind.info;
    this.iconPath = new vscode.ThemeIcon('info');
  }
}

export class RunItem extends vscode.TreeItem {
  constructor(readonly entry: RunEntry, record: RunRecord | undefined) {
    super(record ? `${record.functionName} · ${record.label}` : (entry.key.split('/').pop() ?? entry.key), vscode.TreeItemCollapsibleState.None);
    this.id = `propack.run.${entry.key}`;
    if (record) {
      this.description = runDescription(record);
      this.tooltip = new vscode.MarkdownString().appendText(`${entry.key}\n${record.platform}, ${record.createdAt}` + (record.predicted ? `\npredicted ${record.predicted.serviceTime.toFixed(2)} s, $${record.predicted.cost.toPrecision(3)}` : ''));
    }
    this.resourceUri = entry.uri;
    this.contextValue = ItemKind.run;
    this.iconPath = new vscode.ThemeIcon('run-all');
    this.command = { command: 'vscode.open', title: 'Open', arguments: [entry.uri] };
  }
}

export type ProPackTreeItem = GroupItem | BenchmarkItem | HandlerItem | DeployedFunctionItem | InfoItem | ProfileItem | ProfileErrorItem | RunItem;

/** Lists the functions deployed on the selected platform (none when it is not connected). */
export type DeployedLister = () => Promise<{ platform: string; names: string[] } | undefined>;

/** A plain copy of the tree for tests and logs: group label → row labels (with descriptions). */
export type TreeSnapshot = Record<string, { label: string; description?: string; contextValue?: string }[]>;

/** Tree data for the `propack.explorer` view; `refresh()` re-reads the workspace. */
export class ProPackTreeProvider implements vscode.TreeDataProvider<ProPackTreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ProPackTreeItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private profiles: Promise<ProfileEntry[]> | undefined;
  private runs: Promise<RunEntry[]> | undefined;

  constructor(private readonly handlers?: WorkspaceHandlers, private readonly deployed?: DeployedLister) {}

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
      return [new GroupItem('benchmarks', 'Benchmarks', 'package'), new GroupItem('functions', 'Functions', 'symbol-function'), new GroupItem('profiles', 'Profiles', 'graph'), new GroupItem('runs', 'Runs', 'history')];
    }
    if (!(element instanceof GroupItem)) return [];
    switch (element.group) {
      case 'benchmarks':
        return BENCHMARKS.map((b) => new BenchmarkItem(b));
      case 'profiles':
        return (await this.profileEntries()).map((e) => (e.ok ? new ProfileItem(e) : new ProfileErrorItem(e)));
      case 'functions':
        return this.functionItems();
      case 'runs':
        return Promise.all(
          // A run deleted between listing and reading is shown by name rather than failing the whole group.
          (await this.runEntries()).map(async (e) => new RunItem(e, await vscode.workspace.fs.readFile(e.uri).then((b) => parseRunRecord(new TextDecoder().decode(b)), () => undefined))),
        );
    }
  }

  private async functionItems(): Promise<ProPackTreeItem[]> {
    const profiles = await this.profileEntries();
    const items: ProPackTreeItem[] = (await (this.handlers?.inWorkspace() ?? Promise.resolve([]))).map((h) => new HandlerItem(h, profileForFunction(profiles, h.functionName)));
    try {
      const deployed = await this.deployed?.();
      for (const name of deployed?.names ?? []) items.push(new DeployedFunctionItem(name, deployed?.platform ?? ''));
    } catch (e) {
      items.push(new InfoItem('deployed functions unavailable', e instanceof Error ? e.message : String(e)));
    }
    if (items.length === 0) items.push(new InfoItem('no handler found', 'ProPack looks for exported "handler" / "lambda_handler" functions in .js, .ts and .py files, and for the handlers template.yaml or serverless.yml name.'));
    return items;
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
