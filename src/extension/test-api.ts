// What `activate` returns: a small read-only window for the integration tests (and nothing else).
import type { ReportView } from './protocol';
import { ReportPanel } from './report/report-panel';
import type { ProPackTreeProvider, TreeSnapshot } from './tree/propack-tree';

/** The extension's exports. */
export interface ProPackApi {
  /** The sidebar tree as the view shows it, after re-reading the workspace when `refresh` is set. */
  treeSnapshot(refresh?: boolean): Promise<TreeSnapshot>;
  /** The open report's view once its page has loaded and received it; undefined when no report is open. */
  reportView(): Promise<ReportView | undefined>;
}

/** Builds the exports over the live tree and report panel. */
export function createApi(tree: ProPackTreeProvider): ProPackApi {
  return {
    async treeSnapshot(refresh = false) {
      if (refresh) tree.refresh();
      return tree.snapshot();
    },
    async reportView() {
      const panel = ReportPanel.open;
      if (!panel) return undefined;
      await panel.pageReady;
      return panel.currentView;
    },
  };
}
