/**
 * GetFunction's Code.Location on the embedded platform: a one-time, expiring download of the function's
 * own package on the Lambda server, refused without its token, with a spent, expired or foreign token.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CodeLocations } from '../../../src/local/code-location';
import { deploy, withPlatform, zipFiles } from './helpers';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('base64');

async function location(lambda: Awaited<ReturnType<typeof withPlatform>>['lambda'], name: string): Promise<string> {
  const got = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
  assert.equal(got.Code?.RepositoryType, 'S3');
  assert.ok(got.Code?.Location, 'a Code.Location');
  return got.Code.Location;
}

test('Code.Location downloads the package as deployed, once; without the token, or with it spent, it is refused', async () => {
  const p = await withPlatform();
  try {
    const created = await deploy(p.lambda, 'dl', 'exports.handler = async () => 1;');
    const url = await location(p.lambda, 'dl');
    assert.ok(url.startsWith(`${p.platform.lambdaEndpoint}/`), `${url} is on the platform's own server`);
    assert.ok(!url.includes(p.platform.dataDir) && !url.includes('code-'), 'the URL names no file of the platform');
    const first = await fetch(url);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('content-type'), 'application/zip');
    const bytes = new Uint8Array(await first.arrayBuffer());
    assert.equal(sha(bytes), created.CodeSha256, 'the bytes Lambda hashed');
    assert.deepEqual(bytes, zipFiles({ 'index.js': 'exports.handler = async () => 1;' }));

    const again = await fetch(url);
    assert.equal(again.status, 403);
    assert.match(await again.text(), /<Code>AccessDenied<\/Code>.*not one this platform gave/);
    const bare = await fetch(url.replace(/\?token=.*$/, ''));
    assert.equal(bare.status, 403);
    assert.match(await bare.text(), /needs the token/);
    const guessed = await fetch(url.replace(/token=[^&]+/, `token=${'A'.repeat(43)}`));
    assert.equal(guessed.status, 403);
  } finally {
    await p.close();
  }
});

test("a token is refused for another function and on another platform; the platform's own API still needs a signature", async () => {
  const a = await withPlatform();
  const b = await withPlatform();
  try {
    await deploy(a.lambda, 'one', 'exports.handler = async () => 1;');
    await deploy(a.lambda, 'two', 'exports.handler = async () => 2;');
    await deploy(b.lambda, 'one', 'exports.handler = async () => 1;');
    const forOne = await location(a.lambda, 'one');
    const otherFunction = await fetch(forOne.replace('/propack-code/one?', '/propack-code/two?'));
    assert.equal(otherFunction.status, 403, "one's token does not open two's package");
    const otherPlatform = await fetch(forOne.replace(a.platform.lambdaEndpoint, b.platform.lambdaEndpoint));
    assert.equal(otherPlatform.status, 403, "a's token means nothing to b");
    assert.equal((await fetch(forOne)).status, 200, 'the refusals did not spend it');
    const unsigned = await fetch(`${a.platform.lambdaEndpoint}/2015-03-31/functions/one`);
    assert.equal(unsigned.status, 403, 'only the code path takes a token instead of a signature');
    const fromBrowser = await fetch(await location(a.lambda, 'one'), { headers: { origin: 'https://evil.example' } });
    assert.equal(fromBrowser.status, 403, 'browsers are refused, as on every route');
  } finally {
    await a.close();
    await b.close();
  }
});

test('an expired token is refused with "Request has expired"', async () => {
  const p = await withPlatform({ codeLocationTtlMs: 0 });
  try {
    await deploy(p.lambda, 'old', 'exports.handler = async () => 1;');
    const res = await fetch(await location(p.lambda, 'old'));
    assert.equal(res.status, 403);
    assert.match(await res.text(), /Request has expired/);
  } finally {
    await p.close();
  }
});

test('CodeLocations: a grant lasts its TTL on the given clock, works once, and is only for its function', () => {
  let now = 1_000;
  const locations = new CodeLocations(600_000, () => now);
  const path = locations.issue('fn', '/data/fn/code-1.zip');
  const url = (p: string): URL => new URL(p, 'http://127.0.0.1:1');
  assert.match(path, /^\/propack-code\/fn\?token=[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(locations.redeem(url(path.replace('/fn?', '/other?'))), {
    status: 403,
    code: 'AccessDenied',
    message: 'Access Denied: the token is not one this platform gave for this function.',
  });
  now += 599_999;
  assert.deepEqual(locations.redeem(url(path)), { zipPath: '/data/fn/code-1.zip' });
  assert.equal('status' in locations.redeem(url(path)), true, 'spent');
  const late = locations.issue('fn', '/data/fn/code-1.zip');
  now += 600_000;
  assert.match((locations.redeem(url(late)) as { message: string }).message, /^Request has expired/);
});
