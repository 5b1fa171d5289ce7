// Run records (.propack/runs/<id>.json) as the tree and Compare Runs read them: a file that is not a run
// record (the check the reports use, engine/report-inputs.ts) is skipped. Pure (no `vscode`).
import type { RunRecord } from '../../core/run-record';
import { formatChange } from '../../report/format';
import { parseRunFile } from '../../engine/report-inputs';

/** The record in `text`, or undefined when it is not one the extension can show. */
export function parseRunRecord(text: string): RunRecord | undefined {
  try {
    return parseRunFile('', text);
  } catch {
    return undefined;
  }
}

/** Tree description of a run: "p=4 · C=16 · 1.23 s · $0.00012". */
export function runDescription(r: RunRecord): string {
  return `p=${r.measured.packingDegree} · C=${r.concurrency} · ${r.measured.serviceTime.toFixed(2)} s · $${r.measured.cost.toPrecision(2)}`;
}

/** Markdown comparing two runs, the second against the first. */
export function compareRunsMarkdown(a: RunRecord, b: RunRecord): string {
  const rows: [string, (r: RunRecord) => number, (x: number) => string][] = [
    ['packing degree p', (r) => r.measured.packingDegree, String],
    ['concurrency C', (r) => r.concurrency, String],
    ['service time (s)', (r) => r.measured.serviceTime, (x) => x.toFixed(3)],
    ['scaling time (s)', (r) => r.measured.scalingTime, (x) => x.toFixed(3)],
    ['p50 completion (s)', (r) => r.measured.p50, (x) => x.toFixed(3)],
    ['p90 completion (s)', (r) => r.measured.p90, (x) => x.toFixed(3)],
    ['p95 completion (s)', (r) => r.measured.p95, (x) => x.toFixed(3)],
    ['cost (USD)', (r) => r.measured.cost, (x) => x.toPrecision(3)],
    ['tasks failed', (r) => r.measured.tasks.failed, String],
    ['throttles', (r) => r.measured.throttles, String],
  ];
  const lines = [
    `# ProPack: ${a.label} vs ${b.label}`,
    '',
    `A: \`${a.id}\` (${a.functionName}, ${a.platform}, ${a.createdAt})  `,
    `B: \`${b.id}\` (${b.functionName}, ${b.platform}, ${b.createdAt})`,
    '',
    '| | A | B | B vs A |',
    '|---|---:|---:|---:|',
    ...rows.map(([name, get, fmt]) => `| ${name} | ${fmt(get(a))} | ${fmt(get(b))} | ${formatChange(get(a), get(b))} |`),
  ];
  return `${lines.join('\n')}\n`;
}
