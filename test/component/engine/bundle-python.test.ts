/** Python deployment packages: the handler's folder and the packed runtime, the user's handler named in the environment. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { buildBundle, findDistDir, HandlerFileError } from '../../../src/engine/bundle';
import { pythonHandlerName } from '../../../src/engine/bundle-python';
import { writeTree } from '../../support/node-project';
import { parseDeploymentFile } from '../../../src/core/templates/deployment-file';
import { bundleSourceFor } from '../../../src/extension/commands/deploy-handler';

const work = mkdtempSync(join(tmpdir(), 'propack-pybundle-'));
after(() => rmSync(work, { recursive: true, force: true }));
writeTree(join(work, 'svc'), {
  'src/handlers/resize.py': 'from shared import util\ndef lambda_handler(event, context):\n    return util.go(event)\n',
  'src/shared/__init__.py': '',
  'src/shared/util.py': 'def go(e):\n    return e\n',
  'src/shared/__pycache__/util.cpython-311.pyc': 'compiled',
  'src/stale.pyc': 'compiled',
  'src/.git/HEAD': 'ref',
  'src/data/table.csv': 'a,b\n',
  'clash/propack_runtime.py': 'def handler(e, c):\n    return 1\n',
  'clash/app.py': 'def handler(e, c):\n    return 1\n',
});

test('a .py handler ships its package folder (CodeUri) and the runtime; the handler travels in PROPACK_ORIGINAL_HANDLER', async () => {
  const file = join(work, 'svc', 'src', 'handlers', 'resize.py');
  const bundle = await buildBundle({ kind: 'file', file, codeDir: join(work, 'svc', 'src'), mode: 'processes' });
  assert.equal(bundle.handler, 'propack_runtime.handler');
  assert.equal(bundle.runtime, 'python3.12');
  assert.deepEqual(bundle.environment, { PROPACK_ORIGINAL_HANDLER: 'handlers.resize.lambda_handler', PROPACK_MODE: 'processes' });
  const files = unzipSync(bundle.zip);
  assert.deepEqual(Object.keys(files).sort(), [
    'data/table.csv',
    'handlers/resize.py',
    'propack_runtime.py',
    'shared/__init__.py',
    'shared/util.py',
  ]);
  assert.equal(strFromU8(files['propack_runtime.py']), readFileSync(join(findDistDir(), 'propack_runtime.py'), 'utf8'));
  const again = await buildBundle({ kind: 'file', file, codeDir: join(work, 'svc', 'src'), mode: 'processes' });
  assert.equal(again.sha256, bundle.sha256, 'the same folder gives the same zip');
  const own = await buildBundle({ kind: 'file', file, exportName: 'other' });
  assert.deepEqual(own.environment, { PROPACK_ORIGINAL_HANDLER: 'resize.other' }, 'without CodeUri the package is the handler folder');
  assert.deepEqual(Object.keys(unzipSync(own.zip)).sort(), ['propack_runtime.py', 'resize.py']);
});

test('the handler function name: handler, else lambda_handler, as the file defines them', () => {
  assert.equal(pythonHandlerName('def lambda_handler(e, c):\n    pass\n'), 'lambda_handler');
  assert.equal(pythonHandlerName('def lambda_handler(e, c):\n    pass\ndef handler(e, c):\n    pass\n'), 'handler');
  assert.equal(pythonHandlerName('class X:\n    def lambda_handler(self):\n        pass\n'), 'handler', 'a method is no handler');
});

test('bad Python packages are refused with one line naming the file', async () => {
  await assert.rejects(
    buildBundle({ kind: 'file', file: join(work, 'svc', 'clash', 'app.py') }),
    (e: unknown) =>
      e instanceof HandlerFileError && /propack_runtime\.py: the packed runtime's own name: rename that module$/.test(e.message),
  );
  await assert.rejects(
    buildBundle({ kind: 'file', file: join(work, 'svc', 'src', 'handlers', 'resize.py'), codeDir: join(work, 'svc', 'clash') }),
    (e: unknown) => e instanceof HandlerFileError && /the handler is outside its package folder/.test(e.reason),
  );
  await assert.rejects(
    buildBundle({ kind: 'file', file: join(work, 'absent.py') }),
    (e: unknown) => e instanceof HandlerFileError && e.reason === 'no such file (ENOENT): check the handler path',
  );
  await assert.rejects(
    buildBundle({ kind: 'file', file: join(work, 'svc', 'clash', 'app.js'), mode: 'processes' }),
    (e: unknown) => e instanceof HandlerFileError && e.reason === '"processes" mode is for Python handlers; Node.js handlers use "threads"',
  );
});

test("a SAM Python function's CodeUri is its package: the folder ships, the template's handler is wrapped", async () => {
  const dir = join(work, 'sam');
  writeTree(dir, {
    'template.yaml': `Resources:
  ResizeFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: resize/
      Handler: app.lambda_handler
      Runtime: python3.12
`,
    'resize/app.py': 'from lib import x\ndef lambda_handler(event, context):\n    return x\n',
    'resize/lib.py': 'x = 1\n',
    'other/ignored.py': 'y = 2\n',
  });
  const declared = parseDeploymentFile('template.yaml', readFileSync(join(dir, 'template.yaml'), 'utf8')).find(
    (f) => f.key === 'ResizeFunction',
  );
  assert.ok(declared);
  const file = join(dir, 'resize', 'app.py');
  const bundle = await buildBundle(bundleSourceFor({ file, exportName: declared.exportName, declared }));
  assert.deepEqual(bundle.environment, { PROPACK_ORIGINAL_HANDLER: 'app.lambda_handler' });
  assert.deepEqual(Object.keys(unzipSync(bundle.zip)).sort(), ['app.py', 'lib.py', 'propack_runtime.py']);
});
