/** The report's Step Functions section: the recommendation as a Distributed Map, for the HTML report and the panel. */
import { mapDispatchCostUsd, SFN_PRICE } from '../core/step-functions';
import type { Prediction } from '../core/types';
import { formatNumber } from './format';
import { escapeHtml } from './html-escape';
import type { StepFunctionsExport } from './report-data';

/**
 * What a Distributed Map adds to the recommendation's cost (USD; one child execution and one Task
 * transition per instance) and its ASL and SAM text to copy; every text escaped, so it may be set as HTML.
 */
export function stepFunctionsSectionHtml(p: Prediction, sf: StepFunctionsExport): string {
  const extra = mapDispatchCostUsd(p.instances, p.instances);
  return (
    `<h3>Run it through Step Functions</h3>` +
    `<p>${escapeHtml(
      `A Distributed Map (propack run --dispatch stepfunctions) runs p = ${p.packingDegree} on ${p.instances} child executions; ` +
        `Step Functions adds $${formatNumber(extra)} to the predicted $${formatNumber(p.cost)} ` +
        `($${SFN_PRICE.transitionUsd * 1000} per 1,000 state transitions, ${SFN_PRICE.read}). ` +
        `The state machine ${sf.stateMachineName} reads each execution's tasks and results locations from its input.`,
    )}</p>` +
    `<details><summary>ASL definition (JSON)</summary><pre class="export">${escapeHtml(sf.asl)}</pre></details>` +
    `<details><summary>SAM template resource (YAML; replace the bucket propack-runs with yours)</summary><pre class="export">${escapeHtml(sf.sam)}</pre></details>`
  );
}
