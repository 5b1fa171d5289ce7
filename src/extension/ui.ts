// The narrow slices of the editor the commands and the tree use, as interfaces: the extension passes
// `vscode.window` and `currentSettings`; unit tests pass plain objects. No `vscode` import here.
import type { ProPackSettings } from './settings';

/** Reads the current validated `propack.*` settings. */
export type SettingsReader = () => ProPackSettings;

/** The notifications and questions a command shows (a subset of `vscode.window`). */
export interface Ui {
  showInformationMessage(message: string, ...items: string[]): PromiseLike<string | undefined>;
  showWarningMessage(message: string, options: { modal?: boolean }, ...items: string[]): PromiseLike<string | undefined>;
  showErrorMessage(message: string, ...items: string[]): PromiseLike<string | undefined>;
  showInputBox(options: {
    title?: string;
    value?: string;
    validateInput?: (value: string) => string | undefined;
  }): PromiseLike<string | undefined>;
}
