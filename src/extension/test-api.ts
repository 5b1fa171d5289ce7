// What `activate` returns: a small read-only window for the integration tests (and nothing else).
import type * as vscode from 'vscode';
import type { MissingProfile, RenderedReport, ReportView } from './protocol';
import { localAwsProfiles } from './commands/select-platform';
import type { AwsProfileInfo } from './platform/aws-config';
import type { PlatformManager } from './platform/platform-manager';
import type { CursorFollower } from './report/follow-cursor';
import { ReportPanel } from './report/report-panel';
import type { ProPackTreeProvider, TreeSnapshot } from './tree/propack-tree';

/** What the report page shows: a profile's report, or the missing-profile notice. */
export type ReportState = { kind: 'profile'; view: ReportView } | { kind: 'missing'; missing: MissingProfile };

/** The extension's exports. */
export interface ProPackApi {
  /** The sidebar tree as the view shows it, after re-reading the workspace when `refresh` is set. */
  treeSnapshot(refresh?: boolean): Promise<TreeSnapshot>;
  /** The open report's view once its page has loaded and received it; undefined when no report is open. */
  reportView(): Promise<ReportView | undefined>;
  /** The open report's state after every cursor move so far has been applied; undefined when none is open. */
  reportState(): Promise<ReportState | undefined>;
  /** What the open report's page last said it drew; undefined when no report is open or it has not drawn yet. */
  reportRendered(): Promise<RenderedReport | undefined>;
  /** The platform status bar item's text. */
  statusText(): string;
  /** Whether the embedded local platform is running. */
  localRunning(): boolean;
  /** The AWS profiles Select Platform offers (names, regions, kinds only). */
  awsProfiles(): AwsProfileInfo[];
}

/** Builds the exports over the live parts of the extension. */
export function createApi(parts: {
  tree: ProPackTreeProvider;
  follower: CursorFollower;
  status: vscode.StatusBarItem;
  platforms: PlatformManager;
}): ProPackApi {
  return {
    async treeSnapshot(refresh = false) {
      if (refresh) parts.tree.refresh();
      return parts.tree.snapshot();
    },
    async reportView() {
      const panel = ReportPanel.open;
      if (!panel) return undefined;
      await panel.pageReady;
      return panel.currentView;
    },
    async reportState() {
      await parts.follower.settled();
      const panel = ReportPanel.open;
      if (!panel) return undefined;
      await panel.pageReady;
      return panel.currentState;
    },
    async reportRendered() {
      const panel = ReportPanel.open;
      if (!panel) return undefined;
      await panel.pageReady;
      return panel.lastRendered;
    },
    statusText: () => parts.status.text,
    localRunning: () => parts.platforms.localRunning,
    awsProfiles: () => localAwsProfiles(),
  };
}
