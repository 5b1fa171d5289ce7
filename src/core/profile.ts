/** Loads and validates `propack.profile/v1` files; every fault names the file and the field. */
import { MAX_MEMORY_MB, MIN_MEMORY_MB } from './pricing';
import {
  PROFILE_SCHEMA,
  type Architecture,
  type PackingProfile,
  type PackingSample,
  type Profile,
  type ProfileSource,
  type ProfileVariant,
  type Recommendation,
  type ScalingRun,
  type SettingsSource,
} from './types';

/** A profile file that cannot be used; the message says which file and field, and why. */
export class ProfileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    reason: string,
  ) {
    super(`${file}: ${field} ${reason}`);
    this.name = 'ProfileError';
  }
}

type Json = unknown;

class Reader {
  constructor(private readonly file: string) {}

  fail(field: string, reason: string): never {
    throw new ProfileError(this.file, field, reason);
  }

  object(v: Json, field: string): Record<string, Json> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(field, 'must be an object');
    return v as Record<string, Json>;
  }

  array(v: Json, field: string, minLength = 0): Json[] {
    if (!Array.isArray(v)) this.fail(field, 'must be an array');
    if (v.length < minLength) this.fail(field, `must have at least ${minLength} element${minLength === 1 ? '' : 's'}`);
    return v;
  }

  string(v: Json, field: string): string {
    if (typeof v !== 'string' || v.trim() === '') this.fail(field, 'must be a non-empty string');
    return v;
  }

  number(v: Json, field: string, min: number, max = Number.MAX_VALUE, integer = false): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(field, 'must be a finite number');
    if (integer && !Number.isInteger(v)) this.fail(field, 'must be an integer');
    if (v < min || v > max) this.fail(field, `must be between ${min} and ${max}, got ${v}`);
    return v;
  }

  optionalNumber(v: Json, field: string, min: number, max = Number.MAX_VALUE, integer = false): number | undefined {
    return v === undefined ? undefined : this.number(v, field, min, max, integer);
  }

  numbers(v: Json, field: string, min: number, minLength = 1): number[] {
    return this.array(v, field, minLength).map((x, i) => this.number(x, `${field}[${i}]`, min));
  }

  ascending(values: number[], field: string): number[] {
    for (let i = 1; i < values.length; i++) {
      if (values[i] < values[i - 1]) this.fail(`${field}[${i}]`, 'must not be smaller than the value before it (sorted ascending)');
    }
    return values;
  }

  oneOf<T extends string>(v: Json, field: string, allowed: readonly T[]): T {
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      this.fail(field, `must be one of ${allowed.join(', ')}`);
    }
    return v as T;
  }
}

/** Parses profile JSON text; `fileLabel` names the file in errors. Throws ProfileError. */
export function parseProfile(text: string, fileLabel: string): Profile {
  let raw: Json;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ProfileError(fileLabel, '(file)', `is not valid JSON: ${(e as Error).message}`);
  }
  return validateProfile(raw, fileLabel);
}

