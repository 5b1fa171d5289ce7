// Reads function definitions from SAM / CloudFormation templates (`template.yaml`) and Serverless
// Framework files (`serverless.yml`) with the `yaml` parser: which file and export each function's handler
// names, and the settings the file gives it (MemorySize, Timeout, Architectures, Environment, Runtime).
// CloudFormation's short-form tags (!Ref, !Sub, !GetAtt, !If, !Join, ...) parse into their long forms;
// the intrinsics that can be evaluated before a deployment (parameter defaults, !Sub, !Join, !Select,
// !Split, !FindInMap, !If on conditions over those) are, the others stay `Unresolved`. Multi-document
// files, anchors, aliases and merge keys are the parser's. Values are not validated here: the deploy step
// checks them as Lambda would and names the file, function and field. Pure (no `vscode`).
import { parseAllDocuments, type CollectionTag, type ScalarTag, type YAMLMap, type YAMLSeq } from 'yaml';

/** An intrinsic (or Serverless variable) whose value is known only once deployed: `!GetAtt Table.Arn`. */
export class Unresolved {
  constructor(readonly expr: string) {}
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
  /** Module path relative to the file's folder (and the SAM CodeUri), without extension: `src/app`. */
  modulePath: string;
  exportName: string;
  /** The file as the caller named it (workspace-relative), for messages and the profile's sources. */
  file: string;
  /** The function's key in the file: the template's logical id, or the `functions` key. */
  key: string;
  settings: DeclaredSettings;
}

/** A deployment file that cannot be read; the message is one line naming the file. */
export class DeploymentFileError extends Error {
  override name = 'DeploymentFileError';
}

// ---------------------------------------------------------------- YAML with CloudFormation's tags

/** Short-form tags and the long-form key each stands for (`!Ref` → `Ref`, `!Sub` → `Fn::Sub`). */
const CFN_TAGS: Record<string, string> = Object.fromEntries([
  ['Ref', 'Ref'], ['Condition', 'Condition'],
  ...['Sub', 'GetAtt', 'If', 'Join', 'Select', 'Split', 'FindInMap', 'Base64', 'Cidr', 'Equals', 'And', 'Or', 'Not', 'ImportValue', 'GetAZs', 'Transform', 'Length', 'ToJsonString'].map((n) => [n, `Fn::${n}`]),
]);

/** Each tag for each node kind it may carry (a scalar, a list, a map), resolved to its long form. */
const CUSTOM_TAGS: (ScalarTag | CollectionTag)[] = Object.entries(CFN_TAGS).flatMap(([short, long]) => {
  const tag = `!${short}`;
  const scalar: ScalarTag = { tag, resolve: (value: string) => ({ [long]: value }) };
  const seq: CollectionTag = { tag, collection: 'seq', resolve: (node) => ({ [long]: (node as YAMLSeq).toJSON() }) as never };
  const map: CollectionTag = { tag, collection: 'map', resolve: (node) => ({ [long]: (node as YAMLMap).toJSON() }) as never };
  return [scalar, seq, map];
});

