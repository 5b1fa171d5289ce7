import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { buildBundle, findDistDir, HandlerFileError, unpackableReason, type FunctionBundle } from '../../../src/engine/bundle';
import { packEvent, type PackedHandler, type PackedResponse } from '../../../src/runtime';
import { createS3Client, getObjectJson } from '../../../src/runtime/s3';
import { WORKLOADS } from '../../../benchmarks/workloads';
import { startLocalS3, type LocalS3 } from '../../support/s3';

const work = mkdtempSync(join(tmpdir(), 'propack-bundle-'));
const loaded: PackedHandler[] = [];
let s3srv: LocalS3;
before(async () => {
  s3srv = await startLocalS3(['bench']);
});
after(async () => {
  await Promise.all(loaded.map((h) => h.close()));
  await s3srv.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Unzips a bundle into a fresh directory (as Lambda does into /var/task) and loads its handler. */
function deploy(bundle: FunctionBundle, name: string): { dir: string; handler: PackedHandler } {
  const dir = join(work, name);
  for (const [path, data] of Object.entries(unzipSync(bundle.zip))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), data);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the unzipped package the way Lambda does
  const handler = (require(join(dir, 'index.js')) as { handler: PackedHandler }).handler;
  loaded.push(handler);
  return { dir, handler };
}

const invoke = async (h: PackedHandler, payloads: unknown[], mode?: 'async' | 'threads'): Promise<PackedResponse['__propack']> => {
  const deadline = Date.now() + 60_000;
  const out = await h(
    packEvent(
      payloads.map((payload, i) => ({ id: `t${i}`, payload })),
      mode ? { mode, poolSize: 2 } : {},
    ),
    {
      getRemainingTimeInMillis: () => deadline - Date.now(),
    },
  );
  return (out as PackedResponse).__propack;
};

test('a benchmark bundle is one self-contained index.js that runs packed tasks on worker threads', async () => {
  const bundle = await buildBundle({ kind: 'benchmark', name: 'video' });
  assert.equal(bundle.handler, 'index.handler');
  assert.deepEqual(bundle.files, ['index.js']);
  assert.equal(bundle.sha256, createHash('sha256').update(bundle.zip).digest('base64'));
  assert.equal((await buildBundle({ kind: 'benchmark', name: 'video' })).sha256, bundle.sha256, 'deterministic zip');
  const s3 = createS3Client();
  const job = await WORKLOADS.video.prepare(s3, {
    bucket: 'bench',
    prefix: 'b1',
    tasks: 2,
    sizes: { width: 96, height: 72, framesPerTask: 2 },
  });
  // Worker threads load the unzipped index.js itself: no node_modules next to it.
  const { handler } = deploy(bundle, 'video');
  const first = await invoke(handler, job.phases[0].payloads, 'threads');
  assert.equal(first.instance.cold, true);
  assert.deepEqual(
    first.tasks.map((t) => t.status),
    ['ok', 'ok'],
    JSON.stringify(first.tasks),
  );
  assert.deepEqual(await WORKLOADS.video.check(s3, job), { ok: true, checked: 4, failures: [] });
  assert.equal((await invoke(handler, [])).instance.cold, false);
  s3.destroy();
});

test('a user handler file is zipped beside the runtime shim, which wraps its export (async and threads)', async () => {
  const file = join(work, 'src', 'index.js');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    [
      "const { threadId } = require('node:worker_threads');",
      'exports.main = async (event) => {',
      "  if (event.fail) throw new Error('user failure');",
      '  let x = 0; for (let i = 0; i < event.n; i++) x = (x + i * i) % 1000003;',
      '  return { x, threadId };',
      '};',
    ].join('\n'),
  );
  const bundle = await buildBundle({ kind: 'file', file, exportName: 'main', mode: 'threads' });
  assert.deepEqual(bundle.files.sort(), ['index.js', 'propack.json', 'user-index.js', 'user-index.js.map']);
  const { handler } = deploy(bundle, 'user');
  assert.deepEqual(await handler({ n: 10 }), { x: 285, threadId: 0 }, 'an unpacked event runs in place');
  const threads = await invoke(handler, [{ n: 10 }, { fail: true }, { n: 4 }]);
  assert.deepEqual(
    threads.tasks.map((t) => t.status),
    ['ok', 'error', 'ok'],
  );
  assert.equal(threads.instance.cold, false);
  assert.ok((threads.tasks[0].result as { threadId: number }).threadId > 0, 'default mode threads: a worker ran it');
  assert.deepEqual(threads.tasks[1].error, { type: 'Error', message: 'user failure' });
  const inline = await invoke(handler, [{ n: 4 }], 'async');
  assert.deepEqual(inline.tasks[0].result, { x: 14, threadId: 0 });
  // The bundled runtime carries its lazily loaded S3 result sink inside index.js.
  const sunk = (await handler(
    packEvent([{ id: 's', payload: { n: 3 } }], { mode: 'async', resultSink: { bucket: 'bench', key: 'sink/user.json' } }),
  )) as PackedResponse;
  const s3 = createS3Client();
  assert.deepEqual(await getObjectJson(s3, 'bench', 'sink/user.json'), JSON.parse(JSON.stringify(sunk)));
  s3.destroy();
});

test('bundling refuses what Lambda could not load, with a reason', async () => {
  const rb = join(work, 'h.rb');
  writeFileSync(rb, 'def handler; end');
  await assert.rejects(
    buildBundle({ kind: 'file', file: rb }),
    (e: unknown) =>
      e instanceof HandlerFileError &&
      e.file === rb &&
      /^the handler must be a Node\.js module \(\.js .*\.ts/.test(e.reason) &&
      e.message === `${rb}: ${e.reason}`,
  );
  assert.equal(unpackableReason(join(work, 'h.py')), undefined, 'Python handlers are packed by the Python runtime');
  for (const f of ['a.js', 'b.cjs', 'C.JS']) assert.equal(unpackableReason(f), undefined, f);
  for (const f of ['a.mjs', 'a.mts', 'a.tsx', 'a.ts']) assert.equal(unpackableReason(f), undefined, f);
  for (const f of ['a.rb', 'a.go']) assert.match(unpackableReason(f) ?? '', /must be a Node\.js module/, f);
  await assert.rejects(buildBundle({ kind: 'file', file: join(work, 'absent.js') }), /ENOENT/);
  await assert.rejects(buildBundle({ kind: 'benchmark', name: 'nope' as 'video' }), /unknown benchmark/);
  assert.throws(() => findDistDir(tmpdir()), /npm run build/);
});
