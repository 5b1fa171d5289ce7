// Derives the local platform's `aws-2021` provisioning preset from ProPack's measured AWS instance starts
// (data/propack-aws-2021/scaling_performance/<app>/response-concurrency<C>.txt, one [t_start, t_end] per instance).
// Usage: node scripts/derive-aws-2021-preset.mjs [/work/shared/data/propack-aws-2021]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2] ?? '/work/shared/data/propack-aws-2021';
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const spacings = [],
  durations = [],
  rows = [];
for (const app of readdirSync(join(root, 'scaling_performance'))) {
  for (const f of readdirSync(join(root, 'scaling_performance', app))) {
    const m = f.match(/^response-concurrency(\d+)\.txt$/);
    if (!m) continue;
    const pairs = readFileSync(join(root, 'scaling_performance', app, f), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const starts = pairs.map((p) => p[0]).sort((a, b) => a - b);
    const spacing = (starts[starts.length - 1] - starts[0]) / (starts.length - 1);
    spacings.push(spacing);
    durations.push(median(pairs.map((p) => p[1] - p[0])));
    rows.push({ app, c: Number(m[1]), n: starts.length, spacingMs: +(spacing * 1000).toFixed(2) });
  }
}
rows.sort((a, b) => a.app.localeCompare(b.app) || a.c - b.c);
for (const r of rows) console.log(`${r.app}\tC=${r.c}\tn=${r.n}\tspacing=${r.spacingMs} ms`);
const s = median(spacings);
console.log(
  JSON.stringify({
    files: rows.length,
    medianStartSpacingMs: +(s * 1000).toFixed(2),
    launchesPerSecond: +(1 / s).toFixed(2),
    minSpacingMs: +(Math.min(...spacings) * 1000).toFixed(2),
    maxSpacingMs: +(Math.max(...spacings) * 1000).toFixed(2),
  }),
);
