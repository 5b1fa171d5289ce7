import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { deflateRawSync } from 'node:zlib';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  ListFunctionsCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { readCentralDirectory, UNZIPPED_LIMIT, UNZIPPED_TOO_LARGE } from '../../../src/local/unzip';
import { deploy, payloadJson, rejection, withPlatform, zipFiles } from './helpers';

interface Entry {
  name: string;
  data: Buffer;
  method: 0 | 8;
  size: number;
  zip64Size?: number;
}

/** A zip written by hand, so its headers may declare what its data is not (local headers + central directory). */
function handZip(entries: Entry[]): Buffer {
  const parts: Buffer[] = [],
    cd: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const extra = e.zip64Size === undefined ? Buffer.alloc(0) : Buffer.alloc(12);
    if (e.zip64Size !== undefined) {
      extra.writeUInt16LE(1, 0);
      extra.writeUInt16LE(8, 2);
      extra.writeBigUInt64LE(BigInt(e.zip64Size), 4);
    }
    const size = e.zip64Size === undefined ? e.size : 0xffffffff;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(size >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, e.data);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x800, 8);
    c.writeUInt16LE(e.method, 10);
    c.writeUInt32LE(e.data.length, 20);
    c.writeUInt32LE(size >>> 0, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt16LE(extra.length, 30);
    c.writeUInt32LE(offset, 42);
    cd.push(c, name, extra);
    offset += 30 + name.length + e.data.length;
  }
  const cdBuf = Buffer.concat(cd);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cdBuf, end]);
}

const MB = 1024 * 1024;
const INDEX = Buffer.from('exports.handler = async () => "ok";');

/** Code folders (and leftovers) of function `name` in the platform's data folder. */
function codeDirs(dataDir: string, name: string): string[] {
  const dir = join(dataDir, 'lambda', name);
  return existsSync(dir) ? readdirSync(dir).filter((d) => d.startsWith('code-')) : [];
}

test("zip bombs are refused with Lambda's error: declared sizes before extraction, actual bytes while streaming", async () => {
  const zeros25 = deflateRawSync(Buffer.alloc(25 * MB), { level: 9 });
  // The audit's bomb: 2 GB of zeros in about 2 MB, every header honest.
  const honest = handZip([
    { name: 'index.js', data: INDEX, method: 0, size: INDEX.length },
    ...Array.from({ length: 80 }, (_, i) => ({ name: `z/${i}`, data: zeros25, method: 8 as const, size: 25 * MB })),
  ]);
  assert.equal(
    readCentralDirectory(honest).reduce((s, e) => s + e.size, 0),
    INDEX.length + 2000 * MB,
  );
  // A header that lies: declares 1,000 bytes, inflates to 275 MB.
  const liar = handZip([
    { name: 'index.js', data: INDEX, method: 0, size: INDEX.length },
    { name: 'big', data: deflateRawSync(Buffer.alloc(275 * MB), { level: 1 }), method: 8, size: 1000 },
  ]);
  // ZIP64: a 5 GB declared size.
  const zip64 = handZip([
    { name: 'index.js', data: INDEX, method: 0, size: INDEX.length },
    { name: 'huge', data: zeros25, method: 8, size: 0, zip64Size: 5 * 1024 * MB },
  ]);
  assert.equal(readCentralDirectory(zip64)[1].size, 5 * 1024 * MB);

  const env = await withPlatform({ spareProcesses: 1 });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  try {
    await deploy(env.lambda, 'kept', 'exports.handler = async () => "old code";');
    loop.enable();
    const create = (name: string, zip: Buffer) =>
      env.lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: 'arn:aws:iam::123456789012:role/x',
          Code: { ZipFile: zip },
        }),
      );
    const times: Record<string, number> = {};
    for (const [label, zip] of [
      ['honest', honest],
      ['liar', liar],
      ['zip64', zip64],
    ] as const) {
      const t0 = performance.now();
      // The platform keeps answering while it unzips: a ListFunctions sent meanwhile is served.
      const [e, list] = await Promise.all([rejection(create(`bomb-${label}`, zip)), env.lambda.send(new ListFunctionsCommand({}))]);
      times[label] = performance.now() - t0;
      assert.equal(e.name, 'InvalidParameterValueException', `${label}: ${e.message}`);
      assert.equal(e.message, UNZIPPED_TOO_LARGE);
      assert.equal(e.message, 'Unzipped size must be smaller than 262144000 bytes');
      assert.deepEqual(
        list.Functions?.map((f) => f.FunctionName),
        ['kept'],
      );
      assert.deepEqual(codeDirs(env.platform.dataDir, `bomb-${label}`), [], `${label} left a folder`);
      assert.equal(
        (await rejection(env.lambda.send(new GetFunctionCommand({ FunctionName: `bomb-${label}` })))).name,
        'ResourceNotFoundException',
      );
    }
    // UpdateFunctionCode: refused the same way; the function keeps its old code and no code-*.tmp stays behind.
    const before = codeDirs(env.platform.dataDir, 'kept');
    const u = await rejection(env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'kept', ZipFile: liar })));
    assert.equal(u.message, UNZIPPED_TOO_LARGE);
    assert.deepEqual(codeDirs(env.platform.dataDir, 'kept'), before);
    assert.equal(payloadJson((await env.lambda.send(new InvokeCommand({ FunctionName: 'kept' }))).Payload), 'old code');
    loop.disable();
    const maxStallMs = loop.max / 1e6;
    console.log(
      `zip bombs refused: honest 2 GB ${times.honest.toFixed(0)} ms, lying header ${times.liar.toFixed(0)} ms, zip64 ${times.zip64.toFixed(0)} ms; longest event-loop stall ${maxStallMs.toFixed(0)} ms (limit ${UNZIPPED_LIMIT} bytes)`,
    );
    assert.ok(times.honest < 2000 && times.zip64 < 2000, 'declared sizes are checked before extraction');
    assert.ok(maxStallMs < 1500, `event loop stalled ${maxStallMs.toFixed(0)} ms`);
  } finally {
    await env.close();
  }
});

test('a package whose header lies about one small entry, or which is not a zip, is refused; a plain zip still deploys', async () => {
  const env = await withPlatform({ spareProcesses: 1 });
  try {
    const lie = handZip([{ name: 'index.js', data: deflateRawSync(INDEX), method: 8, size: 3 }]);
    for (const zip of [
      lie,
      Buffer.from('not a zip at all'),
      handZip([{ name: '../escape.js', data: INDEX, method: 0, size: INDEX.length }]),
    ]) {
      const e = await rejection(
        env.lambda.send(
          new CreateFunctionCommand({
            FunctionName: 'bad',
            Runtime: 'nodejs20.x',
            Handler: 'index.handler',
            Role: 'r',
            Code: { ZipFile: zip },
          }),
        ),
      );
      assert.equal(e.name, 'InvalidParameterValueException', e.message);
      assert.deepEqual(codeDirs(env.platform.dataDir, 'bad'), []);
    }
    await env.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'good',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: 'r',
        Code: { ZipFile: zipFiles({ 'index.js': 'exports.handler = async () => "fine";', 'lib/a.txt': 'x' }) },
      }),
    );
    assert.equal(payloadJson((await env.lambda.send(new InvokeCommand({ FunctionName: 'good' }))).Payload), 'fine');
  } finally {
    await env.close();
  }
});
