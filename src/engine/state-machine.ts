/**
 * The one place a packed run becomes its Step Functions Distributed Map: the state machine's name, the S3
 * keys of its tasks and results, the spec and its ASL definition, and the SAM snippet that deploys it.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import {
  DEFAULT_RETRY,
  mapMaxConcurrency,
  packedMapDefinition,
  parsePackedMapDefinition,
  SFN_LIMITS,
  type PackedMapInput,
  type PackedMapSpec,
} from '../core/step-functions';
import { packBatchInput, type PackedMode } from '../runtime/protocol';
import type { StepFunctionsExport } from '../report/report-data';
import { LOCAL_RUN_BUCKET } from './s3-keys';

/** What a packed run through Step Functions is made of. */
export interface PackedStateMachineInput {
  /** Function name or ARN the Map invokes. */
  functionName: string;
  /** Tasks in the run (C). */
  concurrency: number;
  /** Tasks per invocation (p). */
  packingDegree: number;
  /** The account's (or the function's reserved) concurrency: children running at once, at most. */
  accountConcurrency: number;
  /** How the tasks of one batch share the instance (default: the mode the function was wrapped with). */
  mode?: PackedMode;
}

/**
 * A packed run's state machine. Its definition reads the tasks' and results' locations from each
 * execution's input (`PackedMapInput`, see `packedMapInput`), so one state machine per function, p and
 * concurrency serves every run, and runs at once never change each other's definition.
 */
export interface PackedStateMachine {
  /** State machine name: `propack-<function>-p<p>-c<n>`, at most 80 characters of [A-Za-z0-9_-]. */
  name: string;
  spec: PackedMapSpec;
  /** The ASL definition (JSONPath) of `spec`. */
  definition: Record<string, unknown>;
}

/** Step Functions' longest state machine name. */
const MAX_NAME_LENGTH = 80;
const RUN_ID = /^[A-Za-z0-9._-]+$/;
/** The names this module makes (Step Functions itself allows more, but not in an ARN a policy can name safely). */
const STATE_MACHINE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** The function's name from a name, a partial ARN or a full ARN (a version or alias qualifier dropped). */
export function functionNameOf(nameOrArn: string): string {
  const m = /(?:^|:)function:([^:]+)/.exec(nameOrArn);
  return m ? m[1] : nameOrArn;
}

/**
 * `propack-<function>-p<p>-c<n>`: characters Step Functions refuses become `-`; a name too long keeps a
 * hash of the whole function name (two long names sharing their first characters must not share a machine).
 */
export function stateMachineName(functionName: string, packingDegree: number, maxConcurrency: number): string {
  const base = `propack-${functionNameOf(functionName).replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const suffix = `-p${packingDegree}-c${maxConcurrency}`;
  if (base.length + suffix.length <= MAX_NAME_LENGTH) return base + suffix;
  const hash = createHash('sha256').update(functionName).digest('hex').slice(0, 8);
  return `${base.slice(0, MAX_NAME_LENGTH - suffix.length - hash.length - 1)}-${hash}${suffix}`;
}

function positiveInt(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${what} must be a positive integer, got ${value}`);
}

/** The Distributed Map of a packed run: C tasks, p per child execution, at most ceil(C/p) children at once. */
export function packedStateMachine(input: PackedStateMachineInput): PackedStateMachine {
  if (input.functionName === '') throw new TypeError('the function name is empty');
  positiveInt(input.concurrency, 'the concurrency');
  positiveInt(input.packingDegree, 'the packing degree');
  positiveInt(input.accountConcurrency, 'the account concurrency');
  const spec: PackedMapSpec = {
    functionName: input.functionName,
    packingDegree: input.packingDegree,
    maxConcurrency: mapMaxConcurrency(input.concurrency, input.packingDegree, input.accountConcurrency),
    batchInput: packBatchInput(input.mode ? { mode: input.mode } : {}),
    // Written out so the spec is exactly what parsePackedMapDefinition reads back from the definition.
    maxInputBytesPerBatch: SFN_LIMITS.maxInputBytesPerBatch,
    retry: DEFAULT_RETRY,
    // The REPORT line in each result bills a cold start's init, as the direct path does.
    logType: 'Tail',
  };
  return {
    name: stateMachineName(input.functionName, spec.packingDegree, spec.maxConcurrency),
    spec,
    definition: packedMapDefinition(spec),
  };
}

/**
 * The input of one execution: its tasks at `propack-runs/<runId>/<part>/tasks.json` in `bucket`, its
 * results under `…/<part>/results`. `part` tells the executions of one run apart (its rounds).
 */
