// The `propack.*` settings, read and validated in one place. Pure: the caller passes a getter over
// `vscode.workspace.getConfiguration('propack')`, so the validation is unit-tested without the editor.
import type { Metric, Objective, Weights } from '../core/types';
import { MAX_CONCURRENCY } from '../core/limits';
import { METRICS, OBJECTIVES } from '../core/objectives';
import { isRegionName } from './platform/aws-config';
import { isRoleArn } from '../core/lambda-config';

/** Validated settings; every field has a usable value even when the user's value was rejected. */
export interface ProPackSettings {
  platform: 'local' | 'aws';
  awsProfile: string;
  region: string;
  /** IAM role ARN for functions created on AWS; empty when not set. */
  awsExecutionRole: string;
  /** How Run Packed dispatches: invocations held from the editor, or a Step Functions Distributed Map. */
  dispatch: 'direct' | 'stepfunctions';
  /** The role the Map's state machine runs as on AWS; empty when not set. */
  stateMachineRole: string;
  /** The bucket the Map reads its tasks from and writes results to on AWS; empty when not set. */
  resultBucket: string;
  objective: Objective;
  metric: Metric;
  weights: Weights;
  defaultConcurrency: number;
  maxPackingDegree: number | undefined;
  confirmAboveUSD: number;
  /** Other memory sizes (MB) Profile Function measures packing at, for the memory × p search; empty: none. */
  profileMemorySizes: number[];
}

export const DEFAULT_SETTINGS: ProPackSettings = {
  platform: 'local',
  awsProfile: 'default',
  region: 'us-east-1',
  awsExecutionRole: '',
  dispatch: 'direct',
  stateMachineRole: '',
  resultBucket: '',
  objective: 'both',
  metric: 'net',
  weights: { cost: 0.55, time: 0.45 },
  defaultConcurrency: 1000,
  maxPackingDegree: undefined,
  confirmAboveUSD: 1,
  profileMemorySizes: [],
};

/** Settings and one message per rejected value, naming the setting, what was wrong and what is used. */
export function readSettings(get: (key: string) => unknown): { settings: ProPackSettings; problems: string[] } {
  const problems: string[] = [];
  const s: ProPackSettings = { ...DEFAULT_SETTINGS, weights: { ...DEFAULT_SETTINGS.weights }, profileMemorySizes: [] };
  const reject = (key: string, why: string, using: unknown): void => {
    problems.push(`propack.${key}: ${why}; using ${JSON.stringify(using)}.`);
  };
  const pick = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const v = get(key);
    if (v === undefined || v === null || v === '') return fallback;
    if (allowed.includes(v as T)) return v as T;
    reject(key, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`, fallback);
    return fallback;
  };
  const num = (key: string, ok: (n: number) => boolean, rule: string, fallback: number): number => {
    const v = get(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'number' && Number.isFinite(v) && ok(v)) return v;
    reject(key, `must be ${rule}, got ${JSON.stringify(v)}`, fallback);
    return fallback;
  };
  s.platform = pick('platform', ['local', 'aws'] as const, s.platform);
  s.objective = pick('objective', OBJECTIVES, s.objective);
  s.metric = pick('metric', METRICS, s.metric);
  const profile = get('awsProfile');
  if (typeof profile === 'string' && profile.trim()) s.awsProfile = profile.trim();
  const roleSetting = (key: 'awsExecutionRole' | 'stateMachineRole'): void => {
    const role = get(key);
    if (typeof role !== 'string' || !role.trim()) return;
    if (isRoleArn(role.trim())) s[key] = role.trim();
    else reject(key, `"${role}" is not an IAM role ARN like arn:aws:iam::123456789012:role/name`, '');
  };
  roleSetting('awsExecutionRole');
  roleSetting('stateMachineRole');
  s.dispatch = pick('dispatch', ['direct', 'stepfunctions'] as const, s.dispatch);
  const bucket = get('resultBucket');
  if (typeof bucket === 'string' && bucket.trim()) {
    if (/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket.trim())) s.resultBucket = bucket.trim();
    else reject('resultBucket', `"${bucket}" is not an S3 bucket name (3 to 63 of a-z, 0-9, . and -)`, '');
  }
  const region = get('region');
  if (typeof region === 'string' && region.trim()) {
    if (isRegionName(region.trim())) s.region = region.trim();
    else reject('region', `"${region}" is not an AWS region name like us-east-1`, s.region);
  }
  s.defaultConcurrency = num(
    'defaultConcurrency',
    (n) => Number.isInteger(n) && n >= 1 && n <= MAX_CONCURRENCY,
    `a whole number from 1 to ${MAX_CONCURRENCY}`,
    s.defaultConcurrency,
  );
  const maxDegree = num(
    'maxPackingDegree',
    (n) => Number.isInteger(n) && n >= 0 && n <= 1000,
    'a whole number from 0 (no limit) to 1000',
    0,
  );
  s.maxPackingDegree = maxDegree > 0 ? maxDegree : undefined;
  s.confirmAboveUSD = num('confirmAboveUSD', (n) => n >= 0, 'a number of US dollars, 0 or more', s.confirmAboveUSD);
  const sizes = get('profileMemorySizes');
  if (sizes !== undefined && sizes !== null) {
    if (
      Array.isArray(sizes) &&
      sizes.length <= 8 &&
      sizes.every((m) => typeof m === 'number' && Number.isInteger(m) && m >= 128 && m <= 10240)
    ) {
      s.profileMemorySizes = [...new Set(sizes as number[])].sort((a, b) => a - b);
    } else {
      reject(
        'profileMemorySizes',
        `must be a list of at most 8 whole numbers of MB from 128 to 10240, got ${JSON.stringify(sizes)}`,
        s.profileMemorySizes,
      );
    }
  }
  const w = get('weights');
  if (w !== undefined && w !== null) {
    const o = w as Partial<Record<string, unknown>>;
    const cost = o.cost;
    const time = o.time;
    if (typeof w === 'object' && typeof cost === 'number' && typeof time === 'number' && cost >= 0 && time >= 0 && cost + time > 0) {
      s.weights = { cost: cost / (cost + time), time: time / (cost + time) };
    } else {
      reject('weights', `must be {"cost": a, "time": b} with a, b ≥ 0 and not both 0, got ${JSON.stringify(w)}`, s.weights);
    }
  }
  return { settings: s, problems };
}
