// The settings a workspace function is deployed and profiled with: what its template.yaml /
// serverless.yml declares, checked as Lambda checks it, else ProPack's defaults; and where each came
// from, for the profile. Pure (no `vscode`).
import { architecturesProblem, environmentProblem, memorySizeProblem, RESERVED_ENV_KEYS, timeoutProblem } from '../../core/lambda-config';
import { MB_PER_VCPU } from '../../core/pricing';
import type { Architecture, FunctionConfig, SettingsSource } from '../../core/types';
import { Unresolved, type DeclaredFunction, type DeclaredValue } from '../../core/templates/declared';

/** Memory of functions no file configures: one full vCPU (Lambda gives one per 1,769 MB). */
export const DEFAULT_MEMORY_MB = MB_PER_VCPU;
/** Timeout of functions no file configures: room for a packed instance's several tasks. */
export const DEFAULT_TIMEOUT_S = 300;
export const DEFAULT_ARCHITECTURE: Architecture = 'x86_64';
export const DEFAULT_SOURCE = 'default';

/** A function's validated settings and their sources. */
export interface FunctionSettings {
  memoryMb: number;
  timeoutS: number;
  architecture: Architecture;
  /** The variables the file declares with a value known before deploying. */
  environment: Record<string, string>;
  sources: SettingsSource;
}

/** A declared value Lambda would refuse; the message names the file, the function and the field. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** CloudFormation takes an integer property given as text ("1024"), as parameters always are. */
function integer(v: unknown): unknown {
  return typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
}

/**
 * The settings `declared` gives, else the defaults (no file, or a field the file leaves out). A field
 * whose value an intrinsic gives and ProPack cannot evaluate takes the default, and its source says so.
 * Throws SettingsError (one line, every bad field) when a value is one Lambda would reject.
 */
export function functionSettings(declared: DeclaredFunction | undefined): FunctionSettings {
  if (!declared)
    return {
      memoryMb: DEFAULT_MEMORY_MB,
      timeoutS: DEFAULT_TIMEOUT_S,
      architecture: DEFAULT_ARCHITECTURE,
      environment: {},
      sources: { memoryMb: DEFAULT_SOURCE, timeoutS: DEFAULT_SOURCE, architecture: DEFAULT_SOURCE, environment: 'none' },
    };
  const { file, settings } = declared;
  const problems: string[] = [];
  const fieldName = (d: DeclaredValue): string => d.from.split(' = ')[0];
  const take = <T>(
    d: DeclaredValue | undefined,
    fallback: T,
    check: (v: unknown) => string | undefined,
    convert: (v: unknown) => unknown = (v) => v,
  ): [T, string] => {
    if (!d) return [fallback, DEFAULT_SOURCE];
    if (d.value instanceof Unresolved)
      return [fallback, `${DEFAULT_SOURCE} (${file}: ${d.from} is not known before deploying: ${d.value.reason})`];
    const value = convert(d.value);
    const problem = check(value);
    if (problem) problems.push(`${fieldName(d)} ${problem}`);
    return [value as T, `${file} (${d.from})`];
  };
  const [memoryMb, memorySource] = take(settings.memoryMb, DEFAULT_MEMORY_MB, memorySizeProblem, integer);
  const [timeoutS, timeoutSource] = take(settings.timeoutS, DEFAULT_TIMEOUT_S, timeoutProblem, integer);
  // Serverless gives one architecture as a string; SAM and CloudFormation a list of one.
  const [architectures, architectureSource] = take<unknown[]>(settings.architecture, [DEFAULT_ARCHITECTURE], architecturesProblem, (v) =>
    typeof v === 'string' ? [v] : v,
  );

  const environment: Record<string, string> = {};
  const byOrigin = new Map<string, string[]>();
  const unknown: string[] = [];
  for (const [name, d] of Object.entries(settings.environment)) {
    if (d.value instanceof Unresolved) {
      unknown.push(name);
      continue;
    }
    environment[name] = d.value as string;
    const field = fieldName(d);
    // An intrinsic's `from` names the variable itself (`...Variables.TABLE = !Ref T`); the map is its parent.
    const origin = d.from.includes(' = ') && field.endsWith(`.${name}`) ? field.slice(0, -name.length - 1) : field;
    byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), name]);
  }
  const envProblem = environmentProblem(environment);
  if (envProblem) problems.push(`${[...byOrigin.keys()].join(' + ')} ${envProblem}`);
  if (problems.length > 0) throw new SettingsError(`${file}: function ${declared.key}: ${problems.join('; ')}`);

  const parts = [...byOrigin].map(([origin, names]) => `${origin}: ${names.join(', ')}`);
  if (unknown.length > 0) parts.push(`not set, known only when deployed: ${unknown.join(', ')}`);
  if (settings.environmentUnresolved) parts.push(`not set, known only when deployed: ${settings.environmentUnresolved.from}`);
  return {
    memoryMb: memoryMb as number,
    timeoutS: timeoutS as number,
    architecture: architectures[0] as Architecture,
    environment,
    sources: {
      memoryMb: memorySource,
      timeoutS: timeoutSource,
      architecture: architectureSource,
      environment: parts.length > 0 ? `${file} (${parts.join('; ')})` : 'none',
    },
  };
}

