/** Checks every rendered report page must pass, shared by the measured and model-only report tests. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scriptForInline } from '../../../src/report/html-escape';
import { REPO_ROOT } from '../../support/fixtures';

/** The report room's stylesheets as the build copies them (report page, then heatmap), for tests that render without dist/. */
export function reportStyles(): string {
  const css = (name: string): string => readFileSync(join(REPO_ROOT, 'src', 'report', name), 'utf8');
  return `${css('report-page.css')}\n${css('heatmap.css')}`;
}

/** The text of `<script type="application/json" id="<id>">…</script>`. */
export function embedded(page: string, id: string): string {
  const m = new RegExp(`<script type="application/json" id="${id}"[^>]*>([\\s\\S]*?)</script>`).exec(page);
  assert.ok(m, `no #${id} block`);
  return m[1];
}

/** The page references nothing outside itself (`chartJs` is the inlined chart.js, whose licence names a URL). */
export function assertSelfContained(page: string, chartJs: string): void {
  // chart.js's licence header names its home page; that is text, not a reference. Nothing else may.
  const withoutChartJs = page.replace(scriptForInline(chartJs, 'chart.js'), '');
  assert.doesNotMatch(withoutChartJs, /https?:\/\//);
  assert.doesNotMatch(page, /\ssrc\s*=/i);
  assert.doesNotMatch(withoutChartJs, /\burl\(|@import/i);
  assert.doesNotMatch(page, /sourceMappingURL/);
  for (const m of page.matchAll(/\shref="([^"]*)"/g)) assert.match(m[1], /^#/, `href ${m[1]}`);
}

/** A strict CSP whose nonce every script and style carries, and no inline styles or handlers it would block. */
export function assertStrictCsp(page: string, nonce: string): void {
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1] ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /img-src data:/);
  assert.ok(csp.includes(`style-src 'nonce-${nonce}'`) && csp.includes(`script-src 'nonce-${nonce}'`), csp);
  const tags = [...page.matchAll(/<(script|style)\b[^>]*>/g)].map((m) => m[0]);
  assert.equal(tags.filter((t) => t.startsWith('<script')).length, 4);
  for (const t of tags) assert.ok(t.includes(`nonce="${nonce}"`), t);
  assert.doesNotMatch(page, /\sstyle="|\son\w+="/, 'no inline style or event attributes (the CSP would block them)');
}

/** What a reader sees: the page without its style and script blocks and tags. */
export function visibleText(page: string): string {
  return page
    .replace(/<(style|script)\b[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
}
