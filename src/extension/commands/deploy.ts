// ProPack: Deploy — bundles a workspace handler with the packed runtime and deploys it.
import * as vscode from 'vscode';
import { HandlerFileError } from '../../engine/bundle';
import type { WorkspaceHandlers } from '../handlers/workspace-handlers';
import { explainAwsError, type PlatformManager } from '../platform/platform-manager';
import { currentSettings } from '../settings-access';
import { deployHandler } from './deploy-handler';
import { checkPackable, failureReason } from './handler-errors';
import { pickHandler } from './pick-handler';
import { withSteps } from './progress';
import { requireTrust } from './trust';

const relativePath = (file: string): string => vscode.workspace.asRelativePath(file, false);

/** Deploys; returns the Lambda name and what happened, or undefined when cancelled or failed. */
export async function deployCommand(arg: unknown, handlers: WorkspaceHandlers, platforms: PlatformManager, log: vscode.LogOutputChannel, onDeployed: () => void): Promise<{ name: string; action: string } | undefined> {
  if (!requireTrust('deploying')) return undefined;
  const handler = await pickHandler(arg, handlers, 'deploy');
  if (!handler) return undefined;
  const unpackable = checkPackable('deploy', handler.functionName, handler.uri.fsPath, relativePath);
  if (unpackable) {
    log.error(unpackable);
    void vscode.window.showErrorMessage(`ProPack: ${unpackable}`);
    return undefined;
  }
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
    const reason = s.platform === 'aws' && !(e instanceof HandlerFileError) ? explainAwsError(e, s.awsProfile) : failureReason(e, relativePath);
    log.error(`deploy of ${handler.functionName} failed: ${reason}`);
    void vscode.window.showErrorMessage(`ProPack: deploy of ${handler.functionName} failed: ${reason}`);
    return undefined;
  }
}
