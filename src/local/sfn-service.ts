/**
 * The Step Functions operations the platform serves, over state kept in memory for one platform start (a
 * restart forgets state machines and executions; the results written to S3 stay). Every execution runs the
 * one Distributed Map of its definition (sfn-definition.ts), in this process, whatever becomes of the
 * client that started it.
 */
import { randomUUID } from 'node:crypto';
import { checkArn, checkName, executionArn, stateMachineArn } from './sfn-arns';
import { planOf } from './sfn-definition';
import { SfnApiError } from './sfn-error';
import { MapRun, type MapRunDeps } from './sfn-map-run';

/** A request's JSON body. */
export type SfnInput = Record<string, unknown>;

interface StateMachine {
  arn: string;
  name: string;
  definition: string;
  roleArn: string;
  creationMs: number;
  updateMs?: number;
  revisionId?: string;
}

interface Execution {
  arn: string;
  name: string;
  stateMachineArn: string;
  input: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startMs: number;
  stopMs?: number;
  output?: string;
  error?: string;
  cause?: string;
  mapRun: MapRun;
}

/** Step Functions' largest execution input (bytes). */
export const INPUT_LIMIT = 256 * 1024;
/** Step Functions' longest error and cause of StopExecution (characters). */
const ERROR_LIMIT = 256;
const CAUSE_LIMIT = 32_768;

/** Epoch seconds, as AWS JSON 1.0 carries timestamps. */
const seconds = (ms: number): number => ms / 1000;

/** The operations of the platform's Step Functions API. */
export class SfnService {
  private readonly machines = new Map<string, StateMachine>();
  private readonly executions = new Map<string, Execution>();
  private readonly mapRuns = new Map<string, MapRun>();
  private readonly unfinished = new Set<Promise<unknown>>();
  private closed = false;

  constructor(private readonly deps: MapRunDeps) {}

  /** The operations by their X-Amz-Target name. */
  readonly operations: Record<string, (input: SfnInput) => unknown> = {
    CreateStateMachine: (i) => this.createStateMachine(i),
    UpdateStateMachine: (i) => this.updateStateMachine(i),
    DescribeStateMachine: (i) => this.describeStateMachine(i),
    StartExecution: (i) => this.startExecution(i),
    DescribeExecution: (i) => this.describeExecution(i),
    StopExecution: (i) => this.stopExecution(i),
    ListMapRuns: (i) => this.listMapRuns(i),
    DescribeMapRun: (i) => this.describeMapRun(i),
  };

  /** CreateStateMachine: a STANDARD machine of the packed-run shape; the same name and definition again returns it. */
  createStateMachine(i: SfnInput): { stateMachineArn: string; creationDate: number } {
    const name = checkName(required(i, 'name'));
    const definition = required(i, 'definition');
    planOf(definition);
    const roleArn = checkRole(required(i, 'roleArn'));
    const type = i.type ?? 'STANDARD';
    if (type !== 'STANDARD')
      throw new SfnApiError('StateMachineTypeNotSupported', `State machine type ${String(type)} is not served locally; use STANDARD.`);
    const arn = stateMachineArn(name);
    const existing = this.machines.get(arn);
    if (existing) {
      if (existing.definition === definition && existing.roleArn === roleArn)
        return { stateMachineArn: arn, creationDate: seconds(existing.creationMs) };
      throw new SfnApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const machine: StateMachine = { arn, name, definition: definition as string, roleArn, creationMs: Date.now() };
    this.machines.set(arn, machine);
    return { stateMachineArn: arn, creationDate: seconds(machine.creationMs) };
  }

  /** UpdateStateMachine: a new definition and/or role for executions started from now on. */
  updateStateMachine(i: SfnInput): { updateDate: number; revisionId: string } {
    const machine = this.machine(i.stateMachineArn);
    if (i.definition === undefined && i.roleArn === undefined)
      throw new SfnApiError('MissingRequiredParameter', 'Either the definition or the roleArn must be specified.');
    if (i.definition !== undefined) planOf(i.definition);
    const roleArn = i.roleArn === undefined ? machine.roleArn : checkRole(i.roleArn);
    Object.assign(machine, {
      ...(i.definition !== undefined ? { definition: i.definition as string } : {}),
      roleArn,
      updateMs: Date.now(),
      revisionId: randomUUID(),
    });
    return { updateDate: seconds(machine.updateMs as number), revisionId: machine.revisionId as string };
  }

  /** DescribeStateMachine. */
  describeStateMachine(i: SfnInput): SfnInput {
    const m = this.machine(i.stateMachineArn);
    return {
      stateMachineArn: m.arn,
      name: m.name,
      status: 'ACTIVE',
      definition: m.definition,
      roleArn: m.roleArn,
      type: 'STANDARD',
      creationDate: seconds(m.creationMs),
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
      ...(m.revisionId ? { revisionId: m.revisionId } : {}),
    };
  }

  /**
   * StartExecution: runs the machine's Map now. A reused name is ExecutionAlreadyExists, except (as on AWS)
   * for the same input while that execution runs: then it is the answer to a retried request.
   */
  startExecution(i: SfnInput): { executionArn: string; startDate: number } {
    if (this.closed) throw new SfnApiError('ServiceUnavailable', 'The local platform is stopping.', 503);
    const machine = this.machine(i.stateMachineArn);
    const name = i.name === undefined ? randomUUID() : checkName(i.name);
    const input = i.input === undefined ? '{}' : i.input;
    if (typeof input !== 'string' || Buffer.byteLength(input) > INPUT_LIMIT || !isJson(input))
      throw new SfnApiError('InvalidExecutionInput', `Invalid execution input: it must be JSON text of at most ${INPUT_LIMIT} bytes.`);
    const arn = executionArn(machine.name, name);
    const existing = this.executions.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) return { executionArn: arn, startDate: seconds(existing.startMs) };
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const mapRun = new MapRun(this.deps, machine.name, arn, planOf(machine.definition), input);
    const e: Execution = { arn, name, stateMachineArn: machine.arn, input, status: 'RUNNING', startMs: Date.now(), mapRun };
    this.executions.set(arn, e);
    this.mapRuns.set(mapRun.arn, mapRun);
    const ended = mapRun.ended.then((end) => {
      this.unfinished.delete(ended);
      if (e.status !== 'RUNNING') return; // stopped: ABORTED since StopExecution
      Object.assign(e, { status: end.status, stopMs: Date.now() }, end.status === 'SUCCEEDED' ? { output: end.output } : {});
      if (end.status !== 'SUCCEEDED') Object.assign(e, { error: end.error, cause: end.cause });
    });
    this.unfinished.add(ended);
    return { executionArn: arn, startDate: seconds(e.startMs) };
  }

