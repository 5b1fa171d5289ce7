/** Finds what the HTML report inlines, built by webpack into `dist/`: two scripts and two stylesheets. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportAssets } from '../report/report-html';
import { findDistDir } from './bundle';

/** File names inside `dist/` (webpack.config.js emits them: the CSS files copied as written from src/report/). */
export const CHART_JS_FILE = 'chart.umd.js';
export const PAGE_SCRIPT_FILE = 'report-page.js';
export const PAGE_STYLE_FILE = 'report-page.css';
export const HEATMAP_STYLE_FILE = 'heatmap.css';

/**
 * Reads chart.js's UMD build, the report page script and the stylesheets from `distDir` (default: the webpack
 * output the running code belongs to: `dist/` itself for the CLI and the extension, `<repo>/dist` from
 * compiled tests). Throws one line naming the missing file.
 */
export function loadReportAssets(distDir: string = findDistDir(__dirname)): ReportAssets {
  const read = (name: string): string => {
    const path = join(distDir, name);
    if (!existsSync(path)) throw new Error(`report asset ${path} is missing: run npm run build`);
    return readFileSync(path, 'utf8');
  };
  return {
    chartJs: read(CHART_JS_FILE),
    pageScript: read(PAGE_SCRIPT_FILE),
    styles: `${read(PAGE_STYLE_FILE)}\n${read(HEATMAP_STYLE_FILE)}`,
  };
}
