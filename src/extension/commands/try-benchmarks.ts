// ProPack: Try the Built-in Benchmarks — the `propack demo` pipeline (engine/demo.ts) for one or all of the
// built-in workloads on the embedded local platform: deploy, generate input, profile, choose p, run
// unpacked / PyWren-style / packed / a small grid, check the outputs, write the HTML report, open the report.
import * as path from 'path';
import * as vscode from 'vscode';
import { BENCHMARKS } from '../../../benchmarks/catalog';
import type { BenchmarkName } from '../../../benchmarks/types';
import { demoSizes, WORKLOADS } from '../../../benchmarks/workloads';
import { comparisonText, fractionalChange } from '../../core/compare-text';
import { MB_PER_VCPU } from '../../core/pricing';
import { buildBundle, type BenchmarkFunction } from '../../engine/bundle';
import { demoPlan, runDemo } from '../../engine/demo';
import { profilePathFor } from '../../engine/profile-store';
import type { MeasuredBenchmarkReport, ReportData } from '../../report/report-data';
import { writeReport } from '../../engine/report-write';
import { openSession } from '../../engine/session';
import { PRESETS } from '../../local';
import { LOCAL_PRESET, type PlatformManager } from '../platform/platform-manager';
import { ReportPanel } from '../report/report-panel';
import { currentSettings } from '../settings-access';
import { withSteps } from './progress';
import { requireTrust } from './trust';
import { localTarget } from '../../platform';

/** Concurrency of a try: `propack demo`'s default, a few seconds per run on the local platform. */
export const TRY_CONCURRENCY = 32;
/** Memory of the benchmark functions: one full vCPU. */
const TRY_MEMORY_MB = MB_PER_VCPU;
/** Where the HTML report goes, under the folder the profiles and runs go to. */
export const TRY_REPORT_DIR = path.join('.propack', 'benchmark-report');

/** Arguments that skip the question: which benchmarks, at what concurrency. */
export interface TryBenchmarksArgs {
  benchmarks?: string[];
  concurrency?: number;
}

/** What a finished try wrote. */
export interface TryBenchmarksResult {
  /** The saved profiles, one per benchmark. */
  profiles: vscode.Uri[];
  /** The HTML report. */
  report: vscode.Uri;
  benchmarks: {
    name: string;
    packingDegree: number;
    serviceTime: number;
    cost: number;
    noPacking: { serviceTime: number; cost: number };
    regret: number;
  }[];
}

const isBenchmarkName = (s: unknown): s is BenchmarkName => typeof s === 'string' && s in WORKLOADS;

/** The benchmarks a call names: a tree row's benchmark, `{ benchmarks }`, or the user's pick. */
async function chooseBenchmarks(arg: unknown): Promise<BenchmarkName[] | undefined> {
  const row =
    typeof arg === 'object' && arg !== null && 'benchmark' in arg ? (arg as { benchmark: { name?: unknown } }).benchmark.name : undefined;
  if (isBenchmarkName(row)) return [row];
  const given = typeof arg === 'object' && arg !== null && 'benchmarks' in arg ? (arg as TryBenchmarksArgs).benchmarks : undefined;
  if (given) {
    const unknown = given.filter((n) => !isBenchmarkName(n));
    if (unknown.length > 0 || given.length === 0) {
      void vscode.window.showErrorMessage(
        `ProPack: unknown benchmark ${unknown.map((n) => `"${n}"`).join(', ') || '(none given)'}; the built-in ones are ${BENCHMARKS.map((b) => b.name).join(', ')}.`,
      );
      return undefined;
    }
    return given as BenchmarkName[];
  }
  const all = { label: 'All three', description: 'about 3 minutes on two cores', names: BENCHMARKS.map((b) => b.name) };
  const picked = await vscode.window.showQuickPick(
    [
      ...BENCHMARKS.map((b) => ({
        label: b.name,
        description: `${b.bound}-bound · about a minute`,
        detail: `${b.title}: ${b.taskDescription}`,
        names: [b.name],
      })),
      all,
    ],
    {
      title: `ProPack: try a built-in benchmark on the local platform (C=${TRY_CONCURRENCY}, no account needed)`,
      placeHolder: 'Benchmark',
      matchOnDetail: true,
    },
  );
  return picked?.names;
}

/** "stateless-cost at C=32: p=16 in 4.10 s, $0.000209 — 56% faster, 97% cheaper than no packing (9.28 s, $0.00619)". */
export function tryOutcome(b: MeasuredBenchmarkReport): string {
  const { propack: p, noPacking: n } = b.measured;
  const vs = comparisonText(
    [
      { quantity: 'time', change: fractionalChange(p.serviceTime, n.serviceTime) },
      { quantity: 'cost', change: fractionalChange(p.cost, n.cost) },
    ],
    'no packing',
  );
  return `${b.benchmark} at C=${b.concurrency}: p=${p.packingDegree} in ${p.serviceTime.toFixed(2)} s, $${p.cost.toPrecision(3)} — ${vs} (${n.serviceTime.toFixed(2)} s, $${n.cost.toPrecision(3)})`;
}

