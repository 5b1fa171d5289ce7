// The part of the webview API the report page uses, typed with the report's own messages and state.
import type { PageMessage, ReportPageState } from '../src/extension/protocol';

/** `acquireVsCodeApi()`'s result, narrowed to the report's message and state types. */
export interface ReportVsCodeApi {
  postMessage(message: PageMessage): void;
  getState(): ReportPageState | undefined;
  setState(state: ReportPageState): void;
}

declare function acquireVsCodeApi(): ReportVsCodeApi;

/** The page's one handle on the host (acquireVsCodeApi may be called only once). */
export const vscodeApi: ReportVsCodeApi = acquireVsCodeApi();
