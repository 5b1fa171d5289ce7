// Functions of a CloudFormation template: SAM's `AWS::Serverless::Function` (with `Globals.Function`
// merged under its Properties, by SAM's rules) and `AWS::Lambda::Function` whose code is a local folder:
// `Code` given as a path (before `aws cloudformation package`) or a CDK asset (`Metadata.aws:asset:path`
// in a synthesized `cdk.out/<Stack>.template.json`). Pure.
import type { NodeBuildProperties } from '../build-properties';
import { cfnResolver, scopeOf, type PseudoParameters } from './cfn-intrinsics';
import { documentMaps } from './cfn-yaml';
import {
  addEnvironment,
  declared,
  DeploymentFileError,
  isObj,
  NO_VALUE,
  scalarSettings,
  splitHandler,
  Unresolved,
  type DeclaredFunction,
  type DeclaredValue,
  type Obj,
  type Resolver,
} from './declared';

/** Options of a template reading. */
export interface TemplateOptions {
  /** Pseudo parameters known before deploying (the target region, account); the others stay unresolved. */
  pseudo?: PseudoParameters;
}

/**
 * SAM's merge of a `Globals` section under a resource's properties: maps are merged key by key (the
 * resource's value winning), lists are concatenated (the global entries first), any other value of the
 * resource replaces the global one.
 */
export function mergeSamGlobals(globals: unknown, own: unknown): unknown {
  if (own === undefined) return globals;
  if (isObj(globals) && isObj(own)) {
    const out: Obj = { ...globals };
    for (const [k, v] of Object.entries(own)) out[k] = mergeSamGlobals(globals[k], v);
    return out;
  }
  if (Array.isArray(globals) && Array.isArray(own)) return [...(globals as unknown[]), ...(own as unknown[])];
  return own;
}

/** The SAM esbuild properties ProPack reads, and the bundler field each becomes. */
const BUILD_PROPERTIES = ['EntryPoints', 'External', 'Format', 'Minify', 'Sourcemap', 'Target'] as const;

/**
 * `Metadata.BuildMethod: esbuild` with its `BuildProperties` as the bundler's settings; undefined for
 * other build methods (with a note). Throws DeploymentFileError naming the field when a value is of the wrong kind.
 */
function buildProperties(metadata: unknown, path: string, file: string, r: Resolver, notes: string[]): NodeBuildProperties | undefined {
  if (!isObj(metadata) || metadata.BuildMethod === undefined) return undefined;
  const method = r.resolve(metadata.BuildMethod);
  if (method !== 'esbuild') {
    notes.push(
      `${path}.BuildMethod ${typeof method === 'string' ? method : r.describe(metadata.BuildMethod)} is not applied: ProPack bundles Node functions with esbuild`,
    );
    return undefined;
  }
  const props = metadata.BuildProperties === undefined ? {} : r.resolve(metadata.BuildProperties);
  const where = `${path}.BuildProperties`;
  if (!isObj(props))
    throw new DeploymentFileError(
      `${file}: ${where} must be a map of esbuild settings (EntryPoints, External, Format, Minify, Sourcemap, Target)`,
    );
  const bad = (key: string, want: string, got: unknown): never => {
    throw new DeploymentFileError(
      `${file}: ${where}.${key} must be ${want}, got ${got instanceof Unresolved ? `${got.expr} (${got.reason})` : JSON.stringify(got)}`,
    );
  };
  const value = (key: string): unknown => (props[key] === undefined ? undefined : r.resolve(props[key]));
  const strings = (key: string): string[] | undefined => {
    const v = value(key);
    if (v === undefined) return undefined;
    const list = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) return bad(key, 'a list of texts', v);
    return list as string[];
  };
  const flag = (key: string): boolean | undefined => {
    const v = value(key);
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    return bad(key, 'true or false', v);
  };
  const build: NodeBuildProperties = {};
  const entryPoints = strings('EntryPoints');
  if (entryPoints) build.entryPoints = entryPoints;
  const external = strings('External');
  if (external) build.external = external;
  const format = value('Format');
  if (format !== undefined) {
    if (format !== 'esm' && format !== 'cjs') bad('Format', 'esm or cjs', format);
    build.format = format as 'esm' | 'cjs';
  }
  const minify = flag('Minify');
  if (minify !== undefined) build.minify = minify;
  const sourcemap = flag('Sourcemap');
  if (sourcemap !== undefined) build.sourcemap = sourcemap;
  const target = value('Target');
  if (target !== undefined) {
    if (typeof target !== 'string') bad('Target', 'an esbuild target such as es2020 or node20', target);
    build.target = target as string;
  }
  const ignored = Object.keys(props).filter((k) => !(BUILD_PROPERTIES as readonly string[]).includes(k));
  if (ignored.length > 0) notes.push(`${where}: ${ignored.join(', ')} not applied (ProPack reads ${BUILD_PROPERTIES.join(', ')})`);
  return build;
}

