// What a deployment file (SAM / CloudFormation template, serverless.yml, a synthesized CDK template)
// declares for each function, as the readers hand it on: values unvalidated, each with the path in the
// file it came from, and values known only once deployed kept as `Unresolved` with the reason. Pure.
import type { NodeBuildProperties } from '../build-properties';

/** A value known only once deployed (`!GetAtt Table.Arn`, `${ssm:/x}`): its expression and why. */
export class Unresolved {
  constructor(
    readonly expr: string,
    /** Why it cannot be evaluated before deploying, e.g. `parameter Secret has no Default`. */
    readonly reason = 'known only once deployed',
  ) {}
}

/** A setting as the file gives it: the value after evaluating intrinsics (unvalidated), and where it is. */
export interface DeclaredValue {
  value: unknown;
  /** Its path in the file (`Globals.Function.MemorySize`), with ` = <expression>` when an intrinsic gave it. */
  from: string;
}

/** What a deployment file sets for one function; absent fields are not set there. */
export interface DeclaredSettings {
  memoryMb?: DeclaredValue;
  timeoutS?: DeclaredValue;
  /** SAM / CloudFormation `Architectures` (a list), or Serverless `architecture` (a string). */
  architecture?: DeclaredValue;
  runtime?: DeclaredValue;
  /**
   * Environment variables by name, function-level ones replacing global ones per key. Numbers and
   * booleans are already strings, as CloudFormation passes them; `from` is the map they are in.
   */
  environment: Record<string, DeclaredValue>;
  /** The whole `Environment` / `Variables` map, when an intrinsic ProPack cannot evaluate gives it. */
  environmentUnresolved?: DeclaredValue;
}

/** A function a deployment file defines: its name, the handler module path and export, and its settings. */
export interface DeclaredFunction {
  functionName: string;
  /** Module path relative to the file's folder (and the SAM CodeUri / CDK asset), without extension: `src/app`. */
  modulePath: string;
  exportName: string;
  /** The file as the caller named it (workspace-relative), for messages and the profile's sources. */
  file: string;
  /** The function's key in the file: the template's logical id, or the `functions` key. */
  key: string;
  settings: DeclaredSettings;
  /** The folder the code is in (SAM `CodeUri`, the CDK asset), relative to the file's folder; esbuild `EntryPoints` are relative to it. */
  codeDir?: string;
  /** How the file says to bundle it (SAM `Metadata.BuildMethod: esbuild`); absent: the bundler's defaults. */
  build?: NodeBuildProperties;
  /** What the file declares that ProPack reads but does not apply (`package.patterns`), one line each. */
  notes?: string[];
}

/** A deployment file that cannot be read; the message is one line naming the file. */
export class DeploymentFileError extends Error {
  override name = 'DeploymentFileError';
}

export type Obj = Record<string, unknown>;

/** `!Ref AWS::NoValue`: the property is removed, as if not written. */
export const NO_VALUE = Symbol('AWS::NoValue');

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unresolved);
}

export function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Turns a value into a resolved one and tells whether the file wrote it as an expression. */
export interface Resolver {
  resolve(v: unknown): unknown;
  isExpression(v: unknown): boolean;
  /** The value's short form for messages (`!GetAtt Table.Arn`). */
  describe(v: unknown): string;
}

/** Splits a handler string `dir/module.export` into module path and export name, under `codeDir`. */
export function splitHandler(handler: string, codeDir = ''): { modulePath: string; exportName: string } | undefined {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1) return undefined;
  const base = codeDir.replace(/^\.?\/?/, '').replace(/\/*$/, '');
  return { modulePath: `${base && base !== '.' ? `${base}/` : ''}${handler.slice(0, dot)}`, exportName: handler.slice(dot + 1) };
}

/** CloudFormation passes numbers and booleans in an environment map as their text. */
function envString(v: unknown): unknown {
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
}

/** A declared value; an intrinsic's expression is kept in `from`, `!Ref AWS::NoValue` means "not set". */
export function declared(raw: unknown, path: string, r: Resolver): DeclaredValue | undefined {
  if (raw === undefined || raw === null) return undefined;
  const value = r.resolve(raw);
  if (value === NO_VALUE) return undefined;
  return { value, from: r.isExpression(raw) ? `${path} = ${typeof raw === 'string' ? raw : r.describe(raw)}` : path };
}

/**
 * Adds the variables of one `environment` map (a map, or an intrinsic giving one) to `out`, later calls
 * replacing earlier ones per key, as SAM merges Globals under a function.
 */
export function addEnvironment(out: DeclaredSettings, raw: unknown, path: string, r: Resolver): void {
  if (raw === undefined || raw === null) return;
  const map = r.resolve(raw);
  if (map === NO_VALUE) return;
  if (map instanceof Unresolved || !isObj(map)) {
    out.environmentUnresolved = {
      value: map instanceof Unresolved ? map : new Unresolved(r.describe(raw), 'not a map of variables'),
      from: path,
    };
    return;
  }
  for (const [name, v] of Object.entries(map)) {
    // `NAME:` with no value is kept (as null) for the deploy step to refuse, as CloudFormation does.
    const d = v === null ? { value: null, from: path } : declared(v, r.isExpression(v) ? `${path}.${name}` : path, r);
    if (d) out.environment[name] = { ...d, value: envString(d.value) };
    else delete out.environment[name];
  }
}

/** Memory, timeout, architecture and runtime as `setting` reads them under a format's key names (in that order); no variables yet. */
export function scalarSettings(
  setting: (key: string) => DeclaredValue | undefined,
  keys: readonly [string, string, string, string],
): DeclaredSettings {
  const settings: DeclaredSettings = { environment: {} };
  const [memoryMb, timeoutS, architecture, runtime] = keys.map(setting);
  if (memoryMb) settings.memoryMb = memoryMb;
  if (timeoutS) settings.timeoutS = timeoutS;
  if (architecture) settings.architecture = architecture;
  if (runtime) settings.runtime = runtime;
  return settings;
}
