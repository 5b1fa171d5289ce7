// Reads function definitions from SAM `template.yaml` and Serverless Framework `serverless.yml`: which
// file and export each function's handler names. A small indentation-based reader for the two shapes
// these files use, not a YAML parser: anchors, flow maps and multi-document files are not followed.
// Pure (no `vscode`).

/** A function a deployment file defines: its name and the handler module path and export. */
export interface DeclaredFunction {
  functionName: string;
  /** Module path relative to the file's folder (and the SAM CodeUri), without extension: `src/app`. */
  modulePath: string;
  exportName: string;
}

interface KeyLine {
  indent: number;
  key: string;
  value: string;
}

function keyLines(text: string): KeyLine[] {
  const out: KeyLine[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const m = /^(\s*)([A-Za-z0-9_.-]+)\s*:\s*(.*?)\s*$/.exec(raw.replace(/\s+#.*$/, ''));
    if (m) out.push({ indent: m[1].length, key: m[2], value: m[3].replace(/^["']|["']$/g, '') });
  }
  return out;
}

/** The children of the top-level `section`: each key one level in, with the key lines under it. */
function sectionBlocks(lines: KeyLine[], section: string): { name: string; body: KeyLine[] }[] {
  const start = lines.findIndex((l) => l.indent === 0 && l.key === section);
  if (start < 0) return [];
  const blocks: { name: string; body: KeyLine[] }[] = [];
  let childIndent: number | undefined;
  for (const l of lines.slice(start + 1)) {
    if (l.indent === 0) break;
    childIndent ??= l.indent;
    if (l.indent === childIndent) blocks.push({ name: l.key, body: [] });
    else if (l.indent > childIndent) blocks[blocks.length - 1]?.body.push(l);
  }
  return blocks;
}

/** Splits a handler string `dir/module.export` into module path and export name. */
function splitHandler(handler: string, codeUri = ''): { modulePath: string; exportName: string } | undefined {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1) return undefined;
  const base = codeUri.replace(/^\.?\/?/, '').replace(/\/?$/, codeUri.replace(/^\.?\/?/, '') ? '/' : '');
  return { modulePath: `${base}${handler.slice(0, dot)}`, exportName: handler.slice(dot + 1) };
}

/** Functions of a SAM template (`Resources.<Id>.Properties.Handler`, optional `CodeUri`). */
export function parseSamTemplate(text: string): DeclaredFunction[] {
  const out: DeclaredFunction[] = [];
  for (const block of sectionBlocks(keyLines(text), 'Resources')) {
    const handler = block.body.find((l) => l.key === 'Handler')?.value;
    const codeUri = block.body.find((l) => l.key === 'CodeUri')?.value;
    const fnName = block.body.find((l) => l.key === 'FunctionName')?.value;
    const split = handler ? splitHandler(handler, codeUri) : undefined;
    if (split) out.push({ functionName: fnName && !fnName.startsWith('!') ? fnName : block.name, ...split });
  }
  return out;
}

/** Functions of a Serverless Framework file (`functions.<name>.handler`). */
export function parseServerlessYml(text: string): DeclaredFunction[] {
  const out: DeclaredFunction[] = [];
  for (const block of sectionBlocks(keyLines(text), 'functions')) {
    const handler = block.body.find((l) => l.key === 'handler')?.value;
    const split = handler ? splitHandler(handler) : undefined;
    if (split) out.push({ functionName: block.name, ...split });
  }
  return out;
}

/**
 * The function name a handler goes by: the declared function whose module is `relativeModule` (path
 * from the deployment file's folder, no extension) and export is `exportName`; else the file's base name.
 */
export function functionNameFor(relativeModule: string, exportName: string, declared: readonly DeclaredFunction[]): string {
  const hit = declared.find((d) => d.modulePath === relativeModule && d.exportName === exportName);
  return hit ? hit.functionName : relativeModule.split('/').pop() ?? relativeModule;
}
