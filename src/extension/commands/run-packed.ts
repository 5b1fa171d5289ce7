// ProPack: Run Packed — runs C invocations of a profiled function at the recommended p and without
// packing, saves both runs in .propack/runs, and reports measured against predicted.
import * as vscode from 'vscode';
import { GetFunctionCommand, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import type { FunctionConfig } from '../../core/types';
import type { RunRecord } from '../../core/run-record';
import { measureAndRecord } from '../../engine/workflow-measure';
import type { PlatformManager } from '../platform/platform-manager';
import { runSummary } from '../runs/run-summary';
import { currentSettings } from '../settings-access';
import type { ProPackSettings } from '../settings';
import { LOCAL_ROLE } from '../../engine/deploy';
import { ensureBucket, LOCAL_RUN_BUCKET } from '../../engine/s3-keys';
import { failingAs } from './command-failure';
import { decideRun, runPackedArgsOf, type RunPackedDeps } from './run-packed-plan';
import type { ProPackTreeProvider } from '../tree/propack-tree';
import { lambdaNameFor } from './deploy-handler';
import { ReportPanel } from '../report/report-panel';
import { concurrencyOrigin, questionFor, type QuestionSource } from '../report/report-question';
import { pickProfile } from './pick-profile';
import { withSteps } from './progress';
import { requireTrust } from './trust';

const editorDeps: RunPackedDeps<QuestionSource> = { ui: vscode.window, settings: currentSettings, question: questionFor };

/** A Uri or a tree item names the profile; any other object may carry run arguments. */
const isProfileRef = (arg: object): boolean => arg instanceof vscode.Uri || arg instanceof vscode.TreeItem;

/** Run Packed's dispatch from the settings; Step Functions on AWS needs a role and a bucket (a one-line error says which). */
function mapDispatchOf(
  s: ProPackSettings,
  platform: 'local' | 'aws',
): { dispatch?: 'stepfunctions'; resultBucket?: string; stateMachineRole?: string } {
  if (s.dispatch !== 'stepfunctions') return {};
  if (platform === 'local') return { dispatch: 'stepfunctions', resultBucket: LOCAL_RUN_BUCKET, stateMachineRole: LOCAL_ROLE };
  if (!s.stateMachineRole || !s.resultBucket)
    throw new Error(
      'propack.dispatch is "stepfunctions": set propack.stateMachineRole (the role the Map runs as) and propack.resultBucket (a bucket of yours for its tasks and results), or set propack.dispatch to "direct"',
    );
  return { dispatch: 'stepfunctions', resultBucket: s.resultBucket, stateMachineRole: s.stateMachineRole };
}

/** The two saved runs, or undefined when cancelled or refused; a failure throws a CommandFailed (register.ts shows it). */
export async function runPackedCommand(
  arg: unknown,
  tree: ProPackTreeProvider,
  platforms: PlatformManager,
  log: vscode.LogOutputChannel,
  deps: RunPackedDeps<QuestionSource> = editorDeps,
): Promise<{ packed: RunRecord; noPacking: RunRecord } | undefined> {
  if (!requireTrust('running functions')) return undefined;
  const given = runPackedArgsOf(arg, isProfileRef);
  const picked = await pickProfile(given.profile, tree);
  if (!picked) return undefined;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return undefined;
  const decided = await decideRun(picked.profile, given, deps);
  if (!decided) return undefined;
  const { concurrency, packingDegree: p, predicted } = decided;
  const where = concurrencyOrigin(concurrency, decided.from);
  const functionName = picked.profile.function.name;
  return failingAs(`run of ${functionName}`, () =>
    withSteps(`ProPack: running ${functionName} at ${where}`, log, async ({ step, signal }) => {
      const conn = await platforms.connect();
      try {
        const fn: FunctionConfig = { ...picked.profile.function, name: lambdaNameFor(functionName), region: conn.session.target.region };
        step(`checking ${fn.name} is deployed on ${conn.label}`, 0.02);
        try {
          await conn.session.lambda.send(new GetFunctionCommand({ FunctionName: fn.name }));
        } catch (e) {
          if (e instanceof ResourceNotFoundException)
            throw new Error(`${fn.name} is not deployed on ${conn.label}: run "ProPack: Deploy" (or Profile Function) first`, { cause: e });
          throw e;
        }
        const dispatch = mapDispatchOf(currentSettings(), conn.session.target.kind);
        if (dispatch.resultBucket && conn.session.target.kind === 'local') await ensureBucket(conn.session.s3, dispatch.resultBucket);
        const payloads = Array.from({ length: concurrency }, (_, i) => ({ propackRun: true, task: i }));
        const run = async (label: string, degree: number, from: number, to: number): Promise<RunRecord> => {
          step(`${label}: ${concurrency} tasks at p = ${degree}`, from);
          const { record } = await measureAndRecord({
            session: conn.session,
            fn,
            functionName,
            label,
            phases: [payloads],
            packingDegree: degree,
            workspace: folder.uri.fsPath,
            platformLabel: conn.label,
            concurrency,
            ...dispatch,
            predicted: label === 'propack' ? predicted : undefined,
            signal,
            onProgress: (_, pr) =>
              step(`${label}: ${pr.succeeded}/${concurrency} tasks done`, from + ((to - from) * pr.succeeded) / concurrency, true),
          });
          return record;
        };
        const noPacking = await run('no-packing', 1, 0.05, 0.5);
        const packed = await run('propack', p, 0.5, 0.98);
        const summary = `${functionName} at ${where} on ${conn.label}: ${runSummary(packed.measured, predicted, noPacking.measured)}`;
        log.info(summary);
        void deps.ui.showInformationMessage(`ProPack: ${summary}`);
        tree.refresh();
        // The open report draws the new runs now, not at its next reopening.
        await ReportPanel.open?.reload();
        return { packed, noPacking };
      } finally {
        conn.session.close();
      }
    }),
  );
}
