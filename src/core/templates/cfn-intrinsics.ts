// CloudFormation's intrinsic functions evaluated where that needs no deployment: `Ref` of a parameter's
// Default (or a pseudo parameter the caller knows), `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`,
// `Fn::FindInMap`, `Fn::Base64`, and `Fn::If` on conditions over those. The others (`Fn::GetAtt`,
// `Fn::ImportValue`, `Fn::GetAZs`, a resource's `Ref`, ...) stay `Unresolved` with the reason. Pure.
import { isObj, isScalar, NO_VALUE, Unresolved, type Obj, type Resolver } from './declared';

const MAX_DEPTH = 32;

/** Pseudo parameters a caller may know before deploying (the target region, account, stack name). */
export type PseudoParameters = Partial<
  Record<'AWS::Region' | 'AWS::AccountId' | 'AWS::StackName' | 'AWS::Partition' | 'AWS::URLSuffix', string>
>;

/** What intrinsics may refer to: the template's sections and the known pseudo parameters. */
export interface Scope {
  parameters: Obj;
  mappings: Obj;
  conditions: Obj;
  resources: Obj;
  pseudo: PseudoParameters;
}

/** The scope of one template document. */
export function scopeOf(doc: Obj, pseudo: PseudoParameters = {}): Scope {
  const o = (v: unknown): Obj => (isObj(v) ? v : {});
  return { parameters: o(doc.Parameters), mappings: o(doc.Mappings), conditions: o(doc.Conditions), resources: o(doc.Resources), pseudo };
}

/** The resolver of a template: evaluates intrinsics in `s`, describes them in their short form. */
export function cfnResolver(s: Scope): Resolver {
  return { resolve: (v) => evaluate(v, s), isExpression: (v) => intrinsicOf(v) !== undefined, describe };
}

