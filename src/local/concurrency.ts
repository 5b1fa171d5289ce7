import { LambdaApiError } from './lambda-error';
import type { StoredFunction } from './function-store';

/** Lambda's concurrency accounting: reserved per function, the rest of the account shared by the others. */
export class ConcurrencyLimits {
  private readonly inflight = new Map<string, number>();
  private unreservedInflight = 0;

  constructor(
    readonly account: number,
    private readonly functions: Map<string, StoredFunction>,
  ) {}

  /** The 429 Lambda would answer for one more execution of `fn`, or undefined when it may run. */
  check(fn: StoredFunction): LambdaApiError | undefined {
    const name = fn.config.FunctionName;
    if (fn.reserved !== undefined) {
      if ((this.inflight.get(name) ?? 0) >= fn.reserved) return tooMany('ReservedFunctionConcurrentInvocationLimitExceeded');
      return undefined;
    }
    let reservedTotal = 0;
    for (const f of this.functions.values()) reservedTotal += f.reserved ?? 0;
    if (this.unreservedInflight >= this.account - reservedTotal) return tooMany('ConcurrentInvocationLimitExceeded');
    return undefined;
  }

  /** Counts one execution of `fn` as started. */
  enter(fn: StoredFunction): void {
    const name = fn.config.FunctionName;
    this.inflight.set(name, (this.inflight.get(name) ?? 0) + 1);
    if (fn.reserved === undefined) this.unreservedInflight++;
  }

  /** Counts one execution of `fn` as finished (pass the same reserved state it entered with). */
  leave(name: string, wasReserved: boolean): void {
    this.inflight.set(name, (this.inflight.get(name) ?? 1) - 1);
    if (!wasReserved) this.unreservedInflight--;
  }

  /** Executions in flight over the whole account. */
  total(): number {
    let n = 0;
    for (const v of this.inflight.values()) n += v;
    return n;
  }
}

function tooMany(reason: string): LambdaApiError {
  return new LambdaApiError(429, 'TooManyRequestsException', 'Rate Exceeded.', { Reason: reason });
}
