/**
 * Step Functions' ARNs in the emulated account (the Lambda side's ACCOUNT and REGION). A Map Run and its
 * child executions are named after the parent state machine and the Map's label, as AWS names them:
 * `mapRun:<machine>/<label>:<uuid>`, `execution:<machine>/<label>:<uuid>`.
 */
import { ACCOUNT, REGION } from './function-store';
import { SfnApiError } from './sfn-error';

const PREFIX = `arn:aws:states:${REGION}:${ACCOUNT}`;

/** A state machine's ARN. */
export function stateMachineArn(name: string): string {
  return `${PREFIX}:stateMachine:${name}`;
}

/** An execution's ARN. */
export function executionArn(machine: string, name: string): string {
  return `${PREFIX}:execution:${machine}:${name}`;
}

/** A Map Run's ARN. */
export function mapRunArn(machine: string, label: string, id: string): string {
  return `${PREFIX}:mapRun:${machine}/${label}:${id}`;
}

/** The ARN of a Map Run's child execution. */
export function childExecutionArn(machine: string, label: string, id: string): string {
  return `${PREFIX}:execution:${machine}/${label}:${id}`;
}

/** The ARN of the state machine a Map Run's children run (the Map's ItemProcessor). */
export function childStateMachineArn(machine: string, label: string): string {
  return `${PREFIX}:stateMachine:${machine}/${label}`;
}

/**
 * AWS's rule for state machine, execution and Map labels: 1 to 80 characters, none of white space, brackets,
 * wildcards, `"#%\^|~\`$&,;:/` or control characters (so a name can never split an ARN).
 */
const NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/]{1,80}$/;

/** True when `name` is valid as a name or Map label. */
export function isValidName(name: unknown): name is string {
  // Control characters are tested by code point: a regular expression holding them is easy to misread.
  return (
    typeof name === 'string' &&
    NAME.test(name) &&
    ![...name].some((c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f))
  );
}

/** The name if it is valid; Step Functions' InvalidName otherwise. */
export function checkName(name: unknown): string {
  if (!isValidName(name)) throw new SfnApiError('InvalidName', `Invalid Name: '${String(name)}'`);
  return name;
}

/** Checks that `arn` is an ARN of `kind` in this platform's form; Step Functions' InvalidArn otherwise. */
export function checkArn(arn: unknown, kind: 'stateMachine' | 'execution' | 'mapRun'): string {
  const ok =
    typeof arn === 'string' && arn.length <= 2048 && /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:([a-zA-Z]+):/.exec(arn)?.[1] === kind;
  if (!ok) throw new SfnApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${String(arn).slice(0, 200)}'`);
  return arn;
}