/** Validates an already parsed profile object. Throws ProfileError. */
export function validateProfile(raw: Json, fileLabel: string): Profile {
  const r = new Reader(fileLabel);
  const o = r.object(raw, '(root)');
  if (o.schema !== PROFILE_SCHEMA) r.fail('schema', `must be "${PROFILE_SCHEMA}"`);

  const fn = r.object(o.function, 'function');
  const memoryMb = r.number(fn.memoryMb, 'function.memoryMb', MIN_MEMORY_MB, MAX_MEMORY_MB, true);
  const architecture = r.oneOf<Architecture>(fn.architecture, 'function.architecture', ['x86_64', 'arm64']);
  const fnOut: Profile['function'] = {
    name: r.string(fn.name, 'function.name'),
    memoryMb,
    architecture,
    region: r.string(fn.region, 'function.region'),
  };
  if (fn.runtime !== undefined) fnOut.runtime = r.string(fn.runtime, 'function.runtime');
  const vcpus = r.optionalNumber(fn.vcpus, 'function.vcpus', 0.05, 64);
  if (vcpus !== undefined) fnOut.vcpus = vcpus;
  // Deployment settings: optional (older profiles have none), read only when present.
  const timeoutS = r.optionalNumber(fn.timeoutS, 'function.timeoutS', 1, 900, true);
  if (timeoutS !== undefined) fnOut.timeoutS = timeoutS;
  if (fn.environmentNames !== undefined)
    fnOut.environmentNames = r
      .array(fn.environmentNames, 'function.environmentNames')
      .map((x, i) => r.string(x, `function.environmentNames[${i}]`));
  if (fn.settingsSource !== undefined) {
    const ss = r.object(fn.settingsSource, 'function.settingsSource');
    const read = (k: keyof SettingsSource): string => r.string(ss[k], `function.settingsSource.${k}`);
    fnOut.settingsSource = {
      memoryMb: read('memoryMb'),
      timeoutS: read('timeoutS'),
      architecture: read('architecture'),
      environment: read('environment'),
    };
  }

  const src = r.object(o.source, 'source');
  const source: Profile['source'] = {
    kind: r.oneOf(src.kind, 'source.kind', ['artifact', 'local', 'aws'] as const),
    createdAt: r.string(src.createdAt, 'source.createdAt'),
    tool: r.string(src.tool, 'source.tool'),
  };
  if (src.detail !== undefined) source.detail = r.string(src.detail, 'source.detail');
  if (src.platform !== undefined) {
    const pl = r.object(src.platform, 'source.platform');
    source.platform = {
      name: r.oneOf(pl.name, 'source.platform.name', ['funcx'] as const),
      workers: r.number(pl.workers, 'source.platform.workers', 1, 1e7, true),
      measuredAt: r.string(pl.measuredAt, 'source.platform.measuredAt'),
    };
  }
  if (src.modelled !== undefined) source.modelled = r.string(src.modelled, 'source.modelled');

  const scaling = r.object(o.scaling, 'scaling');
  const runs = r.array(scaling.runs, 'scaling.runs', 1).map((x, i) => readRun(r, x, `scaling.runs[${i}]`));

  const profile: Profile = {
    schema: PROFILE_SCHEMA,
    function: fnOut,
    source,
    scaling: { runs },
    packing: readPacking(r, o.packing, 'packing'),
  };
  const init = r.optionalNumber(o.initDurationS, 'initDurationS', 0, 900);
  if (init !== undefined) profile.initDurationS = init;
  const limit = r.optionalNumber(o.concurrencyLimit, 'concurrencyLimit', 1, 1e7, true);
  if (limit !== undefined) profile.concurrencyLimit = limit;
  if (o.variants !== undefined) {
    const variants = r.array(o.variants, 'variants').map((x, i) => readVariant(r, x, `variants[${i}]`));
    const configs = new Set([`${memoryMb}/${architecture}`]);
    variants.forEach((v, i) => {
      const key = `${v.memoryMb}/${v.architecture}`;
      if (configs.has(key))
        r.fail(
          `variants[${i}]`,
          `repeats the configuration ${v.memoryMb} MB ${v.architecture} (the function's own or an earlier variant's)`,
        );
      configs.add(key);
    });
    profile.variants = variants;
  }
  if (o.recommendations !== undefined) {
    // Recommendations are derived data: keep well-formed ones, checked loosely, so an older file still loads.
    profile.recommendations = r
      .array(o.recommendations, 'recommendations')
      .map((x, i) => r.object(x, `recommendations[${i}]`) as unknown as Recommendation);
  }
  return profile;
}

function readPacking(r: Reader, x: Json, field: string): PackingProfile {
  const packing = r.object(x, field);
  const samples = r.array(packing.samples, `${field}.samples`, 1).map((s, i) => readSample(r, s, `${field}.samples[${i}]`));
  const degrees = new Set<string>();
  samples.forEach((s, i) => {
    const key = `${s.degree}@${s.concurrency ?? 1}`;
    if (degrees.has(key)) r.fail(`${field}.samples[${i}].degree`, `repeats degree ${s.degree} at the same concurrency`);
    degrees.add(key);
  });
  if (!samples.some((s) => s.degree === 1 && (s.concurrency ?? 1) === 1)) {
    r.fail(`${field}.samples`, 'must include degree 1 measured on an isolated instance (concurrency 1)');
  }
  const cold = r.optionalNumber(packing.coldTaskS, `${field}.coldTaskS`, 0, 900);
  return {
    samples,
    clientOverheadS: r.number(packing.clientOverheadS, `${field}.clientOverheadS`, 0, 60),
    ...(cold !== undefined ? { coldTaskS: cold } : {}),
  };
}

