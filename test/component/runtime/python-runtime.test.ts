/**
 * The packed Python runtime (src/runtime/python/propack_runtime.py) run by this machine's python3, as the
 * Lambda Python runtime would call it: a driver imports it beside a user module and calls `handler`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { pythonExecutable } from '../../../src/local/python';
import { packBatchInput } from '../../../src/runtime/protocol';
import { REPO_ROOT } from '../../support/fixtures';

const RUNTIME_DIR = join(REPO_ROOT, 'src', 'runtime', 'python');
const code = mkdtempSync(join(tmpdir(), 'propack-pyrt-'));
after(() => rmSync(code, { recursive: true, force: true }));

// The user's module: its tasks report which process ran them; some raise, die, block or return a set.
writeFileSync(
  join(code, 'app.py'),
  `import os, threading
BARRIER = threading.Barrier(6)
def handler(event, context):
    kind = event.get("kind")
    if kind == "raise":
        raise KeyError("no such frame: " + str(event["n"]))
    if kind == "die":
        os._exit(3)
    if kind == "block":
        threading.Event().wait()
    if kind == "set":
        return {1, 2}
    if kind == "meet":
        # Returns only when all the barrier's parties run at once (I/O-bound tasks waiting together).
        BARRIER.wait(timeout=20)
    return {"n": event.get("n"), "square": event.get("n", 0) ** 2, "pid": os.getpid(), "thread": threading.get_ident()}
`,
);

const DRIVER = `
import json, os, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[2]]
events, remaining = json.loads(sys.argv[3]), float(sys.argv[4])
import propack_runtime
class Context:
    def __init__(self):
        self.deadline = time.time() * 1000 + remaining
    def get_remaining_time_in_millis(self):
        return int(self.deadline - time.time() * 1000)
out = []
for e in events:
    try:
        out.append({"ok": propack_runtime.handler(e, Context() if remaining > 0 else None)})
    except Exception as ex:
        out.append({"raised": type(ex).__name__, "message": str(ex)})
print(json.dumps({"results": out, "pid": os.getpid()}))
sys.stdout.flush()
os._exit(0)  # threads left blocked by abandoned tasks must not hold the driver open
`;

interface TaskResult {
  id: string;
  status: string;
  result?: { n: number; square: number; pid: number; thread: number };
  error?: { type: string; message: string; retryable?: boolean };
  startedAt: number;
  endedAt: number;
}
interface Packed {
  __propack: {
    v: number;
    instance: { id: string; cold: boolean; vcpus: number; memoryMb: number };
    startedAt: number;
    endedAt: number;
    tasks: TaskResult[];
  };
}
interface DriverOut {
  results: ({ ok: unknown } | { raised: string; message: string })[];
  pid: number;
}

/** Runs `events` through the runtime in one python3 process (one module load: the first call is cold). */
function drive(events: unknown[], opts: { env?: Record<string, string>; remainingMs?: number } = {}): Promise<DriverOut> {
  const python = pythonExecutable();
  if (!python) throw new Error('python3 is needed for these tests (Debian: apt-get install python3)');
  return new Promise((resolve, reject) => {
    // -B: importing the runtime from src/ must not write a __pycache__ into the repository.
    const child = spawn(python, ['-I', '-B', '-c', DRIVER, code, RUNTIME_DIR, JSON.stringify(events), String(opts.remainingMs ?? 0)], {
      env: { PATH: process.env.PATH ?? '', PROPACK_ORIGINAL_HANDLER: 'app.handler', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      if (status !== 0) return reject(new Error(`driver exited ${status}: ${err}`));
      resolve(JSON.parse(out) as DriverOut);
    });
  });
}

const packed = (tasks: { id: string; payload: unknown }[], extra: Record<string, unknown> = {}) => ({
  __propack: { v: 1, tasks, ...extra },
});
const okOf = (r: DriverOut['results'][number]): Packed => {
  if (!('ok' in r)) throw new Error(`the handler raised ${r.raised}: ${r.message}`);
  return r.ok as Packed;
};

test('unpacked events pass straight through; a packed event answers every task in order with instance facts', async () => {
  const tasks = [1, 2, 3, 4, 5].map((n) => ({ id: `t${n}`, payload: { n } }));
  const out = await drive([{ n: 7 }, packed(tasks), packed(tasks, { mode: 'threads', poolSize: 2 })], {
    env: { PROPACK_VCPUS: '3', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '2048', PROPACK_INSTANCE_ID: 'i-test' },
  });
  const plain = out.results[0] as { ok: { n: number; square: number } };
  assert.equal(plain.ok.n, 7);
  assert.equal(plain.ok.square, 49);
  const first = okOf(out.results[1]).__propack;
  const second = okOf(out.results[2]).__propack;
  assert.equal(first.v, 1);
  assert.deepEqual(first.instance, { id: 'i-test', cold: false, vcpus: 3, memoryMb: 2048 }, 'the unpacked call was the cold one');
  assert.equal(second.instance.cold, false);
  for (const body of [first, second]) {
    assert.deepEqual(
      body.tasks.map((t) => [t.id, t.status, t.result?.square]),
      tasks.map((t) => [t.id, 'ok', t.payload.n ** 2]),
    );
    for (const t of body.tasks) {
      assert.equal(t.result?.pid, out.pid, 'threads mode runs tasks in the instance process');
      assert.ok(body.startedAt <= t.startedAt && t.startedAt <= t.endedAt && t.endedAt <= body.endedAt, JSON.stringify(t));
    }
  }
  assert.ok(new Set(second.tasks.map((t) => t.result?.thread)).size <= 2, 'poolSize 2: at most two threads');
});

test('threads mode runs every task of a request at once by default, whatever the vCPUs (I/O-bound tasks wait together)', async () => {
  const tasks = [1, 2, 3, 4, 5, 6].map((n) => ({ id: `m${n}`, payload: { kind: 'meet', n } }));
  const out = await drive([packed(tasks, { mode: 'threads' })], { env: { PROPACK_VCPUS: '1' } });
  const body = okOf(out.results[0]).__propack;
  assert.deepEqual(
    body.tasks.map((t) => [t.id, t.status]),
    tasks.map((t) => [t.id, 'ok']),
    'six tasks met at one barrier: a pool of one vCPU would have broken it',
  );
});

test('the first invocation of a module load is cold; the instance id is random per load without PROPACK_INSTANCE_ID', async () => {
  const one = [packed([{ id: 'a', payload: { n: 1 } }]), packed([{ id: 'b', payload: { n: 2 } }])];
  const [x, y] = await Promise.all([drive(one), drive(one)]);
  const bodies = [...x.results, ...y.results].map((r) => okOf(r).__propack.instance);
  assert.deepEqual(
    bodies.map((b) => b.cold),
    [true, false, true, false],
  );
  assert.match(bodies[0].id, /^i-[0-9a-f]{12}$/);
  assert.equal(bodies[0].id, bodies[1].id);
  assert.notEqual(bodies[0].id, bodies[2].id);
});

test('processes mode runs each task in a child process; a raising task and a dying child fail only their own task', async () => {
  const tasks = [
    { id: 'ok1', payload: { n: 3 } },
    { id: 'bad', payload: { kind: 'raise', n: 9 } },
    { id: 'dies', payload: { kind: 'die' } },
    { id: 'set', payload: { kind: 'set' } },
    { id: 'ok2', payload: { n: 4 } },
  ];
  for (const how of [{ mode: 'processes' }, { env: { PROPACK_MODE: 'processes' } }] as const) {
    const out = await drive([packed(tasks, 'mode' in how ? { mode: how.mode } : {})], 'env' in how ? { env: how.env } : {});
    const body = okOf(out.results[0]).__propack;
    const by = Object.fromEntries(body.tasks.map((t) => [t.id, t]));
    assert.deepEqual(
      body.tasks.map((t) => t.id),
      tasks.map((t) => t.id),
    );
    assert.equal(by.ok1.result?.square, 9);
    assert.equal(by.ok2.result?.square, 16);
    for (const id of ['ok1', 'ok2']) assert.notEqual(by[id].result?.pid, out.pid, `${id} ran in a child process`);
    assert.notEqual(by.ok1.result?.pid, by.ok2.result?.pid, 'one process per task');
    assert.deepEqual(by.bad.error, { type: 'KeyError', message: "'no such frame: 9'" });
    assert.equal(by.dies.status, 'error');
    assert.deepEqual(by.dies.error, { type: 'Propack.ChildProcessDied', message: 'task "dies"\'s process died (exit status 3)' });
    assert.equal(by.set.error?.type, 'Propack.ResultNotSerializable');
    assert.equal(by.set.error?.message, 'task "set" returned a set, which JSON cannot carry');
    assert.equal(by.set.error?.retryable, false);
  }
});

test('in threads mode a raising task fails only itself with its type and message; a set is not JSON', async () => {
  const out = await drive([
    packed([
      { id: 'a', payload: { n: 2 } },
      { id: 'b', payload: { kind: 'raise', n: 5 } },
      { id: 'c', payload: { kind: 'set' } },
    ]),
  ]);
  const t = okOf(out.results[0]).__propack.tasks;
  assert.deepEqual(
    t.map((x) => x.status),
    ['ok', 'error', 'error'],
  );
  assert.deepEqual(t[1].error, { type: 'KeyError', message: "'no such frame: 5'" });
  assert.equal(t[2].error?.type, 'Propack.ResultNotSerializable');
});

test('at the deadline a running task is DeadlineExceeded and the queued ones come back not-run (both modes)', async () => {
  const tasks = [
    { id: 'stuck', payload: { kind: 'block' } },
    { id: 'next', payload: { n: 1 } },
    { id: 'last', payload: { n: 2 } },
  ];
  for (const mode of ['threads', 'processes']) {
    // 1.5 s left: the first task starts (more than the 1 s start margin remains), never finishes, and the
    // runtime returns with 250 ms left; the others could start only after it, so they never do.
    const out = await drive([packed(tasks, { mode, poolSize: 1 })], { remainingMs: 1500 });
    const t = okOf(out.results[0]).__propack.tasks;
    assert.deepEqual(
      t.map((x) => [x.id, x.status]),
      [
        ['stuck', 'error'],
        ['next', 'not-run'],
        ['last', 'not-run'],
      ],
      mode,
    );
    assert.equal(t[0].error?.type, 'DeadlineExceeded');
    assert.equal(t[1].startedAt, t[1].endedAt, 'a not-run task has no duration');
  }
  // Less than the start margin left: nothing starts.
  const none = await drive([packed(tasks.slice(1))], { remainingMs: 500 });
  assert.deepEqual(
    okOf(none.results[0]).__propack.tasks.map((x) => x.status),
    ['not-run', 'not-run'],
  );
});

test('a malformed packed request fails with a TypeError naming the field; a bad PROPACK_ORIGINAL_HANDLER fails the import', async () => {
  const out = await drive([
    { __propack: { v: 2, tasks: [] } },
    { __propack: { v: 1, tasks: [{ id: 1 }] } },
    { __propack: { v: 1, tasks: [], mode: 'fibers' } },
    { __propack: { v: 1, tasks: [], poolSize: 0 } },
  ]);
  assert.deepEqual(out.results, [
    { raised: 'TypeError', message: '__propack.v must be 1, got 2' },
    { raised: 'TypeError', message: '__propack.tasks[0].id must be a string' },
    { raised: 'TypeError', message: '__propack.mode must be "threads" or "processes"' },
    { raised: 'TypeError', message: '__propack.poolSize must be a positive integer' },
  ]);
  await assert.rejects(
    drive([{}], { env: { PROPACK_ORIGINAL_HANDLER: 'app' } }),
    /PROPACK_ORIGINAL_HANDLER must be "module\.function", got "app"/,
  );
  await assert.rejects(drive([{}], { env: { PROPACK_ORIGINAL_HANDLER: 'app.nothing' } }), /Handler 'nothing' missing on module 'app'/);
});

test("a Step Functions Map batch with ProPack's BatchInput runs as the packed event of its Items; other Items events are the user's", async () => {
  const items = [4, 2, 5].map((n) => ({ id: `b${n}`, payload: { n } }));
  const batchInput = packBatchInput({ poolSize: 1 });
  const userOwn = { Items: [{ id: 'u', payload: 1 }], n: 6 };
  const out = await drive([
    { Items: items, BatchInput: batchInput },
    packed(items, { poolSize: 1 }),
    userOwn,
    { ...userOwn, BatchInput: { other: 1 } },
  ]);
  const batch = okOf(out.results[0]);
  assert.deepEqual(Object.keys(batch), ['__propack'], 'the normal packed response');
  assert.deepEqual(
    batch.__propack.tasks.map((t) => [t.id, t.status, t.result?.square]),
    items.map((t) => [t.id, 'ok', t.payload.n ** 2]),
  );
  assert.equal(new Set(batch.__propack.tasks.map((t) => t.result?.thread)).size, 1, 'poolSize 1 from BatchInput: one thread');
  assert.deepEqual(
    okOf(out.results[1]).__propack.tasks.map((t) => [t.id, t.status, t.result?.square]),
    batch.__propack.tasks.map((t) => [t.id, t.status, t.result?.square]),
    'the batch answers as the packed event of the same tasks',
  );
  for (const r of out.results.slice(2)) {
    assert.ok('ok' in r, JSON.stringify(r));
    assert.equal((r.ok as { square: number }).square, 36, "an Items event without ProPack's BatchInput went to the handler");
  }
});

test('a malformed Map batch fails with a TypeError naming the field as the batch spells it', async () => {
  const out = await drive([
    { Items: 'nope', BatchInput: packBatchInput() },
    { BatchInput: packBatchInput() },
    { Items: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 4 }], BatchInput: packBatchInput() },
    { Items: [], BatchInput: { __propack: { v: 2 } } },
    { Items: [], BatchInput: { __propack: 'v1' } },
    { Items: [], BatchInput: { __propack: { v: 1, mode: 'fibers' } } },
    { Items: [], BatchInput: packBatchInput({ poolSize: 0 }) },
    { Items: [], BatchInput: { __propack: { v: 1, tasks: [] } } },
    { Items: [], BatchInput: { __propack: { v: 1, resultSink: { bucket: 'b', key: 'k' } } } },
  ]);
  assert.deepEqual(out.results, [
    { raised: 'TypeError', message: 'Items must be an array' },
    { raised: 'TypeError', message: 'Items must be an array' },
    { raised: 'TypeError', message: 'Items[3].id must be a string' },
    { raised: 'TypeError', message: 'BatchInput.__propack.v must be 1, got 2' },
    { raised: 'TypeError', message: 'BatchInput.__propack must be an object' },
    { raised: 'TypeError', message: 'BatchInput.__propack.mode must be "threads" or "processes"' },
    { raised: 'TypeError', message: 'BatchInput.__propack.poolSize must be a positive integer' },
    { raised: 'TypeError', message: "BatchInput.__propack.tasks must not be set: a batch's tasks are its Items" },
    { raised: 'TypeError', message: "BatchInput.__propack.resultSink must not be set: a Map's results go to its ResultWriter" },
  ]);
});