/**
 * The variables a function is deployed with: the user's, with ProPack's own (the local S3 endpoint)
 * taking their keys. ProPack's keys must not be ones the Lambda runtime reserves.
 */
export function deployEnvironment(
  settings: FunctionSettings,
  own: Record<string, string>,
): { variables: Record<string, string>; source: string } {
  for (const k of Object.keys(own)) if (RESERVED_ENV_KEYS.has(k)) throw new Error(`ProPack may not set the reserved variable ${k}`);
  const overridden = Object.keys(own).filter((k) => k in settings.environment);
  const ownNames = Object.keys(own);
  const source = [
    settings.sources.environment === 'none' && ownNames.length > 0 ? undefined : settings.sources.environment,
    ownNames.length > 0
      ? `ProPack: ${ownNames.join(', ')}${overridden.length > 0 ? ` (replacing the file's ${overridden.join(', ')})` : ''}`
      : undefined,
  ]
    .filter(Boolean)
    .join('; ');
  return { variables: { ...settings.environment, ...own }, source };
}

/**
 * What a deployment file gives a workspace function, a line each, for the tree's tooltip before it is
 * profiled: each setting and its source, the bundling settings, the notes; the problem when Lambda would refuse a value.
 */
export function declaredSettingsSummary(declared: DeclaredFunction): string[] {
  const head = `settings from ${declared.file} (${declared.key})`;
  let s: FunctionSettings;
  try {
    s = functionSettings(declared);
  } catch (e) {
    return [head, `cannot be deployed as declared: ${(e as Error).message}`];
  }
  const runtime = declared.settings.runtime;
  const build = declared.build;
  return [
    head,
    `memory ${s.memoryMb} MB: ${s.sources.memoryMb}`,
    `timeout ${s.timeoutS} s: ${s.sources.timeoutS}`,
    `architecture ${s.architecture}: ${s.sources.architecture}`,
    `environment: ${s.sources.environment}`,
    ...(runtime
      ? [
          `runtime ${runtime.value instanceof Unresolved ? `unknown (${runtime.value.reason})` : String(runtime.value)}: ${declared.file} (${runtime.from})`,
        ]
      : []),
    ...(build
      ? [
          `esbuild: ${
            Object.entries(build)
              .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') : String(v)}`)
              .join(', ') || 'defaults'
          }`,
        ]
      : []),
    ...(declared.notes ?? []).map((n) => `note: ${n}`),
  ];
}

/** Each deployed setting and where it came from, a line each; none for profiles without sources. */
export function settingsSummary(fn: FunctionConfig): string[] {
  const src = fn.settingsSource;
  if (!src) return [];
  return [
    `memory ${fn.memoryMb} MB: ${src.memoryMb}`,
    `timeout${fn.timeoutS !== undefined ? ` ${fn.timeoutS} s` : ''}: ${src.timeoutS}`,
    `architecture ${fn.architecture}: ${src.architecture}`,
    `environment: ${src.environment}`,
  ];
}