function readVariant(r: Reader, x: Json, field: string): ProfileVariant {
  const o = r.object(x, field);
  const v: ProfileVariant = {
    memoryMb: r.number(o.memoryMb, `${field}.memoryMb`, MIN_MEMORY_MB, MAX_MEMORY_MB, true),
    architecture: r.oneOf<Architecture>(o.architecture, `${field}.architecture`, ['x86_64', 'arm64']),
    packing: readPacking(r, o.packing, `${field}.packing`),
  };
  const vcpus = r.optionalNumber(o.vcpus, `${field}.vcpus`, 0.05, 64);
  if (vcpus !== undefined) v.vcpus = vcpus;
  const init = r.optionalNumber(o.initDurationS, `${field}.initDurationS`, 0, 900);
  if (init !== undefined) v.initDurationS = init;
  return v;
}

function readRun(r: Reader, x: Json, field: string): ScalingRun {
  const o = r.object(x, field);
  const run: ScalingRun = {
    concurrency: r.number(o.concurrency, `${field}.concurrency`, 1, 1e7, true),
    scaleTimeS: r.number(o.scaleTimeS, `${field}.scaleTimeS`, 0),
  };
  if (o.app !== undefined) run.app = r.string(o.app, `${field}.app`);
  const service = r.optionalNumber(o.serviceTimeS, `${field}.serviceTimeS`, 0);
  if (service !== undefined) run.serviceTimeS = service;
  for (const key of ['startOffsetsS', 'completionOffsetsS', 'durationsS'] as const) {
    if (o[key] !== undefined) run[key] = r.ascending(r.numbers(o[key], `${field}.${key}`, 0), `${field}.${key}`);
  }
  const meanDuration = r.optionalNumber(o.meanDurationS, `${field}.meanDurationS`, 0);
  if (meanDuration !== undefined) run.meanDurationS = meanDuration;
  const sampledFrom = r.optionalNumber(o.sampledFrom, `${field}.sampledFrom`, 1, 1e7, true);
  if (sampledFrom !== undefined) run.sampledFrom = sampledFrom;
  const dispatch = r.optionalNumber(o.dispatchLatencyS, `${field}.dispatchLatencyS`, 0);
  if (dispatch !== undefined) run.dispatchLatencyS = dispatch;
  return run;
}

function readSample(r: Reader, x: Json, field: string): PackingSample {
  const o = r.object(x, field);
  const sample: PackingSample = {
    degree: r.number(o.degree, `${field}.degree`, 1, 100000, true),
    timesS: r.numbers(o.timesS, `${field}.timesS`, 0),
  };
  const c = r.optionalNumber(o.concurrency, `${field}.concurrency`, 1, 1e7, true);
  if (c !== undefined) sample.concurrency = c;
  return sample;
}

/** Serializes a profile the way it is stored: two-space JSON, number arrays on one line, trailing newline. */
export function serializeProfile(profile: Profile): string {
  const text = JSON.stringify(profile, null, 2);
  // Keep long number arrays (order statistics) on one line so the file stays readable and diffs stay small.
  return (
    text.replace(/\[\s*\n\s*(-?[\d.e+-]+(?:,\s*\n\s*-?[\d.e+-]+)*)\s*\n\s*\]/g, (_, body: string) => `[${body.split(/,\s*/).join(', ')}]`) +
    '\n'
  );
}

/**
 * Where a profile was measured, for people: "local", "artifact (video)", "aws:default@us-east-1". The
 * detail is shown alone when it already starts with the kind ("local (aws-2021)") and dropped when it
 * only repeats it, so no report says "local: local".
 */
export function describeSource(source: Pick<ProfileSource, 'kind' | 'detail'>): string {
  const detail = source.detail?.trim();
  if (!detail || detail.toLowerCase() === source.kind) return source.kind;
  if (new RegExp(`^${source.kind}\\b`, 'i').test(detail)) return detail;
  return `${source.kind} (${detail})`;
}

/**
 * What a reader must know about where a profile was measured, or undefined: what it models rather than
 * measured (a funcX profile's packing and price came from AWS), or that a Python function profiled on the
 * embedded platform ran on this machine's python3, whose installed packages stood in for what Lambda's
 * runtime (boto3) or a layer would provide.
 */
export function measurementCaveat(profile: Pick<Profile, 'source' | 'function'>): string | undefined {
  if (profile.source.modelled) return profile.source.modelled;
  if (profile.source.kind !== 'local' || !profile.function.runtime?.startsWith('python')) return undefined;
  return `measured with this machine's python3 standing in for Lambda's ${profile.function.runtime}: its installed packages stood for what Lambda's runtime or a layer provides`;
}
