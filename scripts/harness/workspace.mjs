// The workspace the integration and UI tests open: built fresh in a temp folder at test time from the
// profiles shipped in the repository, plus one broken profile.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './tools.mjs';

/** The profiles shipped in the repository (import-artifact on ProPack's AWS data), copied under their names. */
const SHIPPED_PROFILES_DIR = 'benchmarks/profiles';
/** A profile file with a wrong schema: the tree must show it as an error item, not crash. */
export const BROKEN_PROFILE = 'broken.json';

/**
 * Handler files for the CodeLens, follow-the-cursor and profiling tests: `video.js` is named like a shipped
 * profile's function, `resize.py` has none, `functions/app.js` holds two handlers that `template.yaml` names
 * (one of them "video"), and `echo.js` is small enough to profile on the local platform in seconds.
 */
export const HANDLER_FILES = {
  'video.js': `// Scans a video segment (fixture)\nconst helper = (x) => x;\n\nexports.handler = async (event) => {\n  return { scanned: helper(event) };\n};\n`,
  'resize.py': `import json\n\n\ndef lambda_handler(event, context):\n    return {"statusCode": 200, "body": json.dumps(event)}\n`,
  'functions/app.js': `// Two functions in one module, declared in template.yaml\n\nexports.scan = async (event) => {\n  return { frames: 1 };\n};\n\nexports.thumbs = async (event) => {\n  return { thumbs: [] };\n};\n`,
  'template.yaml': `AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  VideoScan:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionName: video\n      CodeUri: functions/\n      Handler: app.scan\n      Runtime: nodejs20.x\n  Thumbs:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: functions/\n      Handler: app.thumbs\n      Runtime: nodejs20.x\n`,
  'echo.js': `// Echoes its task after a little CPU work (fixture profiled on the local platform)\nexports.handler = async (event) => {\n  let x = 0;\n  for (let i = 0; i < 2e5; i++) x += i % 7;\n  return { task: event && event.task, x };\n};\n`,
};

/** Creates `<tmp>/workspace` with `.propack/profiles/` and an empty `.propack/runs/`; returns its path. */
export function makeTestWorkspace(tmp) {
  const ws = join(tmp, 'workspace');
  const profiles = join(ws, '.propack', 'profiles');
  mkdirSync(profiles, { recursive: true });
  mkdirSync(join(ws, '.propack', 'runs'), { recursive: true });
  const shipped = readdirSync(join(REPO, SHIPPED_PROFILES_DIR)).filter((n) => n.endsWith('.json'));
  if (shipped.length === 0) throw new Error(`no profiles in ${SHIPPED_PROFILES_DIR}/ to build the test workspace from`);
  for (const name of shipped) copyFileSync(join(REPO, SHIPPED_PROFILES_DIR, name), join(profiles, name));
  for (const [name, text] of Object.entries(HANDLER_FILES)) {
    mkdirSync(join(ws, name, '..'), { recursive: true });
    writeFileSync(join(ws, name), text);
  }
  writeFileSync(join(profiles, BROKEN_PROFILE), JSON.stringify({ schema: 'propack.profile/v0', function: { name: 'old' } }, null, 2));
  return ws;
}
