// The part of the webview API the report page uses, typed with the report's own messages and state. The page
// only saves its state (the serializer restores the panel from it on the host side), so getState is not declared.
import type { PageMessage, ReportPageState } from '../src/extension/protocol';

/** `acquireVsCodeApi()`'s result, narrowed to the report's message and state types. */
export interface ReportVsCodeApi {
  postMessage(message: PageMessage): void;
  setState(state: ReportPageState): void;
}

declare function acquireVsCodeApi(): ReportVsCodeApi;

/** The page's one handle on the host (acquireVsCodeApi may be called only once). */
export const vscodeApi: ReportVsCodeApi = acquireVsCodeApi();
