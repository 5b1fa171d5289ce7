// YAML (and JSON, a subset) read with the `yaml` library, CloudFormation's short-form tags (!Ref, !Sub,
// !GetAtt, ...) parsed into their long forms (`{ "Fn::Sub": ... }`) instead of dropped. Multi-document
// files, anchors, aliases and merge keys are the library's. Pure.
import { parseAllDocuments, type CollectionTag, type ScalarTag, type YAMLMap, type YAMLSeq } from 'yaml';
import { DeploymentFileError, isObj, type Obj } from './declared';

/** Short-form tags and the long-form key each stands for (`!Ref` → `Ref`, `!Sub` → `Fn::Sub`). */
const CFN_TAGS: Record<string, string> = Object.fromEntries([
  ['Ref', 'Ref'],
  ['Condition', 'Condition'],
  ...[
    'Sub',
    'GetAtt',
    'If',
    'Join',
    'Select',
    'Split',
    'FindInMap',
    'Base64',
    'Cidr',
    'Equals',
    'And',
    'Or',
    'Not',
    'ImportValue',
    'GetAZs',
    'Transform',
    'Length',
    'ToJsonString',
  ].map((n) => [n, `Fn::${n}`]),
]);

/** Each tag for each node kind it may carry (a scalar, a list, a map), resolved to its long form. */
const CUSTOM_TAGS: (ScalarTag | CollectionTag)[] = Object.entries(CFN_TAGS).flatMap(([short, long]) => {
  const tag = `!${short}`;
  const scalar: ScalarTag = { tag, resolve: (value: string) => ({ [long]: value }) };
  // The library's resolve() returns a node; a plain object is what the readers want (cast: its typing is narrower).
  const seq: CollectionTag = { tag, collection: 'seq', resolve: (node) => ({ [long]: (node as YAMLSeq).toJSON() }) as never };
  const map: CollectionTag = { tag, collection: 'map', resolve: (node) => ({ [long]: (node as YAMLMap).toJSON() }) as never };
  return [scalar, seq, map];
});

/** The documents of a YAML file as plain values; throws DeploymentFileError (one line, with the line and column) when it is not YAML. */
export function yamlDocuments(text: string, file: string): unknown[] {
  // An empty file parses to an empty list (yaml's EmptyStream).
  const list = [...parseAllDocuments(text, { customTags: CUSTOM_TAGS, merge: true })];
  const kind = /\.json$/i.test(file) ? 'JSON' : 'YAML';
  for (const d of list) {
    const e = d.errors[0];
    if (e) {
      const where = e.linePos ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : '';
      throw new DeploymentFileError(
        `${file}: not valid ${kind}${where}: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
      );
    }
  }
  try {
    return list.map((d) => d.toJS({ maxAliasCount: 1000 }) as unknown);
  } catch (e) {
    throw new DeploymentFileError(`${file}: not valid ${kind}: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** The top-level maps of a file's documents; a document that is not a map is an error. */
export function documentMaps(text: string, file: string): Obj[] {
  return yamlDocuments(text, file).flatMap((d, i, all) => {
    if (d === null || d === undefined) return [];
    if (!isObj(d))
      throw new DeploymentFileError(
        `${file}: ${all.length > 1 ? `document ${i + 1}` : 'the file'} is not a ${/\.json$/i.test(file) ? 'JSON object' : 'YAML mapping'}`,
      );
    return [d];
  });
}
