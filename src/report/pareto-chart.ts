/** The cost/time trade-off of every candidate p: the Pareto front through them, ProPack's choice and no packing. */
import type { Prediction } from '../core/types';
import { chartId, type ChartSpec } from './chart-spec';
import { savingsText } from './format';

/** What the chart needs from the optimizer's answer at one C. */
export interface ParetoInput {
  concurrency: number;
  candidates: readonly Prediction[];
  /** Pareto-optimal candidates, ascending by service time. */
  pareto: readonly Prediction[];
  recommended: Prediction;
  baseline: Prediction;
}

/** Cost (USD) against service time (s) of each candidate, with the front drawn as a line. */
export function paretoChart(a: ParetoInput, prefix: string): ChartSpec {
  const pt = (c: Prediction): { x: number; y: number } => ({ x: c.serviceTime, y: c.cost });
  const note = (c: Prediction): string => `p = ${c.packingDegree}: ${savingsText(c, a.baseline)}`;
  return {
    id: chartId(prefix, 'pareto'),
    title: 'Cost vs service time: the Pareto front',
    caption:
      `Predicted cost against service time of every candidate p at C=${a.concurrency} (markers); the line joins those no other p beats on both. ` +
      `ProPack's p=${a.recommended.packingDegree} and no packing are marked.`,
    x: { label: 'service time (s)', fromZero: true },
    y: { label: 'cost (USD)', fromZero: true },
    // The two named points first: a page draws earlier series on top, and the first points series filled.
    series: [
      {
        label: `recommended p = ${a.recommended.packingDegree}`,
        role: 'propack',
        style: 'points',
        points: [pt(a.recommended)],
        notes: [note(a.recommended)],
      },
      { label: 'no packing (p = 1)', role: 'noPacking', style: 'points', points: [pt(a.baseline)] },
      { label: 'candidates (one per p)', role: 'measured', style: 'points', points: a.candidates.map(pt), notes: a.candidates.map(note) },
      { label: 'Pareto front', role: 'model', style: 'line', points: a.pareto.map(pt), notes: a.pareto.map(note) },
    ],
    markers: [],
    table: {
      columns: ['p', 'service time (s)', 'cost (USD)', 'on the Pareto front', 'against no packing'],
      rows: a.candidates.map((c) => [
        c.packingDegree,
        c.serviceTime,
        c.cost,
        a.pareto.some((f) => f.packingDegree === c.packingDegree) ? 'yes' : 'no',
        savingsText(c, a.baseline),
      ]),
    },
  };
}
