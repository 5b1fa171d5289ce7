// The one question (C, objective, metric, weights, bounds) the commands answer for a function: the open
// report's when it shows that function, the settings' otherwise. Run Packed and Export ask here, so what they
// do is what the report shows.
import { currentSettings } from '../settings-access';
import type { ReportInput } from '../protocol';
import { ReportPanel } from './report-panel';

/** Where a question came from, in words a notification can end with. */
export type QuestionSource = 'the open report' | 'settings';

/** The question for `functionName` and where it came from; `maxDegree` only applies to a settings question. */
export function questionFor(functionName: string): { input: ReportInput; maxDegree?: number; from: QuestionSource } {
  const state = ReportPanel.open?.currentState;
  if (state?.kind === 'profile' && state.view.functionName === functionName) return { input: state.view.input, from: 'the open report' };
  const s = currentSettings();
  return {
    input: { concurrency: s.defaultConcurrency, objective: s.objective, metric: s.metric, weights: s.weights },
    maxDegree: s.maxPackingDegree,
    from: 'settings',
  };
}

/** "C = 5000 (from the open report)" / "C = 1000 (from propack.defaultConcurrency)". */
export function concurrencyOrigin(concurrency: number, from: QuestionSource | 'the command'): string {
  const origin = from === 'settings' ? 'propack.defaultConcurrency' : from;
  return `C = ${concurrency} (from ${origin})`;
}