  /** DescribeExecution. */
  describeExecution(i: SfnInput): SfnInput {
    const e = this.execution(i.executionArn);
    return {
      executionArn: e.arn,
      stateMachineArn: e.stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: seconds(e.startMs),
      ...(e.stopMs !== undefined ? { stopDate: seconds(e.stopMs) } : {}),
      input: e.input,
      inputDetails: { included: true },
      ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
      ...(e.error !== undefined ? { error: e.error } : {}),
      ...(e.cause !== undefined ? { cause: e.cause } : {}),
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
    };
  }

  /**
   * StopExecution: the execution is ABORTED at once and its Map starts no further child; children in flight
   * finish their invocation, count as aborted, and then the results are written (the Map Run stays RUNNING
   * until they are). An execution already ended is left as it is.
   */
  stopExecution(i: SfnInput): { stopDate: number } {
    const e = this.execution(i.executionArn);
    if (e.status === 'RUNNING') {
      const error = optionalText(i.error, 'error', ERROR_LIMIT);
      const cause = optionalText(i.cause, 'cause', CAUSE_LIMIT);
      Object.assign(
        e,
        { status: 'ABORTED', stopMs: Date.now() },
        error !== undefined ? { error } : {},
        cause !== undefined ? { cause } : {},
      );
      e.mapRun.stop();
    }
    return { stopDate: seconds(e.stopMs as number) };
  }

  /** ListMapRuns: the execution's one Map Run. */
  listMapRuns(i: SfnInput): { mapRuns: SfnInput[] } {
    const e = this.execution(i.executionArn);
    const r = e.mapRun;
    return {
      mapRuns: [
        {
          executionArn: e.arn,
          mapRunArn: r.arn,
          stateMachineArn: r.childMachineArn,
          startDate: seconds(r.startMs),
          ...(r.stopMs !== undefined ? { stopDate: seconds(r.stopMs) } : {}),
        },
      ],
    };
  }

  /** DescribeMapRun. */
  describeMapRun(i: SfnInput): SfnInput {
    const arn = checkArn(i.mapRunArn, 'mapRun');
    const r = this.mapRuns.get(arn);
    if (!r) throw new SfnApiError('ResourceNotFound', `Resource not found: '${arn}'`);
    return {
      mapRunArn: r.arn,
      executionArn: r.executionArn,
      status: r.status,
      startDate: seconds(r.startMs),
      ...(r.stopMs !== undefined ? { stopDate: seconds(r.stopMs) } : {}),
      maxConcurrency: r.plan.spec.maxConcurrency,
      toleratedFailurePercentage: r.plan.toleratedFailurePercentage ?? 0,
      toleratedFailureCount: r.plan.toleratedFailureCount ?? 0,
      ...r.counts(),
      redriveCount: 0,
    };
  }

  /** The platform stops: no execution starts; running ones are stopped as by StopExecution. */
  stopAll(): void {
    this.closed = true;
    for (const e of this.executions.values()) {
      if (e.status !== 'RUNNING') continue;
      Object.assign(e, { status: 'ABORTED', stopMs: Date.now(), error: 'States.Aborted', cause: 'The ProPack local platform stopped.' });
      e.mapRun.stop();
    }
  }

  /** Resolves when every Map Run has ended (its results written or failed to be). */
  async settled(): Promise<void> {
    while (this.unfinished.size > 0) await Promise.all([...this.unfinished]);
  }

  private machine(arn: unknown): StateMachine {
    const a = checkArn(arn, 'stateMachine');
    const m = this.machines.get(a);
    if (!m) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${a}'`);
    return m;
  }

  private execution(arn: unknown): Execution {
    const a = checkArn(arn, 'execution');
    const e = this.executions.get(a);
    if (!e) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${a}'`);
    return e;
  }
}

function required(i: SfnInput, field: string): unknown {
  const v = i[field];
  if (v === undefined || v === null)
    throw new SfnApiError(
      'ValidationException',
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  return v;
}

/** Any IAM role ARN (nothing is assumed locally; the account is not checked). */
function checkRole(v: unknown): string {
  if (typeof v !== 'string' || !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(v))
    throw new SfnApiError(
      'InvalidArn',
      `Invalid Arn: 'Resource type not valid in this context: ${String(v).slice(0, 200)}' (roleArn must be arn:aws:iam::<12 digits>:role/<name>)`,
    );
  return v;
}

function optionalText(v: unknown, field: string, limit: number): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length > limit)
    throw new SfnApiError('ValidationException', `1 validation error detected: '${field}' must be a string of at most ${limit} characters`);
  return v;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
