// Lambda handlers of the workspace's documents: found with the document symbol provider where one
// answers (and by pattern otherwise), named by template.yaml / serverless.yml when those declare them,
// with the settings those files give them.
import * as path from 'path';
import * as vscode from 'vscode';
import { detectHandlers, handlerLanguage, type DetectedHandler, type HandlerLanguage } from './detect-handlers';
import type { DeclaredFunction } from '../../core/templates/declared';
import { functionNameFor, parseDeploymentFile } from '../../core/templates/deployment-file';

/** A handler in a file, with the function name its profile is stored under. */
export interface HandlerRef {
  uri: vscode.Uri;
  exportName: string;
  functionName: string;
  line: number;
  /** The template.yaml / serverless.yml function that declares this handler, with its settings. */
  declared?: DeclaredFunction;
}

/** A deployment file that could not be read, and why (one line naming the file). */
export interface DeployFileProblem {
  file: string;
  reason: string;
}

/** The deployment files that declare functions: SAM / CloudFormation, Serverless, a CDK app's synthesized templates. */
export const DEPLOY_FILES = '{**/template.yaml,**/template.yml,**/serverless.yml,**/serverless.yaml,**/cdk.out/*.template.json}';
/** The source files handlers are looked for in. */
export const SOURCE_FILES = '**/*.{js,cjs,mjs,ts,py}';
/** Folders never searched: dependencies, ProPack's own data, build output. */
const EXCLUDED_DIRS = ['node_modules', '.propack', 'dist', 'out'];
const EXCLUDE = `{${EXCLUDED_DIRS.map((d) => `**/${d}/**`).join(',')}}`;
const EXCLUDED_PATH = new RegExp(`/(${EXCLUDED_DIRS.map((d) => d.replace('.', '\\.')).join('|')})/`);

/** Whether a file (a Uri path) lies in a folder the handler search skips. */
export function isExcludedPath(uriPath: string): boolean {
  return EXCLUDED_PATH.test(uriPath);
}
/** The symbol provider may be starting (the TypeScript server takes seconds): do not hold a CodeLens longer. */
const SYMBOL_TIMEOUT_MS = 1500;

interface DeployFile {
  dir: string;
  functions: DeclaredFunction[];
  problem?: DeployFileProblem;
}

/** Finds handlers; caches the deployment files until `invalidate()`. */
export class WorkspaceHandlers {
  private deployFiles: Promise<DeployFile[]> | undefined;

  /** `onProblem` hears of each deployment file that cannot be read, once per reading. */
  constructor(private readonly onProblem: (p: DeployFileProblem) => void = () => undefined) {}

  /** Paths of the deployment files last read (to notice a deleted folder that held one). */
  private deployPaths: string[] = [];

  /** Forgets the cached template.yaml / serverless.yml contents. */
  invalidate(): void {
    this.deployFiles = undefined;
  }

  /**
   * Forgets the cache when `deleted` (a file or folder) held a deployment file read before; true then.
   * Deleting a folder reports the folder only, not the template.yaml inside it.
   */
  invalidateUnder(deleted: vscode.Uri): boolean {
    const prefix = deleted.fsPath.endsWith(path.sep) ? deleted.fsPath : deleted.fsPath + path.sep;
    if (!this.deployPaths.some((p) => p === deleted.fsPath || p.startsWith(prefix))) return false;
    this.invalidate();
    return true;
  }

  private readDeployFiles(): Promise<DeployFile[]> {
    return (this.deployFiles ??= (async () => {
      const uris = await vscode.workspace.findFiles(DEPLOY_FILES, EXCLUDE, 50);
      this.deployPaths = uris.map((u) => u.fsPath);
      const out: DeployFile[] = [];
      for (const uri of uris.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
        const file = vscode.workspace.asRelativePath(uri, false);
        const dir = path.dirname(uri.fsPath);
        try {
          const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
          out.push({ dir, functions: parseDeploymentFile(file, text) });
        } catch (e) {
          // One unreadable file must not hide the others' functions; it is reported instead.
          const message = e instanceof Error ? e.message : String(e);
          const problem = { file, reason: message.startsWith(file) ? message : `${file}: ${message}` };
          this.onProblem(problem);
          out.push({ dir, functions: [], problem });
        }
      }
      return out;
    })());
  }

  /** The deployment files that could not be read (bad YAML, unreadable), with the reason. */
  async problems(): Promise<DeployFileProblem[]> {
    return (await this.readDeployFiles()).flatMap((d) => (d.problem ? [d.problem] : []));
  }

