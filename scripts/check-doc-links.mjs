// Checks every relative link in README.md and docs/*.md: the file exists and, for `#anchor` links, the
// target has a heading with that GitHub slug. Why: the docs are split across files and a moved section
// must not leave links pointing nowhere. Part of `npm run lint`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const files = [
  'README.md',
  ...readdirSync(join(REPO, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** GitHub's heading slug: lower case, punctuation except - and _ dropped, spaces to -. */
const slug = (heading) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

const anchorsOf = new Map();
function anchors(file) {
  if (!anchorsOf.has(file)) {
    const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
    const seen = new Map();
    const set = new Set();
    for (const m of text.matchAll(/^#{1,6} (.+)$/gm)) {
      const base = slug(m[1]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      set.add(n === 0 ? base : `${base}-${n}`);
    }
    anchorsOf.set(file, set);
  }
  return anchorsOf.get(file);
}

const problems = [];
for (const f of files) {
  const abs = join(REPO, f);
  const text = readFileSync(abs, 'utf8')
    .replace(/```[\s\S]*?```/g, '')
    .replace(/`[^`\n]*`/g, '');
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const link = m[1];
    if (/^[a-z][\w+.-]*:/i.test(link)) continue;
    const [path, anchor] = link.split('#');
    const target = path ? resolve(dirname(abs), path) : abs;
    if (!existsSync(target)) {
      problems.push(`${f}: link ${link}: no file ${relative(REPO, target)}`);
      continue;
    }
    if (anchor && target.endsWith('.md') && !anchors(target).has(anchor))
      problems.push(`${f}: link ${link}: ${relative(REPO, target)} has no heading #${anchor}`);
  }
}
if (problems.length) {
  for (const p of problems) console.error(p);
  console.error(`check-doc-links: ${problems.length} broken link(s)`);
  process.exit(1);
}
console.log(`check-doc-links: ${files.length} files, every relative link resolves`);
