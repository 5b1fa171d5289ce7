/** The pip command that vendors requirements.txt, per target, and the one line its failures become. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pipCacheKeyParts, pipFailureLine, pipInstallArgs, pythonVersionOf } from '../../../src/engine/pip-command';

const local = { platform: 'local', architecture: 'x86_64', runtime: 'python3.12' } as const;

test('for the embedded platform pip installs plainly into the target, with no Lambda wheel flags', () => {
  const args = pipInstallArgs('/t', local);
  assert.deepEqual(args.slice(0, 9), [
    '-m',
    'pip',
    'install',
    '-r',
    'requirements.txt',
    '--target',
    '/t',
    '--no-input',
    '--disable-pip-version-check',
  ]);
  assert.ok(!args.includes('--platform') && !args.includes('--only-binary=:all:'));
});

test("for AWS pip takes only manylinux2014 binary wheels of the runtime's Python version and the architecture", () => {
  const x86 = pipInstallArgs('/t', { platform: 'aws', architecture: 'x86_64', runtime: 'python3.11' });
  const tail = (a: string[]): string[] => a.slice(a.indexOf('--platform'));
  assert.deepEqual(tail(x86), [
    '--platform',
    'manylinux2014_x86_64',
    '--implementation',
    'cp',
    '--python-version',
    '3.11',
    '--only-binary=:all:',
  ]);
  const arm = pipInstallArgs('/t', { platform: 'aws', architecture: 'arm64', runtime: 'python3.13' });
  assert.deepEqual(tail(arm), [
    '--platform',
    'manylinux2014_aarch64',
    '--implementation',
    'cp',
    '--python-version',
    '3.13',
    '--only-binary=:all:',
  ]);
  assert.throws(() => pipInstallArgs('/t', { platform: 'aws', architecture: 'x86_64', runtime: 'nodejs20.x' }), /python3\.X runtime/);
  assert.equal(pythonVersionOf('python3.9'), '3.9');
  assert.equal(pythonVersionOf('nodejs20.x'), undefined);
});

test('the cache key changes with the python and with every target field', () => {
  const key = (python: string, t: Parameters<typeof pipCacheKeyParts>[1]): string => pipCacheKeyParts(python, t).join(' ');
  const base = key('/usr/bin/python3', local);
  assert.notEqual(key('/other/python3', local), base);
  const aws = { platform: 'aws', architecture: 'x86_64', runtime: 'python3.12' } as const;
  assert.notEqual(key('/usr/bin/python3', aws), base);
  assert.notEqual(key('/usr/bin/python3', { ...aws, architecture: 'arm64' }), key('/usr/bin/python3', aws));
  assert.notEqual(key('/usr/bin/python3', { ...aws, runtime: 'python3.11' }), key('/usr/bin/python3', aws));
});

test("pip's failures become one line saying what to do", () => {
  assert.equal(
    pipFailureLine('/usr/bin/python3: No module named pip\n', local),
    'requirements.txt needs pip: install python3-pip or set PROPACK_PYTHON to a Python with pip',
  );
  const missing =
    'ERROR: Could not find a version that satisfies the requirement nolib==1.0 (from versions: none)\nERROR: No matching distribution found for nolib==1.0\n';
  assert.match(pipFailureLine(missing, local), /^requirements\.txt: pip found no distribution of nolib==1\.0: /);
  const aws = pipFailureLine(missing, { platform: 'aws', architecture: 'arm64', runtime: 'python3.10' });
  assert.match(aws, /no manylinux2014_aarch64 wheel of nolib==1\.0 for Python 3\.10/);
  const other = 'WARNING: Running pip as the root user\nERROR: Invalid requirement: "==="\nWARNING: trailing\n';
  assert.equal(pipFailureLine(other, local), 'requirements.txt: pip install failed: Invalid requirement: "==="');
  for (const line of [pipFailureLine(missing, local), aws, pipFailureLine(other, local)]) assert.ok(!line.includes('\n'));
});
