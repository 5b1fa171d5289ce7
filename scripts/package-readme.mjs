// Writes the README that `npm run package` puts into the .vsix (out/vsix/README.md): README.md with its
// relatively linked images inlined as data: URIs. Why: VS Code shows an installed extension's README in a
// webview that resolves relative links against itself, not the extension's folder, and admits only https:
// and data: images; vsce would rewrite them to a public repository's URLs, and ProPack has none (and a .vsix
// installed from a file may be viewed offline). README.md itself keeps the relative links GitHub renders.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(REPO, 'out', 'vsix', 'README.md');
const TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

let inlined = 0;
let bytes = 0;
const text = readFileSync(join(REPO, 'README.md'), 'utf8').replace(/(!\[[^\]]*\]\()([^)\s]+)(\))/g, (all, open, link, close) => {
  if (/^[a-z][\w+.-]*:/i.test(link) || link.startsWith('#')) return all;
  const type = TYPES[extname(link).toLowerCase()];
  // SVG is refused by vsce and the marketplace; any other image type must be added above, not skipped.
  if (!type) throw new Error(`README.md links the image ${link}, which cannot be inlined (${extname(link) || 'no extension'})`);
  const data = readFileSync(join(REPO, link));
  inlined++;
  bytes += data.length;
  return `${open}data:${type};base64,${data.toString('base64')}${close}`;
});
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, text);
console.log(`package-readme: ${OUT} with ${inlined} images inlined (${(bytes / 1024).toFixed(0)} KiB)`);
