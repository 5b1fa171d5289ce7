// ProPack: Profile Function — deploys the handler to the selected platform, measures its scaling and
// packing behaviour, saves `.propack/profiles/<function>.json` with the recommendation, opens the report.
import * as vscode from 'vscode';
import { optimize } from '../../core/optimizer';
import type { Profile } from '../../core/types';
import { HandlerFileError } from '../../engine/bundle';
import { setMemorySize } from '../../engine/deploy';
import { runMemoryCampaign } from '../../engine/memory-campaign';
import { runProfileCampaign } from '../../engine/profiler';
import { profilePathFor, saveProfile } from '../../engine/profile-store';
import { settingsSummary } from '../handlers/function-settings';
import type { WorkspaceHandlers } from '../handlers/workspace-handlers';
import { explainAwsError, type PlatformManager } from '../platform/platform-manager';
import { currentSettings } from '../settings-access';
import { deployHandler } from './deploy-handler';
import { checkPackable, failureReason } from './handler-errors';
import { pickHandler } from './pick-handler';
import { withSteps } from './progress';
import { requireTrust } from './trust';

/**
 * A small campaign: enough for the fitted model (three widths, four degrees) in well under a minute on
 * the local platform. Larger fan-outs are the job of `propack profile` on the command line.
 */
export const EDITOR_CAMPAIGN = {
  scalingLevels: [2, 4, 8],
  degrees: [1, 2, 4, 8],
  loadedInstances: 0,
  repetitions: { min: 2, max: 3, targetCv: 0.1 },
} as const;

/** Largest packing degree Profile Function measures when asked for more (the report's edge suggestion). */
const MAX_PROFILED_DEGREE = 1000;

/** The packing degrees a caller asked for (`{ handler, degrees }`), or undefined for the editor campaign's. */
export function degreesFromArg(arg: unknown): number[] | undefined {
  if (typeof arg !== 'object' || arg === null || !('degrees' in arg)) return undefined;
  const d = (arg as { degrees: unknown }).degrees;
  if (!Array.isArray(d) || d.length === 0 || !d.every((x) => Number.isInteger(x) && x >= 1 && x <= MAX_PROFILED_DEGREE)) return undefined;
  return [...new Set(d as number[])].sort((a, b) => a - b);
}

const relativePath = (file: string): string => vscode.workspace.asRelativePath(file, false);

/** Profiles the handler; returns the saved profile's Uri, or undefined when cancelled or failed. */
export async function profileFunctionCommand(arg: unknown, handlers: WorkspaceHandlers, platforms: PlatformManager, log: vscode.LogOutputChannel): Promise<vscode.Uri | undefined> {
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
  try {
    return await withSteps(`ProPack: profiling ${handler.functionName}`, log, async ({ step, signal }) => {
      step(`connecting to ${settings.platform === 'aws' ? `AWS (${settings.awsProfile}@${settings.region})` : 'the local platform'}`, 0.02);
      const conn = await platforms.connect();
      try {
        step(`deploying ${handler.exportName} from ${vscode.workspace.asRelativePath(handler.uri, false)}`, 0.05);
        const { fn, result } = await deployHandler(conn.session, handler, currentSettings().awsExecutionRole);
        log.info(`${result.action} ${fn.name} on ${conn.label}; ${settingsSummary(fn).join('; ')}`);
        const makeTasks = (count: number, round: number) => Array.from({ length: count }, (_, i) => ({ id: `prof-${round}-${i}`, payload: { propackProfile: true, round, task: i } }));
        const otherSizes = settings.profileMemorySizes.filter((m) => m !== fn.memoryMb);
        // The memory campaign gets a share of the bar in proportion to its work (one packing profile per size).
        const share = otherSizes.length > 0 ? 0.9 * (1 / (1 + 0.5 * otherSizes.length)) : 0.9;
        const profile: Profile = await runProfileCampaign({
          session: conn.session,
          fn,
          makeTasks,
          ...EDITOR_CAMPAIGN,
          scalingLevels: [...EDITOR_CAMPAIGN.scalingLevels],
          degrees,
          source: { kind: conn.kind, tool: 'propack-vscode', detail: conn.label },
          signal,
          onStep: (name, fraction) => step(name, 0.05 + share * fraction),
        });
        if (otherSizes.length > 0) {
          let done = 0;
          profile.variants = await runMemoryCampaign({
            session: conn.session,
            fn,
            configure: (memoryMb) => setMemorySize(conn.session.lambda, fn.name, memoryMb),
            configurations: otherSizes.map((memoryMb) => ({ memoryMb, architecture: fn.architecture })),
            degrees,
            makeTasks,
            repetitions: EDITOR_CAMPAIGN.repetitions,
            signal,
            onStep: (name) => {
              if (name.startsWith('memory campaign')) done++;
              step(name.trim(), 0.05 + share + (0.9 - share) * ((done - 0.5) / otherSizes.length));
            },
          });
        }
        // Profiles are looked up by the workspace function's name; the Lambda name may differ.
        profile.function.name = handler.functionName;
        const choice = optimize(profile, { concurrency: settings.defaultConcurrency, objective: settings.objective, metric: settings.metric, weights: settings.weights, maxDegree: settings.maxPackingDegree });
        profile.recommendations = [{ concurrency: settings.defaultConcurrency, objective: settings.objective, metric: settings.metric, model: choice.model, packingDegree: choice.packingDegree, predicted: choice.predicted, baseline: choice.baseline, decidedAt: new Date().toISOString() }];
        step('saving the profile', 0.97);
        const path = profilePathFor(folder.uri.fsPath, handler.functionName);
        saveProfile(path, profile);
        const uri = vscode.Uri.file(path);
        log.info(`profile saved: ${path}; p = ${choice.packingDegree} at C = ${settings.defaultConcurrency}`);
        void vscode.window.showInformationMessage(`ProPack: profiled ${handler.functionName}: pack p = ${choice.packingDegree} at C = ${settings.defaultConcurrency}.`, 'Open Report').then((pick) => {
          if (pick) void vscode.commands.executeCommand('propack.openReport', uri);
        });
        return uri;
      } finally {
        conn.session.close();
      }
    });
  } catch (e) {
    const reason = settings.platform === 'aws' && !(e instanceof HandlerFileError) ? explainAwsError(e, settings.awsProfile) : failureReason(e, relativePath);
    log.error(`profiling ${handler.functionName} failed: ${reason}`);
    void vscode.window.showErrorMessage(`ProPack: profiling ${handler.functionName} failed: ${reason}`, 'Show Log').then((pick) => pick && log.show());
    return undefined;
  }
}