/** `[name, argument]` of an intrinsic function object (`{ "Fn::Sub": ... }`, `{ Ref: ... }`). */
export function intrinsicOf(v: unknown, conditions = false): [string, unknown] | undefined {
  if (!isObj(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1) return undefined;
  const k = keys[0];
  return k === 'Ref' || k.startsWith('Fn::') || (conditions && k === 'Condition') ? [k, v[k]] : undefined;
}

/** The short form of a value for messages: `!GetAtt Table.Arn`, `!If [IsProd, 3008, 1024]`. */
export function describe(v: unknown): string {
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
  if (isObj(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}: ${flow(x)}`)
      .join(', ')}}`;
  if (typeof v === 'string') return v === '' || /[,[\]{}#]|: |^\s|\s$/.test(v) ? JSON.stringify(v) : v;
  return String(v);
}

/** The value of `v` with its intrinsics evaluated where that needs no deployment (shallow for plain maps). */
export function evaluate(v: unknown, s: Scope, depth = 0): unknown {
  const fn = intrinsicOf(v);
  if (!fn) return v;
  const out = depth > MAX_DEPTH ? new Unresolved('', 'nested too deeply') : evaluateFn(fn[0], fn[1], s, depth + 1);
  if (out instanceof Unresolved) return new Unresolved(describe(v), out.reason);
  return out === undefined ? new Unresolved(describe(v), `malformed ${fn[0].replace(/^Fn::/, '!')}`) : out;
}

const unknownUntilDeployed: Record<string, string> = {
  'Fn::GetAtt': 'an attribute of a deployed resource',
  'Fn::ImportValue': "another stack's export, known only once deployed",
  'Fn::GetAZs': "the region's availability zones, known only once deployed",
  'Fn::Cidr': 'computed by CloudFormation when deploying',
  'Fn::Transform': 'a macro CloudFormation runs when deploying',
  'Fn::Length': 'evaluated by CloudFormation when deploying',
  'Fn::ToJsonString': 'evaluated by CloudFormation when deploying',
};

/** undefined when malformed, Unresolved (with the reason) when it cannot be evaluated statically. */
function evaluateFn(name: string, arg: unknown, s: Scope, depth: number): unknown {
  const ev = (x: unknown): unknown => evaluate(x, s, depth);
  const args = Array.isArray(arg) ? arg : undefined;
  const firstUnresolved = (xs: unknown[]): Unresolved | undefined => xs.find((x): x is Unresolved => x instanceof Unresolved);
  switch (name) {
    case 'Ref':
      return typeof arg === 'string' ? ref(arg, s) : undefined;
    case 'Fn::Sub': {
      const [template, vars] =
        typeof arg === 'string' ? [arg, {}] : args && args.length === 2 ? [ev(args[0]), ev(args[1])] : [undefined, undefined];
      if (template instanceof Unresolved) return template;
      if (typeof template !== 'string' || !isObj(vars)) return undefined;
      let failed: Unresolved | undefined;
      const text = template.replace(/\$\{([^}]*)\}/g, (_, body: string) => {
        if (body.startsWith('!')) return `\${${body.slice(1)}}`;
        const value =
          body in vars
            ? ev(vars[body])
            : body.includes('.')
              ? new Unresolved(body, `\${${body}} is an attribute of a deployed resource`)
              : ref(body, s);
        if (!isScalar(value)) failed ??= value instanceof Unresolved ? value : new Unresolved(body, `\${${body}} is not a text`);
        return String(value);
      });
      return failed ?? text;
    }
    case 'Fn::Join': {
      if (!args || args.length !== 2) return undefined;
      const [delimiter, list] = [ev(args[0]), ev(args[1])];
      if (list instanceof Unresolved) return list;
      if (typeof delimiter !== 'string' || !Array.isArray(list)) return undefined;
      const parts = list.map(ev);
      return firstUnresolved(parts) ?? (parts.every(isScalar) ? parts.map(String).join(delimiter) : undefined);
    }
    case 'Fn::Select': {
      if (!args || args.length !== 2) return undefined;
      const [index, list] = [ev(args[0]), ev(args[1])];
      const unresolved = firstUnresolved([index, list]);
      if (unresolved) return unresolved;
      const i = Number(index);
      return Array.isArray(list) && Number.isInteger(i) && i >= 0 && i < list.length ? ev(list[i]) : undefined;
    }
    case 'Fn::Split': {
      if (!args || args.length !== 2) return undefined;
      const [delimiter, text] = [ev(args[0]), ev(args[1])];
      if (text instanceof Unresolved) return text;
      return typeof delimiter === 'string' && typeof text === 'string' ? text.split(delimiter) : undefined;
    }
    case 'Fn::FindInMap': {
      if (!args || args.length < 3) return undefined;
      const keys = args.slice(0, 3).map(ev);
      const unresolved = firstUnresolved(keys);
      if (unresolved) return unresolved;
      if (!keys.every(isScalar)) return undefined;
      const top = s.mappings[String(keys[0])];
      const second = isObj(top) ? top[String(keys[1])] : undefined;
      const hit = isObj(second) ? second[String(keys[2])] : undefined;
      if (hit !== undefined) return ev(hit);
      if (args[3] !== undefined && isObj(args[3]) && 'DefaultValue' in args[3]) return ev(args[3].DefaultValue);
      return new Unresolved('', `mapping ${keys.map(String).join('.')} is not in Mappings`);
    }
    case 'Fn::Base64': {
      const text = ev(arg);
      if (text instanceof Unresolved) return text;
      return typeof text === 'string' ? base64(text) : undefined;
    }
    case 'Fn::If': {
      if (!args || args.length !== 3 || typeof args[0] !== 'string') return undefined;
      const c = condition(args[0], s, depth);
      return c === undefined
        ? new Unresolved('', `condition ${args[0]} depends on values known only once deployed`)
        : ev(c ? args[1] : args[2]);
    }
    default:
      return new Unresolved('', unknownUntilDeployed[name] ?? `${name} is not evaluated before deploying`);
  }
}

/** Base64 of a text's UTF-8 bytes, as Fn::Base64 encodes it. */
function base64(text: string): string {
  let binary = '';
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary);
}

const PARAMETER_LIST_TYPE = /^(CommaDelimitedList|List<.*>)$/;

function ref(name: string, s: Scope): unknown {
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (name.startsWith('AWS::')) {
    const known = s.pseudo[name as keyof PseudoParameters];
    return known ?? new Unresolved(name, `${name} is known only once deployed (no target given)`);
  }
  const p = s.parameters[name];
  if (isObj(p)) {
    if (p.Default === undefined) return new Unresolved(name, `parameter ${name} has no Default`);
    return typeof p.Type === 'string' && PARAMETER_LIST_TYPE.test(p.Type)
      ? String(p.Default)
          .split(',')
          .map((x) => x.trim())
      : p.Default;
  }
  if (name in s.resources) return new Unresolved(name, `${name} is a resource: its name or id is known only once deployed`);
  return new Unresolved(name, `${name} is neither a parameter nor a resource of the template`);
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
