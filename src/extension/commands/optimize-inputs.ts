// The choices of the Optimize command's quick picks. Pure, so unit-tested without the editor.
import type { Metric, Objective } from '../../core/types';

export const OBJECTIVE_CHOICES: readonly { value: Objective; label: string; detail: string }[] = [
  { value: 'both', label: 'both', detail: 'Weighted mix: 0.55 × relative cost + 0.45 × relative service time' },
  { value: 'time', label: 'time', detail: 'Least service time' },
  { value: 'cost', label: 'cost', detail: 'Least expense' },
];

export const METRIC_CHOICES: readonly { value: Metric; label: string; detail: string }[] = [
  { value: 'net', label: 'net', detail: 'Service time until every invocation finished' },
  { value: 'tail', label: 'tail', detail: 'Service time until 90% of the invocations finished' },
  { value: 'median', label: 'median', detail: 'Service time until half of the invocations finished' },
];

/** Whether a value is one of the objectives. */
export function isObjective(v: unknown): v is Objective {
  return OBJECTIVE_CHOICES.some((c) => c.value === v);
}

/** Whether a value is one of the metrics. */
export function isMetric(v: unknown): v is Metric {
  return METRIC_CHOICES.some((c) => c.value === v);
}
