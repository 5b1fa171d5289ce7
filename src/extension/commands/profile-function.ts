// ProPack: Profile Function — deploys the handler to the selected platform, measures its scaling and
// packing behaviour, saves `.propack/profiles/<function>.json` with the recommendation, opens the report.
import * as vscode from 'vscode';
import { profilePathFor } from '../../engine/profile-store';
import { profileRecommendSave } from '../../engine/workflow-profile';
import { settingsSummary } from '../handlers/function-settings';
import type { WorkspaceHandlers } from '../handlers/workspace-handlers';
import type { PlatformManager } from '../platform/platform-manager';
import { currentSettings } from '../settings-access';
import { failingAs } from './command-failure';
import { deployHandler } from './deploy-handler';
import { checkPackable } from './handler-errors';
import { pickHandler } from './pick-handler';
import { withSteps } from './progress';
import { connectingStep, degreesFromArg, EDITOR_CAMPAIGN, profileQuestionOf, profilingTasks, progressPlan } from './profile-function-plan';
import { requireTrust } from './trust';

const relativePath = (file: string): string => vscode.workspace.asRelativePath(file, false);

/** Profiles the handler; returns the saved profile's Uri, undefined when cancelled; a failure throws a CommandFailed (register.ts shows it). */
export async function profileFunctionCommand(
  arg: unknown,
  handlers: WorkspaceHandlers,
  platforms: PlatformManager,
  log: vscode.LogOutputChannel,
): Promise<vscode.Uri | undefined> {
  if (!requireTrust('profiling')) return undefined;
  const handler = await pickHandler(arg, handlers, 'profile');
  if (!handler) return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(handler.uri) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showErrorMessage('ProPack: open a folder first; profiles are saved in its .propack/profiles/.');
    return undefined;
  }
  // A file the packed runtime cannot load fails here, before a platform is started or a credential asked for.
  const unpackable = checkPackable('profile', handler.functionName, handler.uri.fsPath, relativePath);
  if (unpackable) {
    log.error(unpackable);
    void vscode.window.showErrorMessage(`ProPack: ${unpackable}`);
    return undefined;
  }
  const settings = currentSettings();
  const degrees = degreesFromArg(arg) ?? [...EDITOR_CAMPAIGN.degrees];
  return failingAs(`profiling ${handler.functionName}`, () =>
    withSteps(`ProPack: profiling ${handler.functionName}`, log, async ({ step, signal }) => {
      step(connectingStep(settings), 0.02);
      const conn = await platforms.connect();
      try {
        step(`deploying ${handler.exportName} from ${relativePath(handler.uri.fsPath)}`, 0.05);
        const { fn, result } = await deployHandler(conn.session, handler, settings.awsExecutionRole);
        log.info(`${result.action} ${fn.name} on ${conn.label}; ${settingsSummary(fn).join('; ')}`);
        const otherSizes = settings.profileMemorySizes.filter((m) => m !== fn.memoryMb);
        const bar = progressPlan(otherSizes.length);
        let sizesStarted = 0;
        const { choice, path } = await profileRecommendSave({
          session: conn.session,
          fn,
          makeTasks: profilingTasks,
          ...EDITOR_CAMPAIGN,
          scalingLevels: [...EDITOR_CAMPAIGN.scalingLevels],
          degrees,
          source: { kind: conn.kind, tool: 'propack-vscode', detail: conn.label },
          signal,
          onStep: (name, fraction) => step(name, bar.campaign(fraction)),
          memorySizesMb: otherSizes,
          onMemoryStep: (name) => {
            if (name.startsWith('memory campaign')) sizesStarted++;
            step(name.trim(), bar.memory(sizesStarted));
          },
          profileName: handler.functionName,
          question: profileQuestionOf(settings),
          path: profilePathFor(folder.uri.fsPath, handler.functionName),
        });
        step('saving the profile', 0.97);
        const uri = vscode.Uri.file(path);
        log.info(`profile saved: ${path}; p = ${choice.packingDegree} at C = ${settings.defaultConcurrency}`);
        void vscode.window
          .showInformationMessage(
            `ProPack: profiled ${handler.functionName}: pack p = ${choice.packingDegree} at C = ${settings.defaultConcurrency}.`,
            'Open Report',
          )
          .then((pick) => {
            if (pick) void vscode.commands.executeCommand('propack.openReport', uri);
          });
        return uri;
      } finally {
        conn.session.close();
      }
    }),
  );
}
