/** Chooses the packing degree p for an objective and metric, with optional constraints. */
import { degreeEdge } from './degree-edge';
import { defaultMaxDegree, modelFor, predictOrUndefined } from './predict';
import { bothScoreOf, constraintViolation, minimaOf, objectiveScore, type TimeAndCost } from './score';
import type { NearTie, OptimizeRequest, OptimizeResult, Prediction, Profile, Weights } from './types';

/** ProPack's weights: 0.55 on relative cost excess, 0.45 on relative time excess. */
export const DEFAULT_WEIGHTS: Weights = { cost: 0.55, time: 0.45 };

/** Every candidate prediction for p = 1..maxDegree, ascending; degrees a model cannot evaluate are skipped. */
export function candidatesFor(profile: Profile, req: OptimizeRequest): Prediction[] {
  const kind = req.model ?? 'fitted';
  const model = modelFor(profile, kind);
  const cap =
    kind === 'classic'
      ? Math.min(req.maxDegree ?? Infinity, defaultMaxDegree(profile, kind))
      : (req.maxDegree ?? defaultMaxDegree(profile, kind));
  const maxP = Math.max(1, Math.min(cap, req.concurrency));
  const out: Prediction[] = [];
  for (let p = 1; p <= maxP; p++) {
    const pred = predictOrUndefined(
      model,
      { concurrency: req.concurrency, packingDegree: p, metric: req.metric, tailPercentile: req.tailPercentile, dispatch: req.dispatch },
      false,
    );
    if (pred) out.push(pred);
  }
  return out;
}

/** The weighted relative-excess score ProPack minimizes for `both` (0 is best); see core/score.ts. */
export function bothScore(pred: Prediction, minCost: number, minTime: number, w: Weights): number {
  return bothScoreOf(timeAndCost(pred), { timeS: minTime, costUsd: minCost }, w);
}

const timeAndCost = (x: Prediction): TimeAndCost => ({ timeS: x.serviceTime, costUsd: x.cost });

/**
 * The request's objective as a score over predictions (lower is better). ProPack normalizes `both` by the
 * minima over every degree it considered (`candidates`), not only the feasible ones.
 */
export function predictionScorer(
  candidates: readonly Prediction[],
  req: Pick<OptimizeRequest, 'objective' | 'weights'>,
): (x: Prediction) => number {
  const w = req.weights ?? DEFAULT_WEIGHTS;
  const minima = minimaOf(candidates.map(timeAndCost));
  return (x) => objectiveScore(req.objective, timeAndCost(x), minima, w);
}

/** Cost/time Pareto-optimal predictions, ascending by service time. */
export function paretoFront(candidates: readonly Prediction[]): Prediction[] {
  const sorted = [...candidates].sort((a, b) => a.serviceTime - b.serviceTime || a.cost - b.cost || a.packingDegree - b.packingDegree);
  const front: Prediction[] = [];
  let bestCost = Infinity;
  for (const c of sorted) {
    if (c.cost < bestCost) {
      front.push(c);
      bestCost = c.cost;
    }
  }
  return front;
}

/**
 * Picks p: argmin of the objective over candidates meeting the constraints; ties go to the smallest p.
 * When none meets them, the candidate closest to the caps (least relative violation) is `relaxed` instead.
 * With a `tolerance` (relative), a cost (time) objective takes the fastest (cheapest) candidate whose cost
 * (time) is within it of the best, so a difference the measurements cannot resolve buys nothing big.
 */
export function chooseDegree(
  candidates: readonly Prediction[],
  req: OptimizeRequest,
  tolerance = 0,
): { choice: Prediction; relaxed: boolean; nearTie?: NearTie } {
  const c = req.constraints ?? {};
  const violation = candidates.map((x) => constraintViolation(timeAndCost(x), c));
  const least = Math.min(...violation);
  const relaxed = least > 0;
  // Nothing feasible: keep the least violating candidates (exact ties only), and let the objective break ties.
  const pool = candidates.filter((_, i) => violation[i] === least);
  const score = predictionScorer(candidates, req);
  let best = pool[0];
  let bestScore = score(best);
  for (const x of pool) {
    const s = score(x);
    if (s < bestScore) {
      best = x;
      bestScore = s;
    }
  }
  const near = tolerance > 0 ? nearTieChoice(pool, best, req.objective, tolerance) : undefined;
  return near ? { choice: near, relaxed, nearTie: { argmin: best.packingDegree, tolerance } } : { choice: best, relaxed };
}

