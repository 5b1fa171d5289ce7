// Finds Lambda handlers in a JS/TS/Python source text by pattern: the fallback when no document symbol
// provider answers, and the filter applied to the symbols when one does. Pure (no `vscode`).

/** Export names treated as handlers in every file: the Node and Python runtimes' conventional names. */
export const CONVENTIONAL_HANDLER_NAMES: readonly string[] = ['handler', 'lambda_handler'];

/** A handler found in a file: its export name and the zero-based line it is declared on. */
export interface DetectedHandler {
  exportName: string;
  line: number;
}

export type HandlerLanguage = 'javascript' | 'python';

/** The handler language of a VS Code language id or file name, or undefined when it has no handlers. */
export function handlerLanguage(languageIdOrFile: string): HandlerLanguage | undefined {
  if (/^(javascript|typescript|javascriptreact|typescriptreact)$/.test(languageIdOrFile) || /\.(c|m)?(j|t)sx?$/.test(languageIdOrFile))
    return 'javascript';
  if (languageIdOrFile === 'python' || languageIdOrFile.endsWith('.py')) return 'python';
  return undefined;
}

const ident = '([A-Za-z_$][\\w$]*)';
/** Declarations that export a name from a JS/TS module (CommonJS or ESM). */
const JS_EXPORTS = [
  new RegExp(`^\\s*(?:module\\.)?exports\\.${ident}\\s*=`),
  new RegExp(`^\\s*export\\s+(?:async\\s+)?function\\s*\\*?\\s*${ident}\\s*\\(`),
  new RegExp(`^\\s*export\\s+(?:const|let|var)\\s+${ident}\\b`),
];
/** A top-level Python function (handlers are module attributes, so indentation excludes methods). */
const PY_DEF = new RegExp(`^(?:async\\s+)?def\\s+${ident}\\s*\\(`);

/**
 * Handlers declared in `text`: exports (JS/TS) or top-level functions (Python) whose name is a
 * conventional handler name or one of `extraNames` (from template.yaml / serverless.yml).
 */
export function detectHandlers(text: string, language: HandlerLanguage, extraNames: readonly string[] = []): DetectedHandler[] {
  const wanted = new Set([...CONVENTIONAL_HANDLER_NAMES, ...extraNames]);
  const found: DetectedHandler[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (let line = 0; line < lines.length; line++) {
    const patterns = language === 'python' ? [PY_DEF] : JS_EXPORTS;
    for (const re of patterns) {
      const name = re.exec(lines[line])?.[1];
      if (name && wanted.has(name) && !seen.has(name)) {
        seen.add(name);
        found.push({ exportName: name, line });
      }
    }
  }
  return found;
}

/** The handler whose declaration is the nearest at or above `line`, or undefined above the first one. */
export function handlerAtLine<T extends DetectedHandler>(handlers: readonly T[], line: number): T | undefined {
  let best: T | undefined;
  for (const h of handlers) if (h.line <= line && (!best || h.line > best.line)) best = h;
  return best;
}
