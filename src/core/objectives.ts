/** The goals and service-time statistics ProPack optimizes for, listed once; their types derive from the lists. */

/** What the optimizer minimizes: service time, expense, or ProPack's weighted mix of both. */
export const OBJECTIVES = ['time', 'cost', 'both'] as const;
export type Objective = (typeof OBJECTIVES)[number];

/** Which service time counts: every task done (net), 90% done (tail), or half done (median). */
export const METRICS = ['net', 'tail', 'median'] as const;
export type Metric = (typeof METRICS)[number];

/** Whether a value is one of OBJECTIVES (for untrusted input: settings, messages, files). */
export function isObjective(value: unknown): value is Objective {
  return (OBJECTIVES as readonly unknown[]).includes(value);
}

/** Whether a value is one of METRICS. */
export function isMetric(value: unknown): value is Metric {
  return (METRICS as readonly unknown[]).includes(value);
}
