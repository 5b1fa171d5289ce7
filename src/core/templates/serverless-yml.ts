// Functions of a Serverless Framework file (`serverless.yml`): `functions.<name>.handler`, with
// `provider.memorySize`, `timeout`, `architecture`, `runtime` and `environment` as defaults under each
// function's own, and the variables that need no deployment evaluated: `${self:path}` references and
// literal fallbacks (`${opt:stage, 'dev'}`). Other sources (`opt:`, `env:`, `ssm:`, `file(...)`, ...)
// stay `Unresolved` with the reason. Pure.
import { documentMaps } from './cfn-yaml';
import {
  addEnvironment,
  declared,
  isObj,
  isScalar,
  scalarSettings,
  splitHandler,
  Unresolved,
  type DeclaredFunction,
  type DeclaredValue,
  type Obj,
  type Resolver,
} from './declared';

const MAX_DEPTH = 32;

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
  let depth = 0,
    start = 0,
    quote = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(body.slice(start).trim());
  return out;
}

/** Why a variable source is known only when deploying. */
function sourceReason(candidate: string): string {
  const source = /^([a-zA-Z]+)(:|\()/.exec(candidate)?.[1];
  switch (source) {
    case 'self':
      return `${candidate} names nothing in the file`;
    case 'opt':
      return `${candidate} is a command-line option given when deploying`;
    case 'env':
      return `${candidate} is read from the deploying shell's environment`;
    case 'file':
      return `${candidate} reads another file`;
    case 'ssm':
    case 'aws':
    case 'cf':
    case 's3':
      return `${candidate} is read from AWS when deploying`;
    default:
      return `${candidate} is evaluated by the Serverless Framework when deploying`;
  }
}

/** The value of `${self:a.b}` in the file, undefined when the path names nothing. */
function selfValue(path: string, root: Obj): unknown {
  let at: unknown = root;
  for (const key of path.split('.').filter(Boolean)) at = isObj(at) ? at[key] : Array.isArray(at) ? at[Number(key)] : undefined;
  return at ?? undefined;
}

/** The value of a `serverless.yml` value with its `${self:path}` references and literal fallbacks evaluated. */
function slsResolve(v: unknown, root: Obj, depth = 0): unknown {
  if (typeof v !== 'string' || !v.includes('${')) return v;
  if (depth > MAX_DEPTH) return new Unresolved(v, 'variables nest too deeply');
  const spans = variableSpans(v);
  const valueOf = (body: string): unknown => {
    let reason = '';
    for (const c of candidates(body)) {
      const literal = /^(['"])(.*)\1$/.exec(c);
      if (literal) return literal[2];
      if (/^-?\d+(\.\d+)?$/.test(c)) return Number(c);
      if (c.startsWith('${')) {
        const inner = slsResolve(c, root, depth + 1);
        if (!(inner instanceof Unresolved)) return inner;
        reason ||= inner.reason;
        continue;
      }
      // Serverless's own stage: the provider's, else its default "dev" (a --stage option would override it).
      const stage = /^sls:stage$/.test(c) ? (selfValue('provider.stage', root) ?? 'dev') : undefined;
      if (stage !== undefined) return slsResolve(stage, root, depth + 1);
      const self = /^self:(.*)$/.exec(c);
      const at = self ? selfValue(self[1], root) : undefined;
      if (at !== undefined && at !== null) {
        const r = slsResolve(at, root, depth + 1);
        if (!(r instanceof Unresolved)) return r;
        reason ||= r.reason;
        continue;
      }
      reason ||= sourceReason(c);
    }
    return new Unresolved(`\${${body}}`, reason);
  };
  if (spans.length === 1 && spans[0][0] === 0 && spans[0][1] === v.length) {
    const whole = valueOf(v.slice(2, -1));
    return whole instanceof Unresolved ? new Unresolved(v, whole.reason) : whole;
  }
  let text = '',
    last = 0;
  for (const [a, b] of spans) {
    const part = valueOf(v.slice(a + 2, b - 1));
    if (!isScalar(part)) return new Unresolved(v, part instanceof Unresolved ? part.reason : `\${${v.slice(a + 2, b - 1)}} is not a text`);
    text += v.slice(last, a) + String(part);
    last = b;
  }
  return text + v.slice(last);
}

/** What `package:` settings mean for ProPack, which bundles each function itself. */
function packageNotes(pkg: unknown, path: string): string[] {
  if (!isObj(pkg)) return [];
  const keys = ['patterns', 'individually', 'include', 'exclude', 'artifact'].filter((k) => pkg[k] !== undefined);
  return keys.length > 0
    ? [`${path}.${keys.join(`, ${path}.`)} not applied: ProPack bundles each function from its handler and dependencies`]
    : [];
}

/**
 * Functions of a Serverless Framework file, provider defaults under each function's own settings.
 * Throws DeploymentFileError when the file is not YAML.
 */
export function parseServerlessYml(text: string, file = 'serverless.yml'): DeclaredFunction[] {
  const out: DeclaredFunction[] = [];
  for (const doc of documentMaps(text, file)) {
    const r: Resolver = {
      resolve: (v) => slsResolve(v, doc),
      isExpression: (v) => typeof v === 'string' && v.includes('${'),
      describe: (v) => (typeof v === 'string' ? v : JSON.stringify(v)),
    };
    const provider = isObj(doc.provider) ? doc.provider : {};
    // `functions` is a map, or (older files) a list of maps.
    const fns: [string, unknown][] = isObj(doc.functions)
      ? Object.entries(doc.functions)
      : Array.isArray(doc.functions)
        ? doc.functions.filter(isObj).flatMap((m) => Object.entries(m))
        : [];
    const topNotes = packageNotes(doc.package, 'package');
    for (const [key, fn] of fns) {
      if (!isObj(fn)) continue;
      const handler = r.resolve(fn.handler);
      const split = typeof handler === 'string' ? splitHandler(handler) : undefined;
      if (!split) continue;
      const setting = (field: string): DeclaredValue | undefined =>
        fn[field] !== undefined ? declared(fn[field], `functions.${key}.${field}`, r) : declared(provider[field], `provider.${field}`, r);
      const settings = scalarSettings(setting, ['memorySize', 'timeout', 'architecture', 'runtime']);
      addEnvironment(settings, provider.environment, 'provider.environment', r);
      addEnvironment(settings, fn.environment, `functions.${key}.environment`, r);
      const notes = [...topNotes, ...packageNotes(fn.package, `functions.${key}.package`)];
      out.push({ functionName: key, ...split, file, key, settings, ...(notes.length > 0 ? { notes } : {}) });
    }
  }
  return out;
}