export function packedMapInput(bucket: string, runId: string, part: string): PackedMapInput {
  if (bucket === '') throw new TypeError('the bucket name is empty');
  // The run id is a folder of the key: a slash or an empty id would put the run's files somewhere else.
  for (const [what, v] of [
    ['run id', runId],
    ['part', part],
  ])
    if (!RUN_ID.test(v)) throw new TypeError(`the ${what} must be letters, digits, ".", "_" or "-", got "${v}"`);
  const folder = `propack-runs/${runId}/${part}`;
  return { items: { bucket, key: `${folder}/tasks.json` }, results: { bucket, prefix: `${folder}/results` } };
}

/** Options of the SAM snippet. */
export interface SamSnippetOptions {
  stateMachineName: string;
  /** The bucket the executions' tasks and results are in (their input names the keys). */
  bucket: string;
  /** An existing role for the state machine; without it the snippet declares the policies a Distributed Map needs. */
  roleArn?: string;
}

function isSpec(v: PackedMapSpec | Record<string, unknown>): v is PackedMapSpec {
  return typeof v.functionName === 'string' && typeof v.packingDegree === 'number' && !('States' in v);
}

/** SAM's logical ids are alphanumeric: `propack-video` becomes `PropackVideoStateMachine`. */
function logicalId(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  return `${words.map((w) => w[0].toUpperCase() + w.slice(1)).join('')}StateMachine`;
}

/**
 * YAML text of a SAM `AWS::Serverless::StateMachine` resource for a packed run's definition (or its spec):
 * the Definition, and either `Role` or the policies the Map needs (invoke the function, read the tasks,
 * write the results, start and watch its own child executions). Throws AslShapeError for another shape.
 */
export function samSnippet(definitionOrSpec: PackedMapSpec | Record<string, unknown>, options: SamSnippetOptions): string {
  const spec = isSpec(definitionOrSpec) ? definitionOrSpec : parsePackedMapDefinition(JSON.stringify(definitionOrSpec));
  const definition = isSpec(definitionOrSpec) ? packedMapDefinition(definitionOrSpec) : definitionOrSpec;
  const name = options.stateMachineName;
  if (!STATE_MACHINE_NAME.test(name))
    throw new TypeError(`the state machine name must be 1 to 80 letters, digits, "_" or "-", got "${name}"`);
  const arn = (resource: string): { 'Fn::Sub': string } => ({
    'Fn::Sub': `arn:\${AWS::Partition}:${resource}`,
  });
  const policies = [
    { LambdaInvokePolicy: { FunctionName: functionNameOf(spec.functionName) } },
    { S3ReadPolicy: { BucketName: spec.items?.bucket ?? options.bucket } },
    { S3CrudPolicy: { BucketName: spec.results?.bucket ?? options.bucket } },
    {
      Statement: [
        {
          // The Distributed Map runs each batch as a child execution of this same state machine.
          Effect: 'Allow',
          Action: ['states:StartExecution'],
          Resource: arn(`states:\${AWS::Region}:\${AWS::AccountId}:stateMachine:${name}`),
        },
        {
          Effect: 'Allow',
          Action: ['states:DescribeExecution', 'states:StopExecution'],
          Resource: arn(`states:\${AWS::Region}:\${AWS::AccountId}:execution:${name}/*`),
        },
        {
          // ResultWriter uploads its files in parts; S3CrudPolicy grants neither of these.
          Effect: 'Allow',
          Action: ['s3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
          Resource: arn(
            spec.results
              ? `s3:::${spec.results.bucket}/${spec.results.prefix}${spec.results.prefix ? '/' : ''}*`
              : `s3:::${options.bucket}/propack-runs/*`,
          ),
        },
      ],
    },
  ];
  const resource = {
    Type: 'AWS::Serverless::StateMachine',
    Properties: {
      Name: name,
      Type: 'STANDARD',
      Definition: definition,
      ...(options.roleArn !== undefined ? { Role: options.roleArn } : { Policies: policies }),
    },
  };
  return stringify({ Resources: { [logicalId(name)]: resource } }, { lineWidth: 0 });
}

/** A recommendation as the report shows it: the Map's name, its ASL (JSON text) and a SAM resource (YAML) on `bucket`. */
export function stepFunctionsExport(
  functionName: string,
  concurrency: number,
  packingDegree: number,
  bucket = LOCAL_RUN_BUCKET,
): StepFunctionsExport {
  const m = packedStateMachine({ functionName, concurrency, packingDegree, accountConcurrency: 1000 });
  return {
    stateMachineName: m.name,
    asl: JSON.stringify(m.definition, null, 2),
    sam: samSnippet(m.definition, { stateMachineName: m.name, bucket }),
  };
}
