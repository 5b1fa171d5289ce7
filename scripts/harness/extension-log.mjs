// Prints the ProPack output channel (activation time, commands) that the extension host wrote to disk.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findLogs(dir, found = []) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return found; // no logs folder yet: nothing to print
  }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findLogs(p, found);
    else if (/ProPack\.log$/.test(name)) found.push(p);
  }
  return found;
}

/** Forwards every "ProPack" output channel log under the user-data folder to stdout. */
export function printExtensionLog(userData) {
  for (const file of findLogs(userData)) {
    const text = readFileSync(file, 'utf8').trimEnd();
    if (text)
      console.log(
        text
          .split('\n')
          .map((l) => `[ProPack channel] ${l}`)
          .join('\n'),
      );
  }
}
