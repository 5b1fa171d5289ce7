// The workspace the integration and UI tests open: built fresh in a temp folder at test time from the
// profiles shipped in the repository, plus one broken profile.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './tools.mjs';

/** Shipped profiles the tests expect in the tree (file name in the workspace → source in the repo). */
export const SHIPPED_PROFILES = {
  'video.json': 'test/fixtures/stand-in-video.json',
};
/** A profile file with a wrong schema: the tree must show it as an error item, not crash. */
export const BROKEN_PROFILE = 'broken.json';

/** Creates `<tmp>/workspace` with `.propack/profiles/` and an empty `.propack/runs/`; returns its path. */
export function makeTestWorkspace(tmp) {
  const ws = join(tmp, 'workspace');
  const profiles = join(ws, '.propack', 'profiles');
  mkdirSync(profiles, { recursive: true });
  mkdirSync(join(ws, '.propack', 'runs'), { recursive: true });
  for (const [name, source] of Object.entries(SHIPPED_PROFILES)) copyFileSync(join(REPO, source), join(profiles, name));
  writeFileSync(join(profiles, BROKEN_PROFILE), JSON.stringify({ schema: 'propack.profile/v0', function: { name: 'old' } }, null, 2));
  return ws;
}
