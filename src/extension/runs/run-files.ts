// Run records (.propack/runs/<id>.json) as the extension reads them, checked loosely: a file that is not
// a run record is skipped. Pure (no `vscode`).
import type { RunRecord } from '../../engine/run-store';

/** The record in `text`, or undefined when it is not one the extension can show. */
export function parseRunRecord(text: string): RunRecord | undefined {
  try {
    const v = JSON.parse(text) as Partial<RunRecord>;
    const m = v.measured;
    if (typeof v.id !== 'string' || typeof v.functionName !== 'string' || typeof v.concurrency !== 'number' || !m) return undefined;
    if (typeof m.serviceTime !== 'number' || typeof m.cost !== 'number' || typeof m.packingDegree !== 'number' || !Array.isArray(m.completionTimes)) return undefined;
    return v as RunRecord;
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
  const change = (x: number, y: number): string => (x === 0 ? '—' : `${y >= x ? '+' : '−'}${Math.abs(Math.round((y / x - 1) * 100))}%`);
  const lines = [
    `# ProPack: ${a.label} vs ${b.label}`,
    '',
    `A: \`${a.id}\` (${a.functionName}, ${a.platform}, ${a.createdAt})  `,
    `B: \`${b.id}\` (${b.functionName}, ${b.platform}, ${b.createdAt})`,
    '',
    '| | A | B | B vs A |',
    '|---|---:|---:|---:|',
    ...rows.map(([name, get, fmt]) => `| ${name} | ${fmt(get(a))} | ${fmt(get(b))} | ${change(get(a), get(b))} |`),
  ];
  return `${lines.join('\n')}\n`;
}
