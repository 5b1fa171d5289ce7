/** `propack report --profile F [--concurrency C] [--out DIR]`: the HTML report of a profile and its measured runs. */
import { join, resolve } from 'node:path';
import { measuredConcurrency, readRunFiles, reportInputs } from '../../engine/report-inputs';
import { RUNS_DIR } from '../../engine/run-store';
import { writeReport } from '../../engine/report-write';
import { choice, parseArgs, positiveInt, UsageError } from '../args';
import { MAX_CONCURRENCY, modelCall, readProfileFlag } from '../model-flags';

export const REPORT_HELP = `Usage: propack report --profile FILE [--concurrency C] [--objective time|cost|both] [--metric net|tail|median]
                      [--workspace DIR] [--out DIR]

Writes DIR/report.html (self-contained: charts of the profile, the chosen p, measured vs predicted,
completion-time CDFs, what-if up to C=100,000, memory x p) and DIR/summary.json (default ./propack-report)
from a profile and the latest runs of its function in WORKSPACE/.propack/runs (made by propack demo or
propack run); the runs' concurrency is the report's C.
Without measured runs the report is model-only: the model's predictions at C (default: the profile's
latest recommendation, else its largest profiled concurrency), labelled as predictions, with no CDFs.`;

/** Runs the command; returns the exit code. */
export function runReportCommand(argv: string[], out: (s: string) => void): number {
  const cmd = 'report';
  const args = parseArgs(cmd, argv, { values: ['profile', 'concurrency', 'objective', 'metric', 'workspace', 'out'] });
  const { profile } = readProfileFlag(args, cmd);
  // Validated before anything is read, so a bad value fails the same way with or without runs.
  const given = args.flags.has('concurrency') ? positiveInt(args, cmd, 'concurrency', MAX_CONCURRENCY) : undefined;
  const rec = profile.recommendations?.[profile.recommendations.length - 1];
  const objective = choice(args, cmd, 'objective', ['time', 'cost', 'both'] as const, rec?.objective ?? 'both');
  const metric = choice(args, cmd, 'metric', ['net', 'tail', 'median'] as const, rec?.metric ?? 'net');
  const workspace = resolve(args.flags.get('workspace') ?? '.');
  const runs = (() => {
    try {
      return readRunFiles(workspace);
    } catch (e) {
      throw new UsageError(`${cmd}: ${e instanceof Error ? e.message : String(e)}`);
    }
  })();
  const measuredAt = measuredConcurrency(runs, profile.function.name);
  // The runs' C is the report's: a different one asked for would show a model-only report beside runs it ignores.
  if (measuredAt !== undefined && given !== undefined && given !== measuredAt) {
    throw new UsageError(
      `${cmd}: --concurrency ${given} differs from the measured runs' C=${measuredAt}; omit it, or measure at C=${given} first`,
    );
  }
  const { data, measuredRun } = modelCall(cmd, () => reportInputs(profile, runs, { concurrency: given, objective, metric }));
  const { concurrency } = data.benchmarks[0];
  const name = profile.function.name;
  const outDir = resolve(args.flags.get('out') ?? 'propack-report');
  writeReport(outDir, data);
  out(
    measuredRun
      ? `wrote ${join(outDir, 'report.html')} and summary.json: measured runs at C=${concurrency} on ${measuredRun.platform}`
      : `wrote ${join(outDir, 'report.html')} and summary.json: model only (no measured runs of ${name} in ${join(workspace, RUNS_DIR)}), predictions at C=${concurrency}`,
  );
  return 0;
}
