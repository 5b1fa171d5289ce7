// The status bar item showing the selected platform; clicking it switches platform.
import * as vscode from 'vscode';
import { platformLabel, type PlatformManager } from './platform-manager';

/** Creates the item and keeps it current with the settings and the local platform's state. */
export function createPlatformStatus(platforms: PlatformManager): {
  item: vscode.StatusBarItem;
  update: () => void;
  disposables: vscode.Disposable[];
} {
  const item = vscode.window.createStatusBarItem('propack.platform', vscode.StatusBarAlignment.Left, 50);
  item.name = 'ProPack platform';
  item.command = 'propack.selectPlatform';
  const update = (): void => {
    const label = platformLabel();
    item.text = `$(${label === 'local' ? (platforms.localRunning ? 'vm-running' : 'vm') : 'cloud'}) ProPack: ${label}`;
    item.tooltip =
      label === 'local'
        ? `ProPack runs on the embedded local platform (${platforms.localRunning ? 'running' : 'started on first use'}). Click to switch.`
        : `ProPack runs on AWS with profile and region ${label.slice(4)}. Click to switch.`;
  };
  update();
  item.show();
  return { item, update, disposables: [item, platforms.onDidChange(update)] };
}
