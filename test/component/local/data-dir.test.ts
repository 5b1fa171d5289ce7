import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { prepareDataDir } from '../../../src/local/platform';
import { deploy, withPlatform } from './helpers';

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });

test('the platform marks its data folder in a workspace as ignored: git sees none of the deployed code or S3 objects', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'propack-ws-'));
  try {
    git(ws, 'init', '-q');
    writeFileSync(join(ws, 'handler.js'), 'exports.handler = async () => 1;\n');
    const env = await withPlatform({ dataDir: join(ws, '.propack', 'local') });
    try {
      await deploy(env.lambda, 'kept', 'exports.handler = async () => 1;');
      await env.s3.send(new CreateBucketCommand({ Bucket: 'kept-data' }));
      await env.s3.send(new PutObjectCommand({ Bucket: 'kept-data', Key: 'k', Body: 'data' }));
    } finally {
      await env.close();
    }
    assert.match(readFileSync(join(ws, '.propack', 'local', '.gitignore'), 'utf8'), /^\*$/m);
    // Only the user's own file is untracked; nothing under .propack/local (not even the .gitignore) shows up.
    assert.equal(git(ws, 'status', '--porcelain', '--untracked-files=all'), '?? handler.js\n');
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

test('prepareDataDir writes .gitignore into a new folder or one holding only platform data, never beside a user file', () => {
  const root = mkdtempSync(join(tmpdir(), 'propack-data-'));
  try {
    const fresh = join(root, 'a', 'b');
    assert.equal(prepareDataDir(fresh), true);
    assert.equal(readFileSync(join(fresh, '.gitignore'), 'utf8').trim().split('\n').at(-1), '*');

    // A folder from before this change: already holds lambda/ and s3/.
    const old = join(root, 'old');
    mkdirSync(join(old, 'lambda'), { recursive: true });
    mkdirSync(join(old, 's3'));
    assert.equal(prepareDataDir(old), true);

    // --data-dir pointed at a folder with the user's files: leave it alone.
    const mine = join(root, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.txt'), 'mine');
    assert.equal(prepareDataDir(mine), false);
    assert.throws(() => readFileSync(join(mine, '.gitignore')));

    // An existing .gitignore is kept as it is.
    writeFileSync(join(old, '.gitignore'), 'custom\n');
    assert.equal(prepareDataDir(old), true);
    assert.equal(readFileSync(join(old, '.gitignore'), 'utf8'), 'custom\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
