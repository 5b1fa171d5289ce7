// ProPack: Run Packed — runs C invocations of a profiled function at the recommended p and without
// packing, saves both runs in .propack/runs, and reports measured against predicted.
import * as vscode from 'vscode';
import { GetFunctionCommand, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { optimize } from '../../core/optimizer';
import type { FunctionConfig } from '../../core/types';
import { runJob } from '../../engine/job';
import type { RunRecord } from '../../core/run-record';
import { newRunId, saveRun } from '../../engine/run-store';
import { explainAwsError, type PlatformManager } from '../platform/platform-manager';
import { concurrencyError } from '../protocol';
import { needsCostConfirmation, runSummary } from '../runs/run-summary';
import { currentSettings } from '../settings-access';
import type { ProPackTreeProvider } from '../tree/propack-tree';
import { lambdaNameFor } from './deploy-handler';
import { ReportPanel } from '../report/report-panel';
import { concurrencyOrigin, questionFor, type QuestionSource } from '../report/report-question';
import { pickProfile } from './pick-profile';
import { withSteps } from './progress';
import { requireTrust } from './trust';

/** Arguments a caller may pass to skip the questions. */
interface RunPackedArgs {
  profile?: unknown;
  concurrency?: number;
  packingDegree?: number;
}

function asArgs(arg: unknown): RunPackedArgs {
  if (typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) && !(arg instanceof vscode.TreeItem) && ('profile' in arg || 'concurrency' in arg)) return arg as RunPackedArgs;
  return { profile: arg };
}

/** The two saved runs, or undefined when cancelled, refused or failed. */
export async function runPackedCommand(arg: unknown, tree: ProPackTreeProvider, platforms: PlatformManager, log: vscode.LogOutputChannel): Promise<{ packed: RunRecord; noPacking: RunRecord } | undefined> {
  if (!requireTrust('running functions')) return undefined;
  const given = asArgs(arg);
  const picked = await pickProfile(given.profile, tree);
  if (!picked) return undefined;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return undefined;
  const s = currentSettings();
  // The open report's question when it shows this function, so the run is the one the report recommends.
  const question = questionFor(picked.profile.function.name);
  let concurrency = given.concurrency ?? question.input.concurrency;
  let from: QuestionSource | 'the command' = given.concurrency !== undefined ? 'the command' : question.from;
  if (concurrencyError(String(concurrency))) {
    const typed = await vscode.window.showInputBox({ title: 'ProPack: concurrency', value: String(question.input.concurrency), validateInput: concurrencyError });
    if (typed === undefined) return undefined;
    concurrency = Number(typed.trim());
    from = 'the command';
  }
  const where = concurrencyOrigin(concurrency, from);
  const choice = optimize(picked.profile, { ...question.input, concurrency, ...(question.maxDegree !== undefined ? { maxDegree: question.maxDegree } : {}) });
  const p = given.packingDegree ?? choice.packingDegree;
  const predicted = choice.candidates.find((c) => c.packingDegree === p) ?? choice.predicted;
  const estimate = predicted.cost + choice.baseline.cost;
  if (needsCostConfirmation(s.platform, estimate, s.confirmAboveUSD)) {
    const go = await vscode.window.showWarningMessage(
      `ProPack: running ${picked.profile.function.name} at C = ${concurrency} packed (p = ${p}) and unpacked on AWS (${s.awsProfile}@${s.region}) costs about $${estimate.toFixed(2)}, above your limit of $${s.confirmAboveUSD.toFixed(2)} (propack.confirmAboveUSD).`,
      { modal: true },
      'Run on AWS',
    );
    if (go !== 'Run on AWS') return undefined;
  }
  const functionName = picked.profile.function.name;
  try {
    return await withSteps(`ProPack: running ${functionName} at ${where}`, log, async ({ step, signal }) => {
      const conn = await platforms.connect();
      try {
        const fn: FunctionConfig = { ...picked.profile.function, name: lambdaNameFor(functionName), region: conn.session.target.region };
        step(`checking ${fn.name} is deployed on ${conn.label}`, 0.02);
        try {
          await conn.session.lambda.send(new GetFunctionCommand({ FunctionName: fn.name }));
        } catch (e) {
          if (e instanceof ResourceNotFoundException) throw new Error(`${fn.name} is not deployed on ${conn.label}: run "ProPack: Deploy" (or Profile Function) first`, { cause: e });
          throw e;
        }
        const payloads = Array.from({ length: concurrency }, (_, i) => ({ propackRun: true, task: i }));
        const run = async (label: string, degree: number, from: number, to: number): Promise<RunRecord> => {
          const id = newRunId(`${functionName}-${label}`);
          step(`${label}: ${concurrency} tasks at p = ${degree}`, from);
          const r = await runJob({ session: conn.session, fn, phases: [payloads], packingDegree: degree, runId: id, signal, onProgress: (_, pr) => step(`${label}: ${pr.succeeded}/${concurrency} tasks done`, from + ((to - from) * pr.succeeded) / concurrency, true) });
          if (r.cancelled) throw new Error('cancelled');
          const record: RunRecord = { id, functionName, createdAt: new Date().toISOString(), platform: conn.label, concurrency, dispatch: 'sync', label, measured: r.measured, ...(label === 'propack' ? { predicted: { serviceTime: predicted.serviceTime, cost: predicted.cost } } : {}) };
          saveRun(folder.uri.fsPath, record);
          return record;
        };
        const noPacking = await run('no-packing', 1, 0.05, 0.5);
        const packed = await run('propack', p, 0.5, 0.98);
        const summary = `${functionName} at ${where} on ${conn.label}: ${runSummary(packed.measured, predicted, noPacking.measured)}`;
        log.info(summary);
        void vscode.window.showInformationMessage(`ProPack: ${summary}`);
        tree.refresh();
        // The open report draws the new runs now, not at its next reopening.
        await ReportPanel.open?.reload();
        return { packed, noPacking };
      } finally {
        conn.session.close();
      }
    });
  } catch (e) {
    const reason = s.platform === 'aws' ? explainAwsError(e, s.awsProfile) : e instanceof Error ? e.message : String(e);
    log.error(`run of ${functionName} failed: ${reason}`);
    void vscode.window.showErrorMessage(`ProPack: run of ${functionName} failed: ${reason}`);
    return undefined;
  }
}