/**
 * Runs the demo pipeline for the chosen benchmarks under a cancellable progress notification; saves the
 * profiles and runs in the workspace's `.propack/` (or the extension's storage when no folder is open),
 * writes the HTML report and opens the first benchmark's report. Undefined when cancelled or failed.
 */
export async function tryBenchmarksCommand(
  arg: unknown,
  platforms: PlatformManager,
  storage: vscode.Uri,
  extensionUri: vscode.Uri,
  log: vscode.LogOutputChannel,
): Promise<TryBenchmarksResult | undefined> {
  if (!requireTrust('the built-in benchmarks (they run on the local platform kept in this workspace)')) return undefined;
  const names = await chooseBenchmarks(arg);
  if (!names) return undefined;
  const given = typeof arg === 'object' && arg !== null && 'concurrency' in arg ? (arg as TryBenchmarksArgs).concurrency : undefined;
  const concurrency = Number.isInteger(given) && (given as number) >= 1 ? (given as number) : TRY_CONCURRENCY;
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? storage.fsPath;
  const { objective, metric } = currentSettings();
  let cancelled = false;
  try {
    const done = await withSteps(`ProPack: trying ${names.join(', ')} on the local platform`, log, async ({ step, signal }) => {
      signal.addEventListener('abort', () => (cancelled = true));
      step('starting the local platform', 0);
      const local = await platforms.startLocal();
      const session = openSession(localTarget(local));
      try {
        let last = 'deploying';
        const benchmarks = await runDemo({
          session,
          workloads: names.map((n) => WORKLOADS[n]),
          bundle: (name) => buildBundle({ kind: 'benchmark', name: name as BenchmarkFunction }),
          concurrency,
          objective,
          metric,
          memoryMb: TRY_MEMORY_MB,
          architecture: 'x86_64',
          ...demoPlan(concurrency),
          sizes: demoSizes(concurrency),
          workspace,
          platformLabel: `local (${LOCAL_PRESET})`,
          source: { kind: 'local', tool: 'propack-vscode', detail: `local platform, preset ${LOCAL_PRESET}` },
          concurrencyLimit: PRESETS[LOCAL_PRESET].accountConcurrency,
          signal,
          log: (line) => {
            last = line.trim();
            step(last);
          },
          onProgress: (f) => step(last, 0.02 + 0.95 * f, true),
        });
        step('writing the report', 0.98);
        const data: ReportData = {
          title: `ProPack: ${names.join(', ')} on the local platform`,
          generatedAt: new Date().toISOString(),
          platform: `local (${LOCAL_PRESET})`,
          benchmarks,
        };
        return { benchmarks, written: writeReport(path.join(workspace, TRY_REPORT_DIR), data) };
      } finally {
        session.close();
      }
    });
    const profiles = done.benchmarks.map((b) => vscode.Uri.file(profilePathFor(workspace, b.profile.function.name)));
    const outcome = done.benchmarks.map(tryOutcome);
    for (const line of outcome) log.info(`tried ${line}`);
    const first = done.benchmarks[0];
    ReportPanel.show(
      extensionUri,
      { key: vscode.workspace.asRelativePath(profiles[0], false), profile: first.profile },
      { concurrency, objective, metric },
      log,
    );
    const report = vscode.Uri.file(done.written.html);
    const where = vscode.workspace.asRelativePath(path.dirname(path.dirname(profiles[0].fsPath)), false);
    void vscode.window
      .showInformationMessage(
        `ProPack: ${outcome.join('; ')}. Profiles and runs are in ${where}/, the HTML report in ${vscode.workspace.asRelativePath(report, false)}.`,
        'Open HTML Report',
      )
      .then((pick) => {
        if (pick) void vscode.env.openExternal(report);
      });
    return {
      profiles,
      report,
      benchmarks: done.benchmarks.map((b) => ({
        name: b.benchmark,
        packingDegree: b.measured.propack.packingDegree,
        serviceTime: b.measured.propack.serviceTime,
        cost: b.measured.propack.cost,
        noPacking: { serviceTime: b.measured.noPacking.serviceTime, cost: b.measured.noPacking.cost },
        regret: b.measured.regret,
      })),
    };
  } catch (e) {
    if (cancelled) {
      void vscode.window.showInformationMessage(
        'ProPack: benchmarks cancelled; the profiles and runs that finished are kept in .propack/.',
      );
      return undefined;
    }
    const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    log.error(`trying ${names.join(', ')} failed: ${reason}`);
    void vscode.window
      .showErrorMessage(`ProPack: trying ${names.join(', ')} failed: ${reason}`, 'Show Log')
      .then((pick) => pick && log.show());
    return undefined;
  }
}