/** The CDK construct id of a synthesized resource (`Stack/Resizer/Resource` → `Resizer`), if it has one. */
function cdkConstructId(metadata: unknown): string | undefined {
  if (!isObj(metadata) || typeof metadata['aws:cdk:path'] !== 'string') return undefined;
  const parts = metadata['aws:cdk:path'].split('/').filter(Boolean);
  if (parts[parts.length - 1] === 'Resource') parts.pop();
  return parts.length > 1 ? parts[parts.length - 1] : undefined;
}

/** The local code folder of an `AWS::Lambda::Function`: `Code` as a path, else a CDK asset folder. */
function lambdaCodeFolder(resource: Obj, props: Obj, r: Resolver): string | undefined {
  const code = r.resolve(props.Code);
  if (typeof code === 'string') return code;
  const asset = isObj(resource.Metadata) ? resource.Metadata['aws:asset:path'] : undefined;
  // An absolute asset path (`cdk synth --no-staging`) is outside cdk.out: not a folder of this file.
  return typeof asset === 'string' && !asset.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(asset) ? asset : undefined;
}

/**
 * Functions of a SAM, CloudFormation or synthesized CDK template. Functions whose code is not a local
 * folder (S3, inline, an image) are left out: no workspace file is theirs.
 * Throws DeploymentFileError (one line naming the file) when the file is not YAML/JSON or a build setting is malformed.
 */
export function parseSamTemplate(text: string, file = 'template.yaml', options: TemplateOptions = {}): DeclaredFunction[] {
  const out: DeclaredFunction[] = [];
  for (const doc of documentMaps(text, file)) {
    const r = cfnResolver(scopeOf(doc, options.pseudo));
    const globals = isObj(doc.Globals) && isObj(doc.Globals.Function) ? doc.Globals.Function : {};
    const resources = isObj(doc.Resources) ? doc.Resources : {};
    for (const [id, resource] of Object.entries(resources)) {
      if (!isObj(resource)) continue;
      const sam = resource.Type === 'AWS::Serverless::Function';
      if (!sam && resource.Type !== 'AWS::Lambda::Function') continue;
      const own = isObj(resource.Properties) ? resource.Properties : {};
      const props = (sam ? mergeSamGlobals(globals, own) : own) as Obj;
      const handler = r.resolve(props.Handler);
      const code = sam ? r.resolve(props.CodeUri ?? '') : lambdaCodeFolder(resource, props, r);
      if (typeof handler !== 'string' || typeof code !== 'string') continue;
      const split = splitHandler(handler, code);
      if (!split) continue;
      const name = r.resolve(props.FunctionName);
      const ownPath = `Resources.${id}.Properties`;
      const setting = (key: string): DeclaredValue | undefined => {
        const global = sam ? globals[key] : undefined;
        // SAM concatenates lists: name both places so a doubled Architectures list is traced to them.
        if (Array.isArray(global) && Array.isArray(own[key])) return declared(props[key], `Globals.Function.${key} + ${ownPath}.${key}`, r);
        return own[key] !== undefined ? declared(own[key], `${ownPath}.${key}`, r) : declared(global, `Globals.Function.${key}`, r);
      };
      const settings = scalarSettings(setting, ['MemorySize', 'Timeout', 'Architectures', 'Runtime']);
      const variables = (environment: unknown, path: string): void => {
        const env = r.resolve(environment);
        if (env === undefined || env === null || env === NO_VALUE) return;
        if (isObj(env)) addEnvironment(settings, env.Variables, `${path}.Variables`, r);
        else
          settings.environmentUnresolved = {
            value: env instanceof Unresolved ? env : new Unresolved(r.describe(environment), 'not a map'),
            from: path,
          };
      };
      if (sam) variables(globals.Environment, 'Globals.Function.Environment');
      variables(own.Environment, `${ownPath}.Environment`);
      const notes: string[] = [];
      const build = buildProperties(resource.Metadata, `Resources.${id}.Metadata`, file, r, notes);
      const functionName = typeof name === 'string' && name ? name : (cdkConstructId(resource.Metadata) ?? id);
      out.push({
        functionName,
        ...split,
        file,
        key: id,
        codeDir: code,
        settings,
        ...(build ? { build } : {}),
        ...(notes.length > 0 ? { notes } : {}),
      });
    }
  }
  return out;
}