/** The documents of a YAML file as plain values; throws DeploymentFileError (one line) when it is not YAML. */
function yamlDocuments(text: string, file: string): unknown[] {
  // An empty file parses to an empty list (yaml's EmptyStream).
  const list = [...parseAllDocuments(text, { customTags: CUSTOM_TAGS, merge: true })];
  for (const d of list) {
    const e = d.errors[0];
    if (e) {
      const where = e.linePos ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : '';
      throw new DeploymentFileError(`${file}: not valid YAML${where}: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
    }
  }
  try {
    return list.map((d) => d.toJS({ maxAliasCount: 1000 }) as unknown);
  } catch (e) {
    throw new DeploymentFileError(`${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

// ---------------------------------------------------------------- CloudFormation intrinsics

type Obj = Record<string, unknown>;
const NO_VALUE = Symbol('AWS::NoValue');
const MAX_DEPTH = 32;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unresolved);
}

/** `[name, argument]` of an intrinsic function object (`{ "Fn::Sub": ... }`, `{ Ref: ... }`). */
function intrinsicOf(v: unknown, conditions = false): [string, unknown] | undefined {
  if (!isObj(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1) return undefined;
  const k = keys[0];
  return k === 'Ref' || k.startsWith('Fn::') || (conditions && k === 'Condition') ? [k, v[k]] : undefined;
}

/** The short form of a value for messages: `!GetAtt Table.Arn`, `!If [IsProd, 3008, 1024]`. */
function describe(v: unknown): string {
  const s = flow(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function flow(v: unknown): string {
  const fn = intrinsicOf(v, true);
  if (fn) {
    const [name, arg] = fn;
    return `!${name.replace(/^Fn::/, '')} ${name === 'Fn::GetAtt' && Array.isArray(arg) ? arg.join('.') : flow(arg)}`;
  }
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (v instanceof Unresolved) return v.expr;
  if (isObj(v)) return `{${Object.entries(v).map(([k, x]) => `${k}: ${flow(x)}`).join(', ')}}`;
  if (typeof v === 'string') return v === '' || /[,[\]{}#]|: |^\s|\s$/.test(v) ? JSON.stringify(v) : v;
  return String(v);
}

interface Scope {
  parameters: Obj;
  mappings: Obj;
  conditions: Obj;
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** The value of `v` with its intrinsics evaluated where that needs no deployment (shallow for plain maps). */
function evaluate(v: unknown, s: Scope, depth = 0): unknown {
  const fn = intrinsicOf(v);
  if (!fn) return v;
  const out = depth > MAX_DEPTH ? undefined : evaluateFn(fn[0], fn[1], s, depth + 1);
  return out === undefined || out instanceof Unresolved ? new Unresolved(describe(v)) : out;
}

/** undefined (or Unresolved) when it cannot be evaluated statically. */
function evaluateFn(name: string, arg: unknown, s: Scope, depth: number): unknown {
  const ev = (x: unknown): unknown => evaluate(x, s, depth);
  const args = Array.isArray(arg) ? arg : undefined;
  switch (name) {
    case 'Ref':
      return typeof arg === 'string' ? ref(arg, s) : undefined;
    case 'Fn::Sub': {
      const [template, vars] = typeof arg === 'string' ? [arg, {}] : args && args.length === 2 ? [ev(args[0]), ev(args[1])] : [undefined, undefined];
      if (typeof template !== 'string' || !isObj(vars)) return undefined;
      let failed = false;
      const text = template.replace(/\$\{([^}]*)\}/g, (_, body: string) => {
        if (body.startsWith('!')) return `\${${body.slice(1)}}`;
        const value = body in vars ? ev(vars[body]) : body.includes('.') ? undefined : ref(body, s);
        if (!isScalar(value)) failed = true;
        return String(value);
      });
      return failed ? undefined : text;
    }
    case 'Fn::Join': {
      if (!args || args.length !== 2) return undefined;
      const [delimiter, list] = [ev(args[0]), ev(args[1])];
      if (typeof delimiter !== 'string' || !Array.isArray(list)) return undefined;
      const parts = list.map(ev);
      return parts.every(isScalar) ? parts.map(String).join(delimiter) : undefined;
    }
    case 'Fn::Select': {
      if (!args || args.length !== 2) return undefined;
      const [index, list] = [Number(ev(args[0])), ev(args[1])];
      return Array.isArray(list) && Number.isInteger(index) && index >= 0 && index < list.length ? ev(list[index]) : undefined;
    }
    case 'Fn::Split': {
      if (!args || args.length !== 2) return undefined;
      const [delimiter, text] = [ev(args[0]), ev(args[1])];
      return typeof delimiter === 'string' && typeof text === 'string' ? text.split(delimiter) : undefined;
    }
    case 'Fn::FindInMap': {
      if (!args || args.length < 3) return undefined;
      const keys = args.slice(0, 3).map(ev);
      if (!keys.every(isScalar)) return undefined;
      const top = s.mappings[String(keys[0])];
      const second = isObj(top) ? top[String(keys[1])] : undefined;
      const hit = isObj(second) ? second[String(keys[2])] : undefined;
      return hit === undefined ? (args[3] !== undefined && isObj(args[3]) && 'DefaultValue' in args[3] ? ev(args[3].DefaultValue) : undefined) : ev(hit);
    }
    case 'Fn::If': {
      if (!args || args.length !== 3 || typeof args[0] !== 'string') return undefined;
      const c = condition(args[0], s, depth);
      return c === undefined ? undefined : ev(c ? args[1] : args[2]);
    }
    default:
      // GetAtt, ImportValue, GetAZs, Base64, Cidr, Transform, Length, ToJsonString: known only once deployed.
      return undefined;
  }
}

const PARAMETER_LIST_TYPE = /^(CommaDelimitedList|List<.*>)$/;

function ref(name: string, s: Scope): unknown {
  if (name === 'AWS::NoValue') return NO_VALUE;
  const p = s.parameters[name];
  if (!isObj(p) || p.Default === undefined) return undefined; // a resource, a pseudo parameter, or no default
  return typeof p.Type === 'string' && PARAMETER_LIST_TYPE.test(p.Type) ? String(p.Default).split(',').map((x) => x.trim()) : p.Default;
}

/** A condition's truth, by name or expression; undefined when it depends on something unknown. */
function condition(v: unknown, s: Scope, depth: number): boolean | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (typeof v === 'string') return v in s.conditions ? condition(s.conditions[v], s, depth + 1) : undefined;
  if (typeof v === 'boolean') return v;
  const fn = intrinsicOf(v, true);
  if (!fn) return undefined;
  const [name, arg] = fn;
  const list = Array.isArray(arg) ? arg : [];
  const each = (): (boolean | undefined)[] => list.map((x) => condition(x, s, depth + 1));
  switch (name) {
    case 'Condition':
      return condition(arg, s, depth + 1);
    case 'Fn::Equals': {
      const [a, b] = list.map((x) => evaluate(x, s, depth + 1));
      return list.length === 2 && isScalar(a) && isScalar(b) ? String(a) === String(b) : undefined;
    }
    case 'Fn::Not': {
      const [c] = each();
      return list.length === 1 && c !== undefined ? !c : undefined;
    }
    case 'Fn::And':
    case 'Fn::Or': {
      const cs = each();
      if (cs.includes(undefined)) return undefined;
      return name === 'Fn::And' ? cs.every(Boolean) : cs.some(Boolean);
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------- functions and their settings

/** Splits a handler string `dir/module.export` into module path and export name. */
function splitHandler(handler: string, codeDir = ''): { modulePath: string; exportName: string } | undefined {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1) return undefined;
  const base = codeDir.replace(/^\.?\/?/, '').replace(/\/*$/, '');
  return { modulePath: `${base ? `${base}/` : ''}${handler.slice(0, dot)}`, exportName: handler.slice(dot + 1) };
}

/** CloudFormation passes numbers and booleans in an environment map as their text. */
function envString(v: unknown): unknown {
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
}

/** A declared value; an intrinsic's expression is kept in `from`, `!Ref AWS::NoValue` means "not set". */
function declared(raw: unknown, path: string, resolve: (v: unknown) => unknown, isExpression: (v: unknown) => boolean): DeclaredValue | undefined {
  if (raw === undefined || raw === null) return undefined;
  const value = resolve(raw);
  if (value === NO_VALUE) return undefined;
  return { value, from: isExpression(raw) ? `${path} = ${typeof raw === 'string' ? raw : describe(raw)}` : path };
}

/**
 * Adds the variables of one `environment` map (a map, or an intrinsic giving one) to `out`, later calls
 * replacing earlier ones per key, as SAM merges Globals under a function.
 */
function addEnvironment(out: DeclaredSettings, raw: unknown, path: string, resolve: (v: unknown) => unknown, isExpression: (v: unknown) => boolean): void {
  if (raw === undefined || raw === null) return;
  const map = resolve(raw);
  if (map === NO_VALUE) return;
  if (map instanceof Unresolved || !isObj(map)) {
    out.environmentUnresolved = { value: map instanceof Unresolved ? map : new Unresolved(describe(raw)), from: path };
    return;
  }
  for (const [name, v] of Object.entries(map)) {
    // `NAME:` with no value is kept (as null) for the deploy step to refuse, as CloudFormation does.
    const d = v === null ? { value: null, from: path } : declared(v, isExpression(v) ? `${path}.${name}` : path, resolve, isExpression);
    if (d) out.environment[name] = { ...d, value: envString(d.value) };
    else delete out.environment[name];
  }
}

function scopeOf(doc: Obj): Scope {
  const o = (v: unknown): Obj => (isObj(v) ? v : {});
  return { parameters: o(doc.Parameters), mappings: o(doc.Mappings), conditions: o(doc.Conditions) };
}

/** The top-level maps of a file's documents; a document that is not a map is an error. */
function documentMaps(text: string, file: string): Obj[] {
  return yamlDocuments(text, file).flatMap((d, i, all) => {
    if (d === null || d === undefined) return [];
    if (!isObj(d)) throw new DeploymentFileError(`${file}: ${all.length > 1 ? `document ${i + 1}` : 'the file'} is not a YAML mapping`);
    return [d];
  });
}

/**
 * Functions of a SAM or CloudFormation template: `AWS::Serverless::Function` (with `Globals.Function`
 * merged under its Properties) and `AWS::Lambda::Function` (with a local `Code` folder). Functions whose
 * code is not a local folder (S3, inline, an image) are left out: no workspace file is theirs.
 * Throws DeploymentFileError when the file is not YAML.
 */
export function parseSamTemplate(text: string, file = 'template.yaml'): DeclaredFunction[] {
  const out: DeclaredFunction[] = [];
  for (const doc of documentMaps(text, file)) {
    const s = scopeOf(doc);
    const resolve = (v: unknown): unknown => evaluate(v, s);
    const isExpression = (v: unknown): boolean => intrinsicOf(v) !== undefined;
    const globals = isObj(doc.Globals) && isObj(doc.Globals.Function) ? doc.Globals.Function : {};
    const resources = isObj(doc.Resources) ? doc.Resources : {};
    for (const [id, resource] of Object.entries(resources)) {
      if (!isObj(resource)) continue;
      const sam = resource.Type === 'AWS::Serverless::Function';
      if (!sam && resource.Type !== 'AWS::Lambda::Function') continue;
      const props = isObj(resource.Properties) ? resource.Properties : {};
      const own = (key: string): unknown => props[key] ?? (sam ? globals[key] : undefined);
      const handler = resolve(own('Handler'));
      const code = resolve(sam ? own('CodeUri') ?? '' : props.Code);
      if (typeof handler !== 'string' || typeof code !== 'string') continue;
      const split = splitHandler(handler, code);
      if (!split) continue;
      const name = resolve(props.FunctionName);
      const setting = (key: string): DeclaredValue | undefined =>
        props[key] !== undefined ? declared(props[key], `Resources.${id}.Properties.${key}`, resolve, isExpression) : sam ? declared(globals[key], `Globals.Function.${key}`, resolve, isExpression) : undefined;
      const settings = scalarSettings(setting, ['MemorySize', 'Timeout', 'Architectures', 'Runtime']);
      const variables = (environment: unknown, path: string): void => {
        const env = resolve(environment);
        if (env === undefined || env === null || env === NO_VALUE) return;
        if (isObj(env)) addEnvironment(settings, env.Variables, `${path}.Variables`, resolve, isExpression);
        else settings.environmentUnresolved = { value: env instanceof Unresolved ? env : new Unresolved(describe(environment)), from: path };
      };
      if (sam) variables(globals.Environment, 'Globals.Function.Environment');
      variables(props.Environment, `Resources.${id}.Properties.Environment`);
      out.push({ functionName: typeof name === 'string' && name ? name : id, ...split, file, key: id, settings });
    }
  }
  return out;
}

// ---------------------------------------------------------------- Serverless Framework variables

/** The top-level `${...}` spans of a string: [start, end) pairs, nested braces kept inside. */
function variableSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$' || text[i + 1] !== '{') continue;
    let depth = 0;
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === '{') depth++;
      else if (text[j] === '}' && --depth === 0) {
        spans.push([i, j + 1]);
        i = j;
        break;
      }
    }
  }
  return spans;
}

/** Splits a variable's body at its top-level commas (the fallbacks: `${opt:stage, 'dev'}`). */
function candidates(body: string): string[] {
  const out: string[] = [];
  let depth = 0, start = 0, quote = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quote) { if (c === quote) quote = ''; }
    else if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) { out.push(body.slice(start, i).trim()); start = i + 1; }
  }
  out.push(body.slice(start).trim());
  return out;
}

/**
 * The value of a `serverless.yml` value with its `${self:path}` references and literal fallbacks
 * evaluated; other sources (`opt:`, `env:`, `sls:`, `ssm:`, `file(...)`) are known only when deploying.
 */
function slsResolve(v: unknown, root: Obj, depth = 0): unknown {
  if (typeof v !== 'string' || !v.includes('${')) return v;
  if (depth > MAX_DEPTH) return new Unresolved(v);
  const spans = variableSpans(v);
  const valueOf = (body: string): unknown => {
    for (const c of candidates(body)) {
      const literal = /^(['"])(.*)\1$/.exec(c);
      if (literal) return literal[2];
      if (/^-?\d+(\.\d+)?$/.test(c)) return Number(c);
      if (c.startsWith('${')) {
        const inner = slsResolve(c, root, depth + 1);
        if (!(inner instanceof Unresolved)) return inner;
        continue;
      }
      const self = /^self:(.*)$/.exec(c);
      if (!self) continue;
      let at: unknown = root;
      for (const key of self[1].split('.').filter(Boolean)) at = isObj(at) ? at[key] : Array.isArray(at) ? at[Number(key)] : undefined;
      if (at === undefined || at === null) continue;
      const r = slsResolve(at, root, depth + 1);
      if (!(r instanceof Unresolved)) return r;
    }
    return new Unresolved(`\${${body}}`);
  };
  if (spans.length === 1 && spans[0][0] === 0 && spans[0][1] === v.length) {
    const whole = valueOf(v.slice(2, -1));
    return whole instanceof Unresolved ? new Unresolved(v) : whole;
  }
  let text = '', last = 0;
  for (const [a, b] of spans) {
    const part = valueOf(v.slice(a + 2, b - 1));
    if (!isScalar(part)) return new Unresolved(v);
    text += v.slice(last, a) + String(part);
    last = b;
  }
  return text + v.slice(last);
}

/** Memory, timeout, architecture and runtime as `setting` reads them under a format's key names (in that order); no variables yet. */
function scalarSettings(setting: (key: string) => DeclaredValue | undefined, keys: readonly [string, string, string, string]): DeclaredSettings {
  const settings: DeclaredSettings = { environment: {} };
  const [memoryMb, timeoutS, architecture, runtime] = keys.map(setting);
  if (memoryMb) settings.memoryMb = memoryMb;
  if (timeoutS) settings.timeoutS = timeoutS;
  if (architecture) settings.architecture = architecture;
  if (runtime) settings.runtime = runtime;
  return settings;
}

/**
 * Functions of a Serverless Framework file: `functions.<name>.handler`, with `provider.memorySize`,
 * `timeout`, `architecture`, `runtime` and `environment` as defaults under each function's own.
 * Throws DeploymentFileError when the file is not YAML.
 */
export function parseServerlessYml(text: string, file = 'serverless.yml'): DeclaredFunction[] {
  const out: DeclaredFunction[] = [];
  for (const doc of documentMaps(text, file)) {
    const resolve = (v: unknown): unknown => slsResolve(v, doc);
    const isExpression = (v: unknown): boolean => typeof v === 'string' && v.includes('${');
    const provider = isObj(doc.provider) ? doc.provider : {};
    // `functions` is a map, or (older files) a list of maps.
    const fns: [string, unknown][] = isObj(doc.functions) ? Object.entries(doc.functions) : Array.isArray(doc.functions) ? doc.functions.filter(isObj).flatMap((m) => Object.entries(m)) : [];
    for (const [key, fn] of fns) {
      if (!isObj(fn)) continue;
      const handler = resolve(fn.handler);
      const split = typeof handler === 'string' ? splitHandler(handler) : undefined;
      if (!split) continue;
      const setting = (field: string): DeclaredValue | undefined =>
        fn[field] !== undefined ? declared(fn[field], `functions.${key}.${field}`, resolve, isExpression) : declared(provider[field], `provider.${field}`, resolve, isExpression);
      const settings = scalarSettings(setting, ['memorySize', 'timeout', 'architecture', 'runtime']);
      addEnvironment(settings, provider.environment, 'provider.environment', resolve, isExpression);
      addEnvironment(settings, fn.environment, `functions.${key}.environment`, resolve, isExpression);
      out.push({ functionName: key, ...split, file, key, settings });
    }
  }
  return out;
}

/** The functions of `file` (named `template.y*ml` or `serverless.y*ml`); throws DeploymentFileError. */
export function parseDeploymentFile(file: string, text: string): DeclaredFunction[] {
  return /(^|[\\/])serverless\.ya?ml$/.test(file) ? parseServerlessYml(text, file) : parseSamTemplate(text, file);
}

/**
 * The function name a handler goes by: the declared function whose module is `relativeModule` (path
 * from the deployment file's folder, no extension) and export is `exportName`; else the file's base name.
 */
export function functionNameFor(relativeModule: string, exportName: string, declared: readonly Pick<DeclaredFunction, 'functionName' | 'modulePath' | 'exportName'>[]): string {
  const hit = declared.find((d) => d.modulePath === relativeModule && d.exportName === exportName);
  return hit ? hit.functionName : relativeModule.split('/').pop() ?? relativeModule;
}
