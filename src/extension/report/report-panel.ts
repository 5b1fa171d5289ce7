// The report webview panel: one instance, revealed when open, restored after a restart by the serializer.
import * as vscode from 'vscode';
import type { Profile } from '../../core/types';
import {
  asPageMessage,
  asReportInput,
  type HostMessage,
  type MissingProfile,
  type RenderedReport,
  type ReportInput,
  type ReportPageState,
  type ReportView,
} from '../protocol';
import { profileUriForKey, readProfileEntry } from '../workspace-files';
import { reportHtml, reportResourceRoots } from './report-html';
import { buildReportView } from './report-view';
import type { RunCurve } from '../protocol';

export const REPORT_VIEW_TYPE = 'propack.report';

/** The question a report answers when the user has not asked one: ProPack's headline case. */
export const DEFAULT_REPORT_INPUT: ReportInput = { concurrency: 1000, objective: 'both', metric: 'net' };

/** A profile loaded for the report, with the key the page's state refers to. */
export interface LoadedProfile {
  key: string;
  profile: Profile;
}

/** The open report panel and the conversation with its page. */
export class ReportPanel implements vscode.Disposable {
  private static current: ReportPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private view: ReportView;
  /** The shown function's saved runs (for the CDF chart); loaded after each profile change. */
  private runs: RunCurve[] = [];
  /** Reads the saved runs of a function; set by the extension (the panel does not read files itself). */
  static loadRuns: ((functionName: string) => Promise<RunCurve[]>) | undefined;
  /** Set while the page says the function under the cursor has no profile; `onProfileRequest` gets it. */
  private missing: MissingProfile | undefined;
  /** Called when the page's "Profile" button is pressed in the missing state. */
  static onProfileRequest: ((missing: MissingProfile) => void) | undefined;
  /** Called when the page's "Profile more degrees" button is pressed: the function and the degrees to measure. */
  static onProfileMoreRequest: ((functionName: string, degrees: number[]) => void) | undefined;
  /** What the page last said it drew. */
  private rendered: RenderedReport | undefined;
  private markReady: () => void = () => undefined;
  private reloading: Promise<void> = Promise.resolve();
  /** Settles when the page has loaded its script and asked for its state. */
  readonly pageReady = new Promise<void>((resolve) => (this.markReady = resolve));

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private loaded: LoadedProfile,
    input: ReportInput,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.view = buildReportView(loaded.profile, loaded.key, input);
    void this.refreshRuns();
    panel.webview.options = { enableScripts: true, localResourceRoots: reportResourceRoots(extensionUri) };
    panel.webview.html = reportHtml(panel.webview, extensionUri);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
    );
  }

  /** The open panel, if any. */
  static get open(): ReportPanel | undefined {
    return ReportPanel.current;
  }

  /** Shows `loaded` answering `input` in the one report panel, creating it when needed. */
  static show(extensionUri: vscode.Uri, loaded: LoadedProfile, input: ReportInput, log: vscode.LogOutputChannel): ReportPanel {
    const existing = ReportPanel.current;
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn);
      existing.update(loaded, input);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, ReportPanel.title(loaded), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: reportResourceRoots(extensionUri),
    });
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'propack.svg');
    return (ReportPanel.current = new ReportPanel(panel, extensionUri, loaded, input, log));
  }

  /** Takes over a panel VS Code restored, using the state its page saved; closes it if the profile is gone. */
  static async revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, state: unknown, log: vscode.LogOutputChannel): Promise<void> {
    const saved = state as Partial<ReportPageState> | undefined;
    const input = asReportInput(saved?.input) ?? DEFAULT_REPORT_INPUT;
    const uri = typeof saved?.profileKey === 'string' ? profileUriForKey(saved.profileKey) : undefined;
    const entry = uri ? await readProfileEntry(uri) : undefined;
    if (!entry?.ok) {
      log.warn(`report not restored: ${entry ? entry.reason : 'no saved profile'}`);
      panel.dispose();
      return;
    }
    ReportPanel.current?.dispose();
    ReportPanel.current = new ReportPanel(panel, extensionUri, { key: entry.key, profile: entry.profile }, input, log);
    log.info(`report restored: ${entry.key} at C = ${input.concurrency} (${input.objective}, ${input.metric})`);
  }

  private static title(loaded: LoadedProfile): string {
    return `ProPack: ${loaded.profile.function.name}`;
  }

  /** The view the page was last given (what tests assert on). */
  get currentView(): ReportView {
    return this.view;
  }

  /** What the page last reported drawing (charts, heatmaps, what-if rows); undefined before its first render. */
  get lastRendered(): RenderedReport | undefined {
    return this.rendered;
  }

  /** What the page shows now: a profile's report, or the missing-profile notice. */
  get currentState(): { kind: 'profile'; view: ReportView } | { kind: 'missing'; missing: MissingProfile } {
    return this.missing ? { kind: 'missing', missing: this.missing } : { kind: 'profile', view: this.view };
  }

  /** Shows `loaded` without revealing the panel (following the cursor must not take focus). */
  follow(loaded: LoadedProfile): void {
    this.update(loaded, this.view.input);
  }

  /** Says the function under the cursor has no profile, with a button to profile it. */
  showMissing(missing: MissingProfile): void {
    this.missing = missing;
    this.panel.title = `ProPack: ${missing.functionName}`;
    this.post({ kind: 'missing', missing });
  }

  private update(loaded: LoadedProfile, input: ReportInput): void {
    this.missing = undefined;
    this.loaded = loaded;
    this.panel.title = ReportPanel.title(loaded);
    this.runs = [];
    this.view = buildReportView(loaded.profile, loaded.key, input);
    this.post({ kind: 'state', view: this.view });
    void this.refreshRuns();
  }

  /**
   * Re-reads the shown profile and its runs (a run ended, the profile was re-measured) and redraws, keeping
   * the user's question; resolves once the page has been sent the new view. A profile gone or broken keeps
   * the last good view.
   */
  reload(): Promise<void> {
    // One at a time: an earlier reload (a file watcher's) finishing late must not draw older runs over newer ones.
    return (this.reloading = this.reloading.then(() => this.reloadNow()));
  }

  private async reloadNow(): Promise<void> {
    const before = this.loaded;
    const uri = profileUriForKey(before.key);
    if (this.missing || !uri) return;
    const [entry, runs] = await Promise.all([readProfileEntry(uri), ReportPanel.loadRuns?.(before.profile.function.name) ?? []]);
    // Another profile shown meanwhile (the cursor moved): its own update drew it.
    if (this.missing || this.loaded !== before) return;
    if (entry.ok) this.loaded = { key: entry.key, profile: entry.profile };
    this.runs = runs;
    this.view = buildReportView(this.loaded.profile, this.loaded.key, this.view.input, runs);
    this.post({ kind: 'state', view: this.view });
  }

  /** Loads the shown function's runs and redraws with them; a later profile change wins. */
  private async refreshRuns(): Promise<void> {
    const loaded = this.loaded;
    const runs = (await ReportPanel.loadRuns?.(loaded.profile.function.name)) ?? [];
    if (this.loaded !== loaded || (runs.length === 0 && this.runs.length === 0)) return;
    this.runs = runs;
    this.view = buildReportView(loaded.profile, loaded.key, this.view.input, runs);
    if (!this.missing) this.post({ kind: 'state', view: this.view });
  }

  private onMessage(raw: unknown): void {
    const message = asPageMessage(raw);
    if (!message) {
      this.log.warn(`report: ignored malformed message ${JSON.stringify(raw)}`);
      return;
    }
    if (message.kind === 'ready') {
      this.post({ kind: 'state', view: this.view });
      if (this.missing) this.post({ kind: 'missing', missing: this.missing });
      this.markReady();
      return;
    }
    if (message.kind === 'profileFunction') {
      if (this.missing) ReportPanel.onProfileRequest?.(this.missing);
      return;
    }
    if (message.kind === 'profileMore') {
      if (!this.missing && this.view.edge) ReportPanel.onProfileMoreRequest?.(this.view.functionName, this.view.edge.suggestedDegrees);
      return;
    }
    if (message.kind === 'rendered') {
      this.rendered = message.report;
      return;
    }
    try {
      this.view = buildReportView(this.loaded.profile, this.loaded.key, message.params, this.runs);
      this.post({ kind: 'response', id: message.id, ok: true, result: this.view });
    } catch (e) {
      this.post({ kind: 'response', id: message.id, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }

  private post(message: HostMessage): void {
    // A reload or run refresh still under way when the user closed the panel: VS Code throws on a disposed webview.
    if (this.disposed) return;
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    this.disposed = true;
    if (ReportPanel.current === this) ReportPanel.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
