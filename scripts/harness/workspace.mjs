// The workspace the integration and UI tests open: built fresh in a temp folder at test time from the
// profiles shipped in the repository, plus one broken profile.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './tools.mjs';

/** The profiles shipped in the repository (import-artifact on ProPack's AWS data), copied under their names. */
const SHIPPED_PROFILES_DIR = 'benchmarks/profiles';
/** A profile file with a wrong schema: the tree must show it as an error item, not crash. */
export const BROKEN_PROFILE = 'broken.json';

/** Creates `<tmp>/workspace` with `.propack/profiles/` and an empty `.propack/runs/`; returns its path. */
export function makeTestWorkspace(tmp) {
  const ws = join(tmp, 'workspace');
  const profiles = join(ws, '.propack', 'profiles');
  mkdirSync(profiles, { recursive: true });
  mkdirSync(join(ws, '.propack', 'runs'), { recursive: true });
  const shipped = readdirSync(join(REPO, SHIPPED_PROFILES_DIR)).filter((n) => n.endsWith('.json'));
  if (shipped.length === 0) throw new Error(`no profiles in ${SHIPPED_PROFILES_DIR}/ to build the test workspace from`);
  for (const name of shipped) copyFileSync(join(REPO, SHIPPED_PROFILES_DIR, name), join(profiles, name));
  writeFileSync(join(profiles, BROKEN_PROFILE), JSON.stringify({ schema: 'propack.profile/v0', function: { name: 'old' } }, null, 2));
  return ws;
}
