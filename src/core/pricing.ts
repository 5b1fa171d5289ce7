/** AWS Lambda on-demand pricing: compute by GB-second and architecture, 1 ms billing, request fee. */
import { MAX_MEMORY_MB, MAX_VCPUS, MB_PER_VCPU, MIN_MEMORY_MB } from './lambda-limits';
import type { Architecture } from './types';

export interface LambdaPrice {
  /** USD per GB-second of billed duration. */
  gbSecondUsd: Record<Architecture, number>;
  /** USD per request. */
  requestUsd: number;
}

/** us-east-1 and most regions (x86 $0.0000166667/GB-s, arm64 $0.0000133334/GB-s, $0.20 per million requests). */
export const DEFAULT_PRICE: LambdaPrice = {
  gbSecondUsd: { x86_64: 0.0000166667, arm64: 0.0000133334 },
  requestUsd: 0.2 / 1e6,
};

/** Regions whose Lambda price differs from the default, as data (USD). */
export const REGION_PRICES: Readonly<Record<string, LambdaPrice>> = {
  'af-south-1': { gbSecondUsd: { x86_64: 0.0000221, arm64: 0.0000177 }, requestUsd: 0.27 / 1e6 },
  'me-central-1': { gbSecondUsd: { x86_64: 0.0000206667, arm64: 0.0000165334 }, requestUsd: 0.25 / 1e6 },
  'ap-east-1': { gbSecondUsd: { x86_64: 0.00002865, arm64: 0.0000229 }, requestUsd: 0.25 / 1e6 },
  'eu-south-1': { gbSecondUsd: { x86_64: 0.0000195172, arm64: 0.0000156138 }, requestUsd: 0.23 / 1e6 },
};

/**
 * Billing rules that changed, as data with the day they took effect. Since 2025-08-01 Lambda bills the INIT
 * phase (the cold start) of on-demand functions on managed runtimes with ZIP packages as it bills duration;
 * before, it was free for them. ProPack prices today's rules: every cold start bills its init.
 */
export const BILLING_RULES = {
  initBilled: { since: '2025-08-01', what: 'the INIT phase of on-demand functions (managed runtimes, ZIP packages) is billed' },
} as const;

/** The price list for a region, falling back to the default. */
export function priceFor(region: string): LambdaPrice {
  return REGION_PRICES[region] ?? DEFAULT_PRICE;
}

// Defined in lambda-limits.ts (which the runtime shares); re-exported where the pricing lives.
export { MAX_MEMORY_MB, MAX_VCPUS, MB_PER_VCPU, MIN_MEMORY_MB };

/** The vCPU share of an instance with `memoryMb`: 1,769 MB per vCPU up to five, then six at 10,240 MB. */
export function vcpusForMemory(memoryMb: number): number {
  const five = 5 * MB_PER_VCPU;
  if (memoryMb <= five) return memoryMb / MB_PER_VCPU;
  return Math.min(MAX_VCPUS, 5 + (memoryMb - five) / (MAX_MEMORY_MB - five));
}

export interface InvocationBill {
  /** Duration the function ran (s). */
  durationS: number;
  /** Init (cold start) duration Lambda bills for this instance (s); 0 when warm. */
  initDurationS?: number;
}

/** Cost (USD) of one invocation: billed duration rounded up to 1 ms, times GB, plus the request fee. */
export function invocationCostUsd(
  bill: InvocationBill,
  memoryMb: number,
  architecture: Architecture,
  price: LambdaPrice = DEFAULT_PRICE,
): number {
  const billedMs = Math.ceil((bill.durationS + (bill.initDurationS ?? 0)) * 1000 - 1e-9);
  return (Math.max(0, billedMs) / 1000) * (memoryMb / 1024) * price.gbSecondUsd[architecture] + price.requestUsd;
}
