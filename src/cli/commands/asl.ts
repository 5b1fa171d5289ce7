/** `propack asl --function F --concurrency C --packing-degree p ...`: the Distributed Map of a packed run, as ASL or SAM. */
import { SFN_LIMITS } from '../../core/step-functions';
import { isRoleArn } from '../../core/lambda-config';
import { packedStateMachine, samSnippet } from '../../engine/state-machine';
import { choice, parseArgs, positiveInt, required, UsageError } from '../args';

export const ASL_HELP = `Usage: propack asl --function F --concurrency C --packing-degree p [--bucket B]
                   [--account-concurrency N] [--mode async|threads] [--sam [--role ARN]]

Prints the Step Functions state machine (ASL JSON) propack run --dispatch stepfunctions uses to run C tasks
packed p per invocation of F: a Distributed Map reads the tasks (a JSON array of {"id", "payload"}) from
the object the execution input names, hands p of them to each invocation (ItemBatcher, with ProPack's
packed marker in BatchInput), runs at most ceil(C/p) invocations at once (within N and Step Functions'
${SFN_LIMITS.maxConcurrency.toLocaleString('en-US')}), retries throttling with backoff and writes every batch's packed response where the input says.
Start an execution with the input
  {"items": {"bucket": B, "key": "<tasks>.json"}, "results": {"bucket": B, "prefix": "<folder>"}}
and read the results from the manifest.json its output names (ResultWriterDetails).
  --bucket               with --sam: the bucket the policies grant (default propack-runs)
  --account-concurrency  concurrent executions the account (or F's reservation) allows (default 1000)
  --mode                 how a batch's tasks share the instance (default: the mode F was deployed with)
  --sam                  print a SAM template fragment instead: an AWS::Serverless::StateMachine with the
                         definition and the policies a Distributed Map needs (invoke F, read the tasks,
                         write the results, start and stop its own child executions)
  --role                 with --sam: use this existing role instead of the policies
Nothing is deployed or run.`;

const DEFAULT_BUCKET = 'propack-runs';
const DEFAULT_ACCOUNT_CONCURRENCY = 1000;
/** S3's bucket naming rules (general purpose buckets): 3 to 63 lowercase letters, digits, dots and hyphens. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** What the engine refuses here (a run id with a slash, say) is the user's input: exit 2, not 1. */
function asInput<T>(cmd: string, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (e instanceof TypeError || e instanceof RangeError) throw new UsageError(`${cmd}: ${e.message}`);
    throw e;
  }
}

/** Runs the command; returns the exit code. */
export function runAsl(argv: string[], out: (s: string) => void): number {
  const cmd = 'asl';
  const args = parseArgs(cmd, argv, {
    values: ['function', 'concurrency', 'packing-degree', 'bucket', 'account-concurrency', 'mode', 'role'],
    booleans: ['sam'],
  });
  const functionName = required(args, cmd, 'function');
  const concurrency = positiveInt(args, cmd, 'concurrency', 100_000_000);
  const packingDegree = positiveInt(args, cmd, 'packing-degree', 100_000);
  if (packingDegree > concurrency) throw new UsageError(`${cmd}: --packing-degree ${packingDegree} exceeds --concurrency ${concurrency}`);
  const accountConcurrency = positiveInt(args, cmd, 'account-concurrency', 1_000_000, DEFAULT_ACCOUNT_CONCURRENCY);
  const mode = args.flags.has('mode') ? choice(args, cmd, 'mode', ['async', 'threads'] as const) : undefined;
  const bucket = args.flags.get('bucket') ?? DEFAULT_BUCKET;
  if (!BUCKET_NAME.test(bucket))
    throw new UsageError(`${cmd}: --bucket must be an S3 bucket name (3 to 63 lowercase letters, digits, "." or "-"), got "${bucket}"`);
  const sam = args.booleans.has('sam');
  const roleArn = args.flags.get('role');
  if (roleArn !== undefined && !sam) throw new UsageError(`${cmd}: --role is the state machine's role in the --sam snippet; add --sam`);
  if (roleArn !== undefined && !isRoleArn(roleArn))
    throw new UsageError(`${cmd}: --role must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got "${roleArn}"`);
  const machine = asInput(cmd, () =>
    packedStateMachine({ functionName, concurrency, packingDegree, accountConcurrency, ...(mode ? { mode } : {}) }),
  );
  if (!sam) {
    out(JSON.stringify(machine.definition, null, 2));
    return 0;
  }
  out(samSnippet(machine.definition, { stateMachineName: machine.name, bucket, ...(roleArn ? { roleArn } : {}) }).trimEnd());
  return 0;
}
