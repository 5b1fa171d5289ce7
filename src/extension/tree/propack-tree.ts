// The ProPack sidebar: Benchmarks, Functions (workspace handlers and deployed functions), Profiles
// (valid and broken), Runs. Shown as soon as a folder has anything ProPack can work with (a handler, a
// profile or a run): a group with nothing in it says what would fill it. Only a window with no folder, or a
// folder with none of these, gets the view's welcome content instead.
import * as vscode from 'vscode';
import { BENCHMARKS } from '../../../benchmarks/catalog';
import type { BenchmarkInfo } from '../../../benchmarks/types';
import { optimize } from '../../core/optimizer';
import { describeSource } from '../../core/profile';
import type { RunRecord } from '../../engine/run-store';
import { unpackable } from '../../engine/bundle';
import { declaredSettingsSummary, settingsSummary } from '../handlers/function-settings';
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

/** The name the built-in benchmark's function (and profile) has once tried (see engine/demo.ts). */
export const benchmarkFunctionName = (benchmark: string): string => `propack-${benchmark}`;

export class BenchmarkItem extends vscode.TreeItem {
  constructor(readonly benchmark: BenchmarkInfo, tried: Extract<ProfileEntry, { ok: true }> | undefined) {
    super(benchmark.name, vscode.TreeItemCollapsibleState.None);
    this.id = `propack.benchmark.${benchmark.name}`;
    const hint = tried ? recommendationHint(tried) : undefined;
    this.description = tried ? `${benchmark.bound}-bound · ${hint ?? 'profiled'}` : `${benchmark.bound}-bound · try it`;
    this.tooltip = new vscode.MarkdownString().appendText(
      `${benchmark.title}\n${benchmark.taskDescription}\n` +
        (tried
          ? `Profile: ${tried.key} (click to open its report). Try it again with the ▷ action.`
          : 'Try it (▷): deploys it on the embedded local platform, profiles it, runs it unpacked, PyWren-style and packed, and opens the report. No account needed; about a minute.'),
    );
    this.contextValue = ItemKind.benchmark;
    this.iconPath = new vscode.ThemeIcon('beaker');
    if (tried) this.command = { command: 'propack.openReport', title: 'Open Report', arguments: [tried.uri] };
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
        (hint ? `\nrecommended: ${hint} against no packing` : '') +
        settingsSummary(entry.profile.function).map((l) => `\n${l}`).join(''),
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
    // Say before the click that Profile would refuse the file (Python, TypeScript) and why.
    const refused = unpackable(handler.uri.fsPath);
    this.description = profiled ? (hint ?? 'profiled') : `${file} · ${refused ? refused.short : 'not profiled'}`;
    this.tooltip = new vscode.MarkdownString().appendText(
      `${file}, export ${handler.exportName}\n` + (profiled ? `profile: ${profiled.key}` : refused ? `cannot be profiled as it is: ${refused.reason}` : 'no profile yet: profile it (the beaker action) to get a packing degree') +
        // Where each setting comes from (the template's path, or ProPack's default), before anyone profiles it.
        (handler.declared ? declaredSettingsSummary(handler.declared).map((l) => `\n${l}`).join('') : ''),
    );
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

/** A row that explains (and, with `command`, offers) what would fill an empty group. */
export class InfoItem extends vscode.TreeItem {
  constructor(label: string, tooltip: string, options: { description?: string; command?: vscode.Command } = {}) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.tooltip = tooltip;
    if (options.description) this.description = options.description;
    if (options.command) this.command = options.command;
    // Read what the row shows (the tooltip, a paragraph, would otherwise be the row's accessible name).
    this.accessibilityInformation = { label: options.description ? `${label}: ${options.description}` : label };
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
export type TreeSnapshot = Record<string, { label: string; description?: string; contextValue?: string; command?: string }[]>;

/** Tree data for the `propack.explorer` view; `refresh()` re-reads the workspace. */
export class ProPackTreeProvider implements vscode.TreeDataProvider<ProPackTreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ProPackTreeItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private profiles: Promise<ProfileEntry[]> | undefined;
  private runs: Promise<RunEntry[]> | undefined;
  private handlerRefs: Promise<HandlerRef[]> | undefined;

  constructor(private readonly handlers?: WorkspaceHandlers, private readonly deployed?: DeployedLister) {}

  /** Drops cached listings and tells the view to ask again. */
  refresh(): void {
    this.profiles = undefined;
    this.runs = undefined;
    this.handlerRefs = undefined;
    this.changed.fire(undefined);
  }

  /** Re-reads only the workspace's handlers (a source file changed), keeping the other listings. */
  refreshHandlers(): void {
    this.handlerRefs = undefined;
    this.changed.fire(undefined);
  }

  private handlerEntries(): Promise<HandlerRef[]> {
    return (this.handlerRefs ??= this.handlers?.inWorkspace() ?? Promise.resolve([]));
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
      // No folder, or a folder with no handler, profile or run: an empty tree lets the view's welcome
      // content offer the ways in (profile a function, try the benchmarks, import an artifact).
      if (!vscode.workspace.workspaceFolders?.length) return [];
      const [profiles, runs, handlers] = await Promise.all([this.profileEntries(), this.runEntries(), this.handlerEntries()]);
      if (profiles.length === 0 && runs.length === 0 && handlers.length === 0) return [];
      return [new GroupItem('benchmarks', 'Benchmarks', 'package'), new GroupItem('functions', 'Functions', 'symbol-function'), new GroupItem('profiles', 'Profiles', 'graph'), new GroupItem('runs', 'Runs', 'history')];
    }
    if (!(element instanceof GroupItem)) return [];
    switch (element.group) {
      case 'benchmarks': {
        const profiles = await this.profileEntries();
        return BENCHMARKS.map((b) => new BenchmarkItem(b, profileForFunction(profiles, benchmarkFunctionName(b.name))));
      }
      case 'profiles': {
        const profiles = await this.profileEntries();
        if (profiles.length > 0) return profiles.map((e) => (e.ok ? new ProfileItem(e) : new ProfileErrorItem(e)));
        return [
          new InfoItem('no profile yet', 'A profile holds a function\'s measured scaling and packing behaviour; ProPack picks the packing degree from it. Profile a function (the beaker on its row under Functions) or try a benchmark. Profiles are saved in .propack/profiles/*.json, plain JSON meant to be committed.', {
            description: 'profile a function',
            command: { command: 'propack.profileFunction', title: 'Profile Function' },
          }),
        ];
      }
      case 'functions':
        return this.functionItems();
      case 'runs': {
        const runs = await this.runEntries();
        if (runs.length === 0) return [await this.noRunItem()];
        return Promise.all(
          // A run deleted between listing and reading is shown by name rather than failing the whole group.
          runs.map(async (e) => new RunItem(e, await vscode.workspace.fs.readFile(e.uri).then((b) => parseRunRecord(new TextDecoder().decode(b)), () => undefined))),
        );
      }
    }
  }

  /** The Runs group's row when nothing has run: Run Packed needs a profile, so it offers profiling first when there is none. */
  private async noRunItem(): Promise<InfoItem> {
    const profiled = (await this.profileEntries()).some((e) => e.ok);
    const tooltip = 'Run Packed executes C invocations at the recommended packing degree and, for comparison, without packing; each run is saved in .propack/runs/ with its measured service time and cost.';
    return profiled
      ? new InfoItem('no run yet', tooltip, { description: 'Run Packed on a profile', command: { command: 'propack.runPacked', title: 'Run Packed' } })
      : new InfoItem('no run yet', tooltip, { description: 'profile a function first', command: { command: 'propack.profileFunction', title: 'Profile Function' } });
  }

  private async functionItems(): Promise<ProPackTreeItem[]> {
    const profiles = await this.profileEntries();
    const items: ProPackTreeItem[] = (await this.handlerEntries()).map((h) => new HandlerItem(h, profileForFunction(profiles, h.functionName)));
    for (const p of (await this.handlers?.problems()) ?? []) items.push(new InfoItem(`${p.file} not read`, p.reason));
    try {
      const deployed = await this.deployed?.();
      for (const name of deployed?.names ?? []) items.push(new DeployedFunctionItem(name, deployed?.platform ?? ''));
    } catch (e) {
      items.push(new InfoItem('deployed functions unavailable', e instanceof Error ? e.message : String(e)));
    }
    if (items.length === 0) {
      items.push(
        new InfoItem('no handler found', 'ProPack looks for exported "handler" / "lambda_handler" functions in .js, .ts and .py files, and for the handlers template.yaml or serverless.yml name.', {
          description: 'write one, or try a benchmark',
          command: { command: 'propack.tryBenchmarks', title: 'Try the Built-in Benchmarks' },
        }),
      );
    }
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
        ...(item.command ? { command: item.command.command } : {}),
      }));
    }
    return out;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
