// What Run Packed runs: its arguments, the concurrency, the packing degree, the estimate and whether to
// ask before spending money. Pure (no `vscode`), so unit-tested without the editor.
import { optimize } from '../../core/optimizer';
import type { Prediction, Profile } from '../../core/types';
import { concurrencyError, type ReportInput } from '../protocol';
import { needsCostConfirmation } from '../runs/run-summary';
import type { ProPackSettings } from '../settings';
import type { SettingsReader, Ui } from '../ui';

/** Arguments a caller may pass to skip the questions. */
export interface RunPackedArgs {
  profile?: unknown;
  concurrency?: number;
  packingDegree?: number;
}

/** The question Run Packed answers (the open report's or the settings'), as report-question.ts gives it. */
export interface RunQuestion<From extends string = string> {
  input: ReportInput;
  maxDegree?: number;
  from: From;
}

/**
 * The command's argument as run arguments: an object naming `profile` or `concurrency` is one; anything
 * else (a Uri, a tree item, a path, `isProfileRef` says which objects) names the profile.
 */
export function runPackedArgsOf(arg: unknown, isProfileRef: (arg: object) => boolean): RunPackedArgs {
  if (typeof arg === 'object' && arg !== null && !isProfileRef(arg) && ('profile' in arg || 'concurrency' in arg))
    return arg as RunPackedArgs;
  return { profile: arg };
}

/** The concurrency to run and where it came from; `ask` when it is out of range and must be typed. */
export function concurrencyToRun<From extends string>(
  given: RunPackedArgs,
  q: RunQuestion<From>,
): { concurrency: number; from: From | 'the command'; ask: boolean } {
  const concurrency = given.concurrency ?? q.input.concurrency;
  const from = given.concurrency !== undefined ? 'the command' : q.from;
  return { concurrency, from, ask: concurrencyError(String(concurrency)) !== undefined };
}

/** The runs to make and what they cost before they are made (USD). */
export interface RunChoice {
  packingDegree: number;
  /** The model's prediction for the packed run at `packingDegree`. */
  predicted: Prediction;
  /** Both runs, packed and unpacked, as the model predicts them (USD). */
  estimateUsd: number;
  /** The modal question to ask first (AWS above propack.confirmAboveUSD), or undefined to go ahead. */
  confirmation?: string;
}

/** Chooses p for the question at `concurrency` (or the caller's p) and prices the two runs. */
export function runChoice(
  profile: Profile,
  q: RunQuestion,
  concurrency: number,
  given: RunPackedArgs,
  s: Pick<ProPackSettings, 'platform' | 'awsProfile' | 'region' | 'confirmAboveUSD'>,
): RunChoice {
  const choice = optimize(profile, { ...q.input, concurrency, ...(q.maxDegree !== undefined ? { maxDegree: q.maxDegree } : {}) });
  const packingDegree = given.packingDegree ?? choice.packingDegree;
  const predicted = choice.candidates.find((c) => c.packingDegree === packingDegree) ?? choice.predicted;
  const estimateUsd = predicted.cost + choice.baseline.cost;
  const confirmation = needsCostConfirmation(s.platform, estimateUsd, s.confirmAboveUSD)
    ? `ProPack: running ${profile.function.name} at C = ${concurrency} packed (p = ${packingDegree}) and unpacked on AWS (${s.awsProfile}@${s.region}) costs about $${estimateUsd.toFixed(2)}, above your limit of $${s.confirmAboveUSD.toFixed(2)} (propack.confirmAboveUSD).`
    : undefined;
  return { packingDegree, predicted, estimateUsd, ...(confirmation ? { confirmation } : {}) };
}

/** What Run Packed reads besides its argument: the settings, the question and the notifications. */
export interface RunPackedDeps<From extends string = string> {
  ui: Ui;
  settings: SettingsReader;
  /** The open report's question for the function, or the settings' (report-question.ts). */
  question: (functionName: string) => RunQuestion<From>;
}

/**
 * The concurrency, packing degree and go-ahead for a run of `profile`: from the arguments, the question,
 * an input box when the concurrency is out of range, and a modal question before spending money on AWS.
 * Undefined when the user cancels either question.
 */
export async function decideRun<From extends string>(
  profile: Profile,
  given: RunPackedArgs,
  deps: RunPackedDeps<From>,
): Promise<(RunChoice & { concurrency: number; from: From | 'the command' }) | undefined> {
  const s = deps.settings();
  // The open report's question when it shows this function, so the run is the one the report recommends.
  const question = deps.question(profile.function.name);
  const asked = concurrencyToRun(given, question);
  let { concurrency, from } = asked;
  if (asked.ask) {
    const typed = await deps.ui.showInputBox({
      title: 'ProPack: concurrency',
      value: String(question.input.concurrency),
      validateInput: concurrencyError,
    });
    if (typed === undefined) return undefined;
    concurrency = Number(typed.trim());
    from = 'the command';
  }
  const choice = runChoice(profile, question, concurrency, given, s);
  if (choice.confirmation) {
    const go = await deps.ui.showWarningMessage(choice.confirmation, { modal: true }, 'Run on AWS');
    if (go !== 'Run on AWS') return undefined;
  }
  return { ...choice, concurrency, from };
}
