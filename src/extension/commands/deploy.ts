// ProPack: Deploy — bundles a workspace handler with the packed runtime and deploys it.
import * as vscode from 'vscode';
import type { WorkspaceHandlers } from '../handlers/workspace-handlers';
import { explainAwsError, type PlatformManager } from '../platform/platform-manager';
import { currentSettings } from '../settings-access';
import { deployHandler } from './deploy-handler';
import { pickHandler } from './pick-handler';
import { withSteps } from './progress';
import { requireTrust } from './trust';

/** Deploys; returns the Lambda name and what happened, or undefined when cancelled or failed. */
export async function deployCommand(arg: unknown, handlers: WorkspaceHandlers, platforms: PlatformManager, log: vscode.LogOutputChannel, onDeployed: () => void): Promise<{ name: string; action: string } | undefined> {
  if (!requireTrust('deploying')) return undefined;
  const handler = await pickHandler(arg, handlers, 'deploy');
  if (!handler) return undefined;
  const s = currentSettings();
  try {
    return await withSteps(`ProPack: deploying ${handler.functionName}`, log, async ({ step }) => {
      step('connecting');
      const conn = await platforms.connect();
      try {
        step(`bundling and uploading ${vscode.workspace.asRelativePath(handler.uri, false)}`);
        const { fn, result } = await deployHandler(conn.session, handler, currentSettings().awsExecutionRole);
        const message = `${result.action} ${fn.name} on ${conn.label} (${fn.memoryMb} MB, ${fn.architecture})`;
        log.info(message);
        void vscode.window.showInformationMessage(`ProPack: ${message}.`);
        onDeployed();
        return { name: fn.name, action: result.action };
      } finally {
        conn.session.close();
      }
    });
  } catch (e) {
    const reason = s.platform === 'aws' ? explainAwsError(e, s.awsProfile) : e instanceof Error ? e.message : String(e);
    log.error(`deploy of ${handler.functionName} failed: ${reason}`);
    void vscode.window.showErrorMessage(`ProPack: deploy of ${handler.functionName} failed: ${reason}`);
    return undefined;
  }
}
