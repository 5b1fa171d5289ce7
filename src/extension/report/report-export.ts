// What Export Report writes besides the HTML report (whose data engine/report-inputs.ts builds, as for
// `propack report`): the candidates as CSV and the report view as JSON. Pure (no `vscode`).
import type { ReportView } from '../protocol';

/** One row per candidate p: the predictions the report charts, recommended row marked. */
export function candidatesCsv(view: ReportView): string {
  const header = 'packing_degree,concurrency,service_time_s,scaling_time_s,execution_time_s,cost_usd,instances,recommended';
  const rows = view.candidates.map((c) =>
    [
      c.packingDegree,
      c.concurrency,
      c.serviceTime,
      c.scalingTime,
      c.executionTime,
      c.cost,
      c.instances,
      c.packingDegree === view.recommended.packingDegree ? 1 : 0,
    ].join(','),
  );
  return `${[header, ...rows].join('\n')}\n`;
}

/** The report as JSON: the question, the answer, every candidate and the measured points. */
export function reportJson(view: ReportView): string {
  return `${JSON.stringify({ schema: 'propack.report-view/v1', ...view }, null, 2)}\n`;
}
