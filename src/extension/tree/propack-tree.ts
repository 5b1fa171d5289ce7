// The ProPack sidebar: Benchmarks, Functions (workspace handlers and deployed functions), Profiles
// (valid and broken), Runs. Shown as soon as a folder has anything ProPack can work with (a handler, a
// profile or a run): a group with nothing in it says what would fill it. Only a window with no folder, or a
// folder with none of these, gets the view's welcome content instead.
import * as vscode from 'vscode';
import { BENCHMARKS } from '../../../benchmarks/catalog';
import type { BenchmarkInfo } from '../../../benchmarks/types';
import type { RunRecord } from '../../core/run-record';
import { unpackable } from '../../engine/bundle';
import type { HandlerRef, WorkspaceHandlers } from '../handlers/workspace-handlers';
import { parseRunRecord } from '../runs/run-files';
import { currentSettings } from '../settings-access';
import type { SettingsReader } from '../ui';
import {
  benchmarkFunctionName,
  benchmarkRow,
  deployedRow,
  handlerRow,
  infoRow,
  ItemKind,
  noHandlerRow,
  noProfileRow,
  noRunRow,
  profileErrorRow,
  profileRow,
  runRow,
  type HintSettings,
  type Row,
} from './tree-rows';
import { listProfiles, listRuns, profileForFunction, type ProfileEntry, type RunEntry } from '../workspace-files';

type GroupId = 'benchmarks' | 'functions' | 'profiles' | 'runs';

/** Copies a row's data onto a TreeItem (the one place rows meet the editor's types). */
function applyRow(item: vscode.TreeItem, row: Row<vscode.Uri>): void {
  if (row.id !== undefined) item.id = row.id;
  if (row.description !== undefined) item.description = row.description;
  if (row.tooltip) item.tooltip = row.tooltip.markdown ? new vscode.MarkdownString().appendText(row.tooltip.text) : row.tooltip.text;
  if (row.accessibilityLabel !== undefined) item.accessibilityInformation = { label: row.accessibilityLabel };
  if (row.resourceUri) item.resourceUri = row.resourceUri;
  item.contextValue = row.contextValue;
  item.iconPath = new vscode.ThemeIcon(row.icon.id, row.icon.color ? new vscode.ThemeColor(row.icon.color) : undefined);
  if (row.command) item.command = row.command;
}

/** A TreeItem drawn from a row. */
class RowItem extends vscode.TreeItem {
  constructor(row: Row<vscode.Uri>, state = vscode.TreeItemCollapsibleState.None) {
    super(row.label, state);
    applyRow(this, row);
  }
}

export class GroupItem extends vscode.TreeItem {
  constructor(
    readonly group: GroupId,
    label: string,
    icon: string,
  ) {
    super(label, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `propack.group.${group}`;
    this.contextValue = ItemKind.group;
    this.iconPath = new vscode.ThemeIcon(icon);
  }
}

export class BenchmarkItem extends RowItem {
  constructor(
    readonly benchmark: BenchmarkInfo,
    tried: Extract<ProfileEntry, { ok: true }> | undefined,
    settings: HintSettings,
  ) {
    super(benchmarkRow(benchmark, tried, settings));
  }
}

export class ProfileItem extends RowItem {
  constructor(
    readonly entry: Extract<ProfileEntry, { ok: true }>,
    settings: HintSettings,
  ) {
    super(profileRow(entry, settings));
  }
}

export class ProfileErrorItem extends RowItem {
  constructor(readonly entry: Extract<ProfileEntry, { ok: false }>) {
    super(profileErrorRow(entry));
  }
}

export class HandlerItem extends RowItem {
  constructor(
    readonly handler: HandlerRef,
    profiled: Extract<ProfileEntry, { ok: true }> | undefined,
    settings: HintSettings,
  ) {
    super(handlerRow(handler, vscode.workspace.asRelativePath(handler.uri, false), profiled, unpackable(handler.uri.fsPath), settings));
    this.command = {
      command: 'vscode.open',
      title: 'Open Handler',
      arguments: [handler.uri, { selection: new vscode.Range(handler.line, 0, handler.line, 0) }],
    };
  }
}

export class DeployedFunctionItem extends RowItem {
  constructor(
    readonly functionName: string,
    platform: string,
  ) {
    super(deployedRow(functionName, platform));
  }
}

/** A row that explains (and, with a command, offers) what would fill an empty group. */
export class InfoItem extends RowItem {}

export class RunItem extends RowItem {
  constructor(
    readonly entry: RunEntry,
    record: RunRecord | undefined,
  ) {
    super(runRow(entry, record));
  }
}

export type ProPackTreeItem =
  GroupItem | BenchmarkItem | HandlerItem | DeployedFunctionItem | InfoItem | ProfileItem | ProfileErrorItem | RunItem;

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

  constructor(
    private readonly handlers?: WorkspaceHandlers,
    private readonly deployed?: DeployedLister,
    private readonly settings: SettingsReader = currentSettings,
  ) {}

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
      return [
        new GroupItem('benchmarks', 'Benchmarks', 'package'),
        new GroupItem('functions', 'Functions', 'symbol-function'),
        new GroupItem('profiles', 'Profiles', 'graph'),
        new GroupItem('runs', 'Runs', 'history'),
      ];
    }
    if (!(element instanceof GroupItem)) return [];
    switch (element.group) {
      case 'benchmarks': {
        const profiles = await this.profileEntries();
        const settings = this.settings();
        return BENCHMARKS.map((b) => new BenchmarkItem(b, profileForFunction(profiles, benchmarkFunctionName(b.name)), settings));
      }
      case 'profiles': {
        const profiles = await this.profileEntries();
        const settings = this.settings();
        if (profiles.length > 0) return profiles.map((e) => (e.ok ? new ProfileItem(e, settings) : new ProfileErrorItem(e)));
        return [new InfoItem(noProfileRow())];
      }
      case 'functions':
        return this.functionItems();
      case 'runs': {
        const runs = await this.runEntries();
        if (runs.length === 0) return [await this.noRunItem()];
        return Promise.all(
          // A run deleted between listing and reading is shown by name rather than failing the whole group.
          runs.map(
            async (e) =>
              new RunItem(
                e,
                await vscode.workspace.fs.readFile(e.uri).then(
                  (b) => parseRunRecord(new TextDecoder().decode(b)),
                  () => undefined,
                ),
              ),
          ),
        );
      }
    }
  }

  /** The Runs group's row when nothing has run: Run Packed needs a profile, so it offers profiling first when there is none. */
  private async noRunItem(): Promise<InfoItem> {
    return new InfoItem(noRunRow((await this.profileEntries()).some((e) => e.ok)));
  }

  private async functionItems(): Promise<ProPackTreeItem[]> {
    const profiles = await this.profileEntries();
    const settings = this.settings();
    const items: ProPackTreeItem[] = (await this.handlerEntries()).map(
      (h) => new HandlerItem(h, profileForFunction(profiles, h.functionName), settings),
    );
    for (const p of (await this.handlers?.problems()) ?? []) items.push(new InfoItem(infoRow(`${p.file} not read`, p.reason)));
    try {
      const deployed = await this.deployed?.();
      for (const name of deployed?.names ?? []) items.push(new DeployedFunctionItem(name, deployed?.platform ?? ''));
    } catch (e) {
      items.push(new InfoItem(infoRow('deployed functions unavailable', e instanceof Error ? e.message : String(e))));
    }
    if (items.length === 0) items.push(new InfoItem(noHandlerRow()));
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
