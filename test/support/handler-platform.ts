/** A local platform (preset instant) with one handler file bundled with the packed runtime and deployed, for engine tests. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBundle } from '../../src/engine/bundle';
import { deployFunction, LOCAL_ROLE } from '../../src/engine/deploy';
import { openSession, type Session } from '../../src/engine/session';
import { startLocalPlatform, type LocalPlatform } from '../../src/local';
import { targetOf } from '../component/local/helpers';

/** Writes `source` as `<dir>/handler.js`, bundles it and deploys it as each of `names` (MB, 30 s timeout); `close()` stops everything. */
export async function platformWithHandler(
  dir: string,
  source: string,
  names: string[],
  memoryMb: number,
  s3Env = false,
): Promise<{ platform: LocalPlatform; session: Session; close(): Promise<void> }> {
  const platform = await startLocalPlatform({ preset: 'instant' });
  const session = openSession(targetOf(platform));
  writeFileSync(join(dir, 'handler.js'), source);
  const bundle = await buildBundle({ kind: 'file', file: join(dir, 'handler.js') });
  for (const name of names) {
    await deployFunction(session.lambda, bundle, {
      name,
      memoryMb,
      architecture: 'x86_64',
      timeoutS: 30,
      role: LOCAL_ROLE,
      ...(s3Env ? { environment: { AWS_ENDPOINT_URL_S3: platform.s3Endpoint } } : {}),
    });
  }
  return {
    platform,
    session,
    close: async () => {
      session.close();
      await platform.stop();
    },
  };
}
