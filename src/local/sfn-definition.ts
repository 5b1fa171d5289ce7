/**
 * What the local Step Functions runs of a definition: the packed-run Distributed Map (core/step-functions.ts
 * parses exactly that shape) plus the few Map fields the core spec leaves out (its label, its tolerated
 * failures, whether BatchInput is set). Anything else is Step Functions' InvalidDefinition.
 */
import { AslShapeError, parsePackedMapDefinition, type PackedMapSpec } from '../core/step-functions';
import { isValidName } from './sfn-arns';
import { SfnApiError } from './sfn-error';

/** A definition's Map Run, as the platform runs it. */
export interface MapRunPlan {
  spec: PackedMapSpec;
  /** The Map's label in ARNs: its `Label`, else its state name. */
  label: string;
  /** The `BatchInput` handed to every batch, when the definition sets one (absent: batches have only `Items`). */
  batchInput?: Record<string, unknown>;
  /** ToleratedFailurePercentage (0–100), when set. */
  toleratedFailurePercentage?: number;
  /** ToleratedFailureCount, when set. */
  toleratedFailureCount?: number;
  /** The Task keeps only the function's payload (`OutputPath: "$.Payload"`), not lambda:invoke's whole result. */
  payloadOnly: boolean;
}

/** Largest definition Step Functions accepts (bytes). */
export const DEFINITION_LIMIT = 1024 * 1024;

/** Fields that would change what the packed-run Map does; running it while ignoring them would be wrong. */
const MAP_FIELDS_NOT_SERVED = [
  'Parameters',
  'ItemSelector',
  'ItemsPath',
  'InputPath',
  'ResultPath',
  'ResultSelector',
  'OutputPath',
  'Catch',
  'Retry',
  'MaxConcurrencyPath',
  'ToleratedFailurePercentagePath',
  'ToleratedFailureCountPath',
];
const TASK_FIELDS_NOT_SERVED = [
  'InputPath',
  'ResultPath',
  'ResultSelector',
  'Catch',
  'TimeoutSeconds',
  'TimeoutSecondsPath',
  'HeartbeatSeconds',
  'HeartbeatSecondsPath',
  'Credentials',
];

function refuseFields(o: Record<string, unknown>, fields: readonly string[], at: string): void {
  const found = fields.find((f) => o[f] !== undefined);
  if (found) throw invalid(`${at}.${found} is not served locally (the packed-run Map does not use it)`);
}

function invalid(message: string): SfnApiError {
  return new SfnApiError('InvalidDefinition', `Invalid State Machine Definition: '${message}'`);
}

/** The plan of a definition; Step Functions' InvalidDefinition naming the first field that is not the packed-run shape. */
export function planOf(definition: unknown): MapRunPlan {
  if (typeof definition !== 'string' || definition === '') throw invalid('the definition must be a non-empty string');
  if (Buffer.byteLength(definition) > DEFINITION_LIMIT) throw invalid(`the definition is over ${DEFINITION_LIMIT} bytes`);
  let spec: PackedMapSpec;
  try {
    spec = parsePackedMapDefinition(definition);
  } catch (e) {
    if (e instanceof AslShapeError)
      throw invalid(`${e.message} (the ProPack local platform runs only the Distributed Map of a packed run: docs/local-platform.md)`);
    throw e;
  }
  // The parser has checked the shape: the root, its one state and the ItemBatcher are objects.
  const root = JSON.parse(definition) as { StartAt: string; States: Record<string, Record<string, unknown>> };
  const map = root.States[root.StartAt];
  const at = `$.States.${root.StartAt}`;
  const label = map.Label ?? root.StartAt;
  if (!isValidName(label))
    throw invalid(`${at}.Label must be 1 to 80 characters without spaces, brackets or ":/" (got ${JSON.stringify(label)})`);
  const pct = map.ToleratedFailurePercentage;
  if (pct !== undefined && (typeof pct !== 'number' || !(pct >= 0 && pct <= 100)))
    throw invalid(`${at}.ToleratedFailurePercentage must be a number from 0 to 100`);
  const count = map.ToleratedFailureCount;
  if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 0))
    throw invalid(`${at}.ToleratedFailureCount must be a non-negative integer`);
  refuseFields(map, MAP_FIELDS_NOT_SERVED, at);
  const batcher = map.ItemBatcher as Record<string, unknown>;
  refuseFields(batcher, ['MaxItemsPerBatchPath', 'MaxInputBytesPerBatchPath'], `${at}.ItemBatcher`);
  const processor = map.ItemProcessor as { StartAt: string; States: Record<string, Record<string, unknown>> };
  const task = processor.States[processor.StartAt];
  const tat = `${at}.ItemProcessor.States.${processor.StartAt}`;
  refuseFields(task, TASK_FIELDS_NOT_SERVED, tat);
  const extra = Object.keys(task.Parameters as Record<string, unknown>).filter(
    (k) => k !== 'FunctionName' && k !== 'Payload.$' && k !== 'LogType',
  );
  if (extra.length > 0)
    throw invalid(`${tat}.Parameters.${extra[0]} is not served locally (only FunctionName, LogType and "Payload.$": "$")`);
  return {
    spec,
    label,
    payloadOnly: task.OutputPath === '$.Payload',
    ...(batcher.BatchInput !== undefined ? { batchInput: spec.batchInput } : {}),
    ...(pct !== undefined ? { toleratedFailurePercentage: pct } : {}),
    ...(count !== undefined ? { toleratedFailureCount: count } : {}),
  };
}
