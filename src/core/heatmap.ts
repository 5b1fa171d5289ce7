/**
 * The memory × packing-degree heatmap of a joint optimization, as plain data that the HTML report and the
 * extension's report page both draw. Cells are binned by rank (not by value) because the objective is
 * skewed: a few tiny instances packing many tasks are orders of magnitude slower than the rest, and linear
 * bins would paint everything else one colour.
 */
import type { JointCandidate, JointGrid, JointResult } from './joint-optimizer';
import { vcpusForMemory } from './pricing';
import type { Architecture, Objective } from './types';

/** Colour steps of the heatmap: level 0 is the best decile band of the objective, HEAT_LEVELS − 1 the worst. */
export const HEAT_LEVELS = 8;

export interface HeatmapCell {
  packingDegree: number;
  /** The objective (lower is better); null where p is not a candidate (does not fit in memory, or over the cap). */
  value: number | null;
  /** 0 (best) … HEAT_LEVELS − 1 (worst); null with `value`. */
  level: number | null;
  /** Predicted service time (s) and cost (USD) behind the objective. */
  serviceTime?: number;
  cost?: number;
  /** True when this (memory, architecture, p) was measured, false when the resource model predicts it. */
  measured: boolean;
  /** The joint choice, ProPack's fixed-10,240 MB choice, or both at once. */
  mark?: 'choice' | 'reference' | 'both';
}

export interface HeatmapRow {
  memoryMb: number;
  vcpus: number;
  /** True when packing was measured at this (memory, architecture), at some degree. */
  configurationMeasured: boolean;
  cells: HeatmapCell[];
}

/** One architecture's heatmap, with the value range of each level for the legend. */
export interface Heatmap {
  architecture: Architecture;
  objective: Objective;
  /** What a cell's value is: "service time (s)", "cost (USD)" or "weighted excess over the best". */
  valueLabel: string;
  degrees: number[];
  rows: HeatmapRow[];
  /** [lowest, highest] value in each level, ascending; a level no cell fell into is absent. */
  legend: { level: number; from: number; to: number }[];
}

const VALUE_LABEL: Record<Objective, string> = {
  time: 'service time (s)',
  cost: 'cost (USD)',
  both: 'weighted excess over the best (0 = best)',
};

function sameConfig(c: JointCandidate, memoryMb: number, architecture: Architecture, p: number): boolean {
  return c.memoryMb === memoryMb && c.architecture === architecture && c.packingDegree === p;
}

function markOf(result: Pick<JointResult, 'choice' | 'reference'>, memoryMb: number, a: Architecture, p: number): HeatmapCell['mark'] {
  const isChoice = sameConfig(result.choice, memoryMb, a, p);
  const isReference = sameConfig(result.reference, memoryMb, a, p);
  return isChoice && isReference ? 'both' : isChoice ? 'choice' : isReference ? 'reference' : undefined;
}

/** Rank-based levels: the k-th smallest of n values gets level floor(k · HEAT_LEVELS / n); ties share the lowest. */
function levelsByRank(values: readonly number[]): Map<number, number> {
  const sorted = [...values].sort((a, b) => a - b);
  const level = new Map<number, number>();
  sorted.forEach((v, k) => {
    if (!level.has(v)) level.set(v, Math.min(HEAT_LEVELS - 1, Math.floor((k * HEAT_LEVELS) / sorted.length)));
  });
  return level;
}

/** The heatmap of one grid of a joint result. */
export function heatmapOf(
  grid: JointGrid,
  result: Pick<JointResult, 'choice' | 'reference' | 'candidates' | 'objective'> & Partial<Pick<JointResult, 'model'>>,
): Heatmap {
  const values = grid.objective.flat().filter((v): v is number => v !== null);
  const level = levelsByRank(values);
  const byKey = new Map(
    result.candidates.filter((c) => c.architecture === grid.architecture).map((c) => [`${c.memoryMb}/${c.packingDegree}`, c]),
  );
  const rows = grid.memoriesMb.map((memoryMb, i) => ({
    memoryMb,
    vcpus: vcpusForMemory(memoryMb),
    configurationMeasured:
      grid.measured[i].some(Boolean) ||
      (result.model?.measured.some((c) => c.memoryMb === memoryMb && c.architecture === grid.architecture) ?? false),
    cells: grid.degrees.map((p, j): HeatmapCell => {
      const value = grid.objective[i][j];
      const c = byKey.get(`${memoryMb}/${p}`);
      const mark = markOf(result, memoryMb, grid.architecture, p);
      return {
        packingDegree: p,
        value,
        level: value === null ? null : (level.get(value) ?? null),
        ...(c ? { serviceTime: c.serviceTime, cost: c.cost } : {}),
        measured: grid.measured[i][j],
        ...(mark ? { mark } : {}),
      };
    }),
  }));
  const legend: Heatmap['legend'] = [];
  for (const [v, l] of [...level.entries()].sort((a, b) => a[0] - b[0])) {
    const last = legend[legend.length - 1];
    if (last && last.level === l) last.to = v;
    else legend.push({ level: l, from: v, to: v });
  }
  return {
    architecture: grid.architecture,
    objective: result.objective,
    valueLabel: VALUE_LABEL[result.objective],
    degrees: grid.degrees,
    rows,
    legend,
  };
}

/** Every heatmap of a joint result, one per searched architecture. */
export function heatmapsOf(result: JointResult): Heatmap[] {
  return result.grids.map((g) => heatmapOf(g, result));
}
