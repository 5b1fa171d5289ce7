/** Finds the two scripts the HTML report inlines, built by webpack into `dist/`. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findDistDir } from './bundle';
import type { ReportAssets } from './report-html';

/** File names inside `dist/` (webpack.config.js emits both). */
export const CHART_JS_FILE = 'chart.umd.js';
export const PAGE_SCRIPT_FILE = 'report-page.js';

/**
 * Reads chart.js's UMD build and the report page script from `distDir` (default: the webpack output the
 * running code belongs to: `dist/` itself for the CLI and the extension, `<repo>/dist` from compiled tests).
 * Throws one line naming the missing file.
 */
export function loadReportAssets(distDir: string = findDistDir(__dirname)): ReportAssets {
  const read = (name: string): string => {
    const path = join(distDir, name);
    if (!existsSync(path)) throw new Error(`report asset ${path} is missing: run npm run build`);
    return readFileSync(path, 'utf8');
  };
  return { chartJs: read(CHART_JS_FILE), pageScript: read(PAGE_SCRIPT_FILE) };
}
