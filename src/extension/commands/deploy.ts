// ProPack: Deploy — bundles a workspace handler with the packed runtime and deploys it.
import * as vscode from 'vscode';
import type { WorkspaceHandlers } from '../handlers/workspace-handlers';
import type { PlatformManager } from '../platform/platform-manager';
import { currentSettings } from '../settings-access';
import { deployHandler } from './deploy-handler';
import { failingAs } from './command-failure';
import { checkPackable } from './handler-errors';
import { pickHandler } from './pick-handler';
import { withSteps } from './progress';
import { requireTrust } from './trust';

const relativePath = (file: string): string => vscode.workspace.asRelativePath(file, false);

/** Deploys; returns the Lambda name and what happened, undefined when cancelled; a failure throws a CommandFailed (register.ts shows it). */
export async function deployCommand(
  arg: unknown,
  handlers: WorkspaceHandlers,
  platforms: PlatformManager,
  log: vscode.LogOutputChannel,
  onDeployed: () => void,
): Promise<{ name: string; action: string } | undefined> {
  if (!requireTrust('deploying')) return undefined;
  const handler = await pickHandler(arg, handlers, 'deploy');
  if (!handler) return undefined;
  const unpackable = checkPackable('deploy', handler.functionName, handler.uri.fsPath, relativePath);
  if (unpackable) {
    log.error(unpackable);
    void vscode.window.showErrorMessage(`ProPack: ${unpackable}`);
    return undefined;
  }
  return failingAs(`deploy of ${handler.functionName}`, () =>
    withSteps(`ProPack: deploying ${handler.functionName}`, log, async ({ step }) => {
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
    }),
  );
}
