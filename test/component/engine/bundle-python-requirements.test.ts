/** requirements.txt vendoring: pip installs a wheel the test builds (no download) beside the package, cached by what decides its output. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { buildBundle, HandlerFileError } from '../../../src/engine/bundle';
import { writeTree } from '../../support/node-project';
import { offlineRequirements, writeWheel } from '../../support/python-wheel';

const work = mkdtempSync(join(tmpdir(), 'propack-pyreq-'));
after(() => rmSync(work, { recursive: true, force: true }));
// The wheels sit outside the package, so removing them shows whether a second bundle reinstalls.
writeWheel(join(work, 'wheels'), 'mylib', '1.0', 'VALUE = 42\n');
writeTree(join(work, 'svc'), {
  'app.py': 'import mylib\ndef handler(event, context):\n    return mylib.VALUE\n',
  // A package file of an installed file's path: the package's wins.
  'mylib-1.0.dist-info/INSTALLER': 'the package its own\n',
  'requirements.txt': offlineRequirements('../wheels', 'mylib==1.0'),
});

test('a requirements.txt is installed at the zip root beside the package; the package wins a clash; an unchanged package is not reinstalled', async () => {
  const cache = join(work, 'cache');
  const bundle = await buildBundle({ kind: 'file', file: join(work, 'svc', 'app.py') }, { pipCacheDir: cache });
  const files = unzipSync(bundle.zip);
  assert.equal(strFromU8(files['mylib/__init__.py']), 'VALUE = 42\n');
  for (const f of ['METADATA', 'WHEEL', 'RECORD']) assert.ok(files[`mylib-1.0.dist-info/${f}`], `dist-info/${f} kept, as sam build does`);
  assert.equal(strFromU8(files['mylib-1.0.dist-info/INSTALLER']), 'the package its own\n');
  assert.ok(files['app.py'] && files['requirements.txt'] && files['propack_runtime.py']);
  assert.ok(!Object.keys(files).some((p) => p.includes('__pycache__') || p.endsWith('.pyc')));
  const packaged = Object.keys(files).filter((p) => p !== 'propack_runtime.py'); // the runtime is added last
  assert.deepEqual(packaged, packaged.slice().sort(), 'sorted: the zip does not depend on where a file came from');
  assert.equal(readdirSync(cache).length, 1, 'one cached install');

  rmSync(join(work, 'wheels'), { recursive: true });
  const again = await buildBundle({ kind: 'file', file: join(work, 'svc', 'app.py') }, { pipCacheDir: cache });
  assert.equal(again.sha256, bundle.sha256, 'the cached install gives the same zip, so a deploy skips it');
  // A changed requirements.txt is a new key: pip runs again, and now finds no wheel.
  writeFileSync(join(work, 'svc', 'requirements.txt'), offlineRequirements('../wheels', 'mylib>=1.0'));
  await assert.rejects(buildBundle({ kind: 'file', file: join(work, 'svc', 'app.py') }, { pipCacheDir: cache }), HandlerFileError);
  writeWheel(join(work, 'wheels'), 'mylib', '1.0', 'VALUE = 42\n');
  writeFileSync(join(work, 'svc', 'requirements.txt'), offlineRequirements('../wheels', 'mylib==1.0'));
});

test('without pipCacheDir the install is cached in the package folder, which the zip leaves out', async () => {
  const bundle = await buildBundle({ kind: 'file', file: join(work, 'svc', 'app.py') });
  assert.ok(existsSync(join(work, 'svc', '.propack', 'cache', 'pip')));
  assert.ok(!Object.keys(unzipSync(bundle.zip)).some((p) => p.startsWith('.propack')));
});

test('for AWS pip takes wheels for Lambda (a py3-none-any wheel fits every platform); none for a name is one line naming it', async () => {
  const cache = join(work, 'cache-aws');
  const bundle = await buildBundle(
    { kind: 'file', file: join(work, 'svc', 'app.py') },
    { platform: 'aws', architecture: 'arm64', runtime: 'python3.11', pipCacheDir: cache },
  );
  assert.equal(bundle.runtime, 'python3.11');
  assert.ok(unzipSync(bundle.zip)['mylib/__init__.py']);
  writeTree(join(work, 'missing'), {
    'app.py': 'def handler(e, c):\n    return 1\n',
    'requirements.txt': offlineRequirements('../wheels', 'nolib==2.0'),
  });
  const file = join(work, 'missing', 'app.py');
  await assert.rejects(
    buildBundle({ kind: 'file', file }, { platform: 'aws', architecture: 'arm64', runtime: 'python3.11', pipCacheDir: cache }),
    (e: unknown) =>
      e instanceof HandlerFileError &&
      e.message ===
        `${join(work, 'missing', 'requirements.txt')}: requirements.txt: no manylinux2014_aarch64 wheel of nolib==2.0 for Python 3.11 (Lambda needs binary wheels): pin a version that publishes one, or vendor it yourself`,
  );
  await assert.rejects(buildBundle({ kind: 'file', file }, { pipCacheDir: cache }), (e: unknown) =>
    /: requirements\.txt: pip found no distribution of nolib==2\.0: check its name and version, and the index or --find-links it names$/.test(
      (e as Error).message,
    ),
  );
  assert.ok(!readdirSync(cache).some((d) => d.includes('partial')), 'a failed install leaves no folder behind');
});

test('a Python without pip, and a --runtime of the other language, are one line saying what to do', async () => {
  const fake = join(work, 'python-without-pip');
  writeFileSync(fake, '#!/bin/sh\necho "$0: No module named pip" >&2\nexit 1\n');
  chmodSync(fake, 0o755);
  const saved = process.env.PROPACK_PYTHON;
  process.env.PROPACK_PYTHON = fake;
  try {
    await assert.rejects(
      buildBundle({ kind: 'file', file: join(work, 'svc', 'app.py') }, { pipCacheDir: join(work, 'cache-nopip') }),
      (e: unknown) =>
        (e as Error).message ===
        `${join(work, 'svc', 'requirements.txt')}: requirements.txt needs pip: install python3-pip or set PROPACK_PYTHON to a Python with pip`,
    );
  } finally {
    if (saved === undefined) delete process.env.PROPACK_PYTHON;
    else process.env.PROPACK_PYTHON = saved;
  }
  await assert.rejects(buildBundle({ kind: 'file', file: join(work, 'svc', 'app.py') }, { runtime: 'nodejs20.x' }), (e: unknown) =>
    /app\.py: the runtime must be one of python3\.9, .*python3\.13 for a Python handler, got "nodejs20\.x"$/.test((e as Error).message),
  );
});
