/** Escaping for the report page: text and attributes, JSON inside a script element, inlined scripts. */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Escapes text for HTML element content and double-quoted attributes (the renderer quotes every attribute so). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => HTML_ESCAPES[c]);
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` become \u escapes, so no
 * `</script>` or `<!--` can end or confuse the element, and JSON.parse still returns the same value.
 * U+2028/2029 are escaped too so the text is also valid JavaScript.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * JavaScript source ready to inline in a `<script>` element: the trailing source-map comment is removed (it
 * names a file the report does not ship). Sources that could end the element early are refused rather than
 * rewritten, since a blind rewrite could change what the code means; our own bundles never contain them.
 */
export function scriptForInline(source: string, name: string): string {
  const code = source.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
  if (/<\/script|<!--/i.test(code)) throw new Error(`${name} contains "</script" or "<!--" and cannot be inlined in the report`);
  return code;
}

/** A stylesheet ready to inline in a `<style>` element; one that could end the element early is refused. */
export function styleForInline(css: string): string {
  if (/<\/style/i.test(css)) throw new Error('a report stylesheet contains "</style" and cannot be inlined in the report');
  return css;
}