  /** The declared function whose handler is `exportName` in `uri`, if a deployment file declares one. */
  async declaredFunction(uri: vscode.Uri, exportName: string): Promise<DeclaredFunction | undefined> {
    for (const d of await this.declaredFor(uri)) {
      const hit = d.functions.find((f) => f.modulePath === d.relativeModule && f.exportName === exportName);
      if (hit) return hit;
    }
    return undefined;
  }

  /** Declared functions and the module path of `uri` relative to each deployment file's folder. */
  private async declaredFor(uri: vscode.Uri): Promise<{ relativeModule: string; functions: DeclaredFunction[] }[]> {
    const noExt = uri.fsPath.replace(/\.[^./\\]+$/, '');
    return (await this.readDeployFiles())
      .map((d) => ({ relativeModule: path.relative(d.dir, noExt).split(path.sep).join('/'), functions: d.functions }))
      .filter((d) => !d.relativeModule.startsWith('..'));
  }

  /** The handlers of one open document, in line order. */
  async inDocument(document: vscode.TextDocument): Promise<HandlerRef[]> {
    const language = handlerLanguage(document.languageId) ?? handlerLanguage(document.fileName);
    if (!language) return [];
    return this.fromText(document.uri, document.getText(), language, (wanted) => this.symbolHandlers(document, wanted));
  }

  private async fromText(
    uri: vscode.Uri,
    text: string,
    language: HandlerLanguage,
    symbols?: (wanted: Set<string>) => Promise<DetectedHandler[]>,
  ): Promise<HandlerRef[]> {
    const declared = await this.declaredFor(uri);
    const extraNames = declared.flatMap((d) => d.functions.filter((f) => f.modulePath === d.relativeModule).map((f) => f.exportName));
    const byPattern = detectHandlers(text, language, extraNames);
    const bySymbol = symbols && byPattern.length > 0 ? await symbols(new Set(byPattern.map((h) => h.exportName))) : [];
    // Symbols give the declaration's exact line; the pattern decides what is exported.
    const merged = byPattern.map((h) => bySymbol.find((s) => s.exportName === h.exportName) ?? h);
    const fallbackName = path.basename(uri.fsPath).replace(/\.[^.]+$/, '');
    return merged
      .sort((a, b) => a.line - b.line)
      .map((h) => {
        const d = declared.find((x) => x.functions.some((f) => f.modulePath === x.relativeModule && f.exportName === h.exportName));
        const fn = d?.functions.find((f) => f.modulePath === d.relativeModule && f.exportName === h.exportName);
        return {
          uri,
          exportName: h.exportName,
          line: h.line,
          functionName: d ? functionNameFor(d.relativeModule, h.exportName, d.functions) : fallbackName,
          ...(fn ? { declared: fn } : {}),
        };
      });
  }

  /** Top-level symbols named like a wanted handler, or none when no provider answers in time. */
  private async symbolHandlers(document: vscode.TextDocument, wanted: Set<string>): Promise<DetectedHandler[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), SYMBOL_TIMEOUT_MS)));
    try {
      const symbols = await Promise.race([
        Promise.resolve(
          vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>(
            'vscode.executeDocumentSymbolProvider',
            document.uri,
          ),
        ).catch(() => undefined),
        timeout,
      ]);
      const out: DetectedHandler[] = [];
      for (const s of symbols ?? []) {
        const name = s.name.replace(/^(module\.)?exports\./, '');
        const range = 'selectionRange' in s ? s.selectionRange : s.location.range;
        if (wanted.has(name)) out.push({ exportName: name, line: range.start.line });
      }
      return out;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Every handler in the workspace's source files (for the tree), at most `limit` files read. */
  async inWorkspace(limit = 200): Promise<HandlerRef[]> {
    const uris = await vscode.workspace.findFiles(SOURCE_FILES, EXCLUDE, limit);
    const out: HandlerRef[] = [];
    for (const uri of uris.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
      const language = handlerLanguage(uri.path);
      // Read, not opened: opening hundreds of documents would wake every language server.
      if (language) out.push(...(await this.fromText(uri, new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), language)));
    }
    return out;
  }
}

/** A command argument naming a handler: a HandlerRef-like object, or a tree item carrying one. */
export function handlerRefFromArg(arg: unknown): HandlerRef | undefined {
  const candidate = typeof arg === 'object' && arg !== null && 'handler' in arg ? (arg as { handler: unknown }).handler : arg;
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const c = candidate as Partial<HandlerRef> & { uri?: unknown };
  if (!(c.uri instanceof vscode.Uri) || typeof c.exportName !== 'string') return undefined;
  const functionName = typeof c.functionName === 'string' ? c.functionName : path.basename(c.uri.fsPath).replace(/\.[^.]+$/, '');
  return { uri: c.uri, exportName: c.exportName, functionName, line: typeof c.line === 'number' ? c.line : 0 };
}
