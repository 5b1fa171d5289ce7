// Starts code-server on 127.0.0.1 and a free port in its own process group, and stops the whole group.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { CODE_SERVER } from './tools.mjs';
import { onCleanup } from './cleanup.mjs';

/** A port nobody listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function waitForHealth(url, timeoutMs, exited) {
  const end = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (exited()) return reject(new Error('code-server exited during startup'));
      http
        .get(url, (r) => {
          r.resume();
          resolve();
        })
        .on('error', () => (Date.now() > end ? reject(new Error(`code-server not healthy after ${timeoutMs} ms`)) : setTimeout(tick, 200)));
    };
    tick();
  });
}

function waitForExit(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

/** Sends `signal` to every process of the group (server, extension host, file watcher, pty host). */
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

/**
 * Installs a .vsix into the extensions folder a later `startCodeServer(tmp)` uses, the way a user does
 * (`code-server --install-extension`); returns code-server's output. Throws when the install fails.
 */
export function installExtension(tmp, vsix, { env = process.env } = {}) {
  const r = spawnSync(
    CODE_SERVER,
    ['--install-extension', vsix, '--force', '--extensions-dir', join(tmp, 'extensions'), '--user-data-dir', join(tmp, 'user-data')],
    {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...env, EXTENSIONS_GALLERY: '{"serviceUrl":""}' },
    },
  );
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${r.error?.message ?? `exit ${r.status}`}): ${out}`);
  return out;
}

/**
 * Starts code-server with a fresh user-data and extensions folder under `tmp` and quiet settings.
 * `env` is the server's whole environment (the extension host inherits it; default: this process's).
 * Returns its base URL; registers the group's termination with `cleanup` (default: the global cleanup).
 */
export async function startCodeServer(tmp, { settings = {}, verbose = false, env = process.env, cleanup = onCleanup } = {}) {
  const userData = join(tmp, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'chat.disableAIFeatures': true,
        ...settings,
      },
      null,
      2,
    ),
  );
  const port = await freePort();
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    userData,
    '--extensions-dir',
    join(tmp, 'extensions'),
    '--config',
    join(tmp, 'config.yaml'),
  ];
  const started = Date.now();
  // detached: its own process group, so one signal reaches every child it forks.
  const child = spawn(CODE_SERVER, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, EXTENSIONS_GALLERY: '{"serviceUrl":""}' },
  });
  cleanup(async () => {
    killGroup(child.pid, 'SIGTERM');
    if (!(await waitForExit(child, 5000))) killGroup(child.pid, 'SIGKILL');
    // Children that ignore SIGTERM may outlive the leader: make sure the group is empty.
    killGroup(child.pid, 'SIGKILL');
  });
  child.stdout.on('data', (d) => verbose && process.stdout.write(`[code-server] ${d}`));
  child.stderr.on('data', (d) => process.stderr.write(`[code-server:err] ${d}`));
  await waitForHealth(`http://127.0.0.1:${port}/healthz`, 30_000, () => child.exitCode !== null);
  console.log(`[harness] code-server up on 127.0.0.1:${port} in ${Date.now() - started} ms`);
  return { port, authority: `127.0.0.1:${port}`, userData };
}