/** The candidate within `tolerance` of `best` on a single objective that is best on the other axis; undefined when that is `best`. */
function nearTieChoice(pool: readonly Prediction[], best: Prediction, objective: OptimizeRequest['objective'], tolerance: number) {
  if (objective === 'both') return undefined;
  const [on, other] = objective === 'cost' ? (['cost', 'serviceTime'] as const) : (['serviceTime', 'cost'] as const);
  let pick = best;
  for (const x of pool) if (x[on] <= best[on] * (1 + tolerance) && x[other] < pick[other]) pick = x;
  return pick === best ? undefined : pick;
}

/** Optimizes the packing degree for one concurrency; throws a RangeError when no degree can be evaluated. */
export function optimize(profile: Profile, req: OptimizeRequest): OptimizeResult {
  const candidates = candidatesFor(profile, req);
  if (candidates.length === 0) throw new RangeError('no packing degree can be evaluated for this profile and concurrency');
  const model = modelFor(profile, req.model ?? 'fitted');
  // ProPack's classic model keeps its exact argmin (the artifact's answers); the fitted one knows its noise.
  const { choice, relaxed, nearTie } = chooseDegree(candidates, req, model.kind === 'fitted' ? model.noise : 0);
  // The scan skipped the other order statistics; the two predictions people read get them all.
  const full = (p: Prediction): Prediction =>
    predictOrUndefined(model, {
      concurrency: req.concurrency,
      packingDegree: p.packingDegree,
      metric: req.metric,
      tailPercentile: req.tailPercentile,
      dispatch: req.dispatch,
    }) ?? p;
  // The model's own optimum at the edge means the best p may lie beyond what was profiled, near tie or not.
  const edge = degreeEdge(profile, nearTie?.argmin ?? choice.packingDegree, req.concurrency, req.maxDegree);
  return {
    packingDegree: choice.packingDegree,
    predicted: full(choice),
    baseline: full(candidates.find((x) => x.packingDegree === 1) ?? candidates[0]),
    candidates,
    pareto: paretoFront(candidates),
    model: req.model ?? 'fitted',
    objective: req.objective,
    metric: req.metric,
    concurrency: req.concurrency,
    weights: req.weights ?? DEFAULT_WEIGHTS,
    constraintsRelaxed: relaxed,
    ...(edge ? { edge } : {}),
    ...(nearTie ? { nearTie } : {}),
  };
}

/** One line on a near-tie choice: what the strict optimum would save and what the choice gains; undefined without one. */
export function nearTieNote(r: Pick<OptimizeResult, 'nearTie' | 'objective' | 'predicted' | 'candidates'>): string | undefined {
  const t = r.nearTie;
  const best = t && r.candidates.find((c) => c.packingDegree === t.argmin);
  if (!t || !best) return undefined;
  const pct = (a: number, b: number): string => `${(Math.abs(a / b - 1) * 100).toFixed(1)}%`;
  const noise = `within the model's ${(t.tolerance * 100).toFixed(1)}% measurement noise`;
  const p = r.predicted;
  return r.objective === 'cost'
    ? `p=${best.packingDegree} would cost ${pct(best.cost, p.cost)} less, ${noise}, but take ${pct(best.serviceTime, p.serviceTime)} longer than p=${p.packingDegree}`
    : `p=${best.packingDegree} would be ${pct(best.serviceTime, p.serviceTime)} faster, ${noise}, but cost ${pct(best.cost, p.cost)} more than p=${p.packingDegree}`;
}
