/** Writes a report folder: `report.html` (self-contained) and `summary.json` (the contract). */
import { join } from 'node:path';
import { writeFileAtomic } from './files';
import type { ReportData } from '../report/report-data';
import { outlookOf, renderReportHtml, type ReportAssets } from '../report/report-html';
import { buildSummary } from '../report/summary';
import { loadReportAssets } from './report-assets';

/** Writes `<dir>/report.html` and `<dir>/summary.json` atomically; returns both paths. */
export function writeReport(dir: string, data: ReportData, assets: ReportAssets = loadReportAssets()): { html: string; summary: string } {
  const html = join(dir, 'report.html');
  const summary = join(dir, 'summary.json');
  // Render before writing anything, so a missing asset leaves no half-written folder behind.
  const outlooks = data.benchmarks.map(outlookOf);
  const page = renderReportHtml(data, assets, { outlooks });
  writeFileAtomic(summary, `${JSON.stringify(buildSummary(data, outlooks), null, 2)}\n`);
  writeFileAtomic(html, page);
  return { html, summary };
}
