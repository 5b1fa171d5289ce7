// npm run test:installed — ProPack as a user installs it. Packages the extension (`npm run package`, or takes
// PROPACK_VSIX), checks what the .vsix holds, installs it into a clean code-server (fresh user-data and
// extensions folders) with `code-server --install-extension`, and runs test/installed's mocha suites in the
// real extension host. ProPack is NOT the development extension: a tiny generated test-driver extension is
// (VS Code runs extensionTestsPath only with an extensionDevelopmentPath), and the suites check that the
// ProPack they drive lives in the session's extensions folder.
//
// Two sessions:
//  - with-credentials: HOME holds ~/.aws/{credentials,config} with a named profile (the platform's generated key);
//    AWS_ENDPOINT_URL_LAMBDA/S3 point at the embedded platform (behind a proxy that records request
//    signatures). Local platform: activation, Profile Function, Open Report, Export. AWS: Profile Function and
//    Run Packed through the SDK's provider chain.
//  - no-credentials: an empty HOME, no AWS_* variables, a profile that exists nowhere: Profile Function and
//    Run Packed must each fail with one line that says how to configure credentials. The suite then opens
//    ProPack's details page and this runner checks the README's images load there.
// Exit code: 0 pass, 1 fail, 2 timeout, 130 signal.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { startAwsStandIn, PLATFORM_PATH, SIGNATURES_PATH } from './harness/aws-standin.mjs';
import { onCleanup } from './harness/cleanup.mjs';
import { runHarness } from './harness/session.mjs';
import { runSuiteSession } from './harness/suite.mjs';
import { REPO } from './harness/tools.mjs';

const TIMEOUT_MS = Number(process.env.PROPACK_TEST_TIMEOUT_MS ?? 180_000);
const SUITE = join(REPO, 'out', 'test', 'installed', 'index.js');

/** The AWS settings both sessions use; the profile and region must come from these, not from ~/.aws/config. */
const AWS_PROFILE = 'propack-test';
const MISSING_PROFILE = 'propack-missing';
const REGION = 'eu-west-1';
const ROLE = 'arn:aws:iam::123456789012:role/propack-test';

/** Files the installed extension loads at run time (besides package.json): a .vsix without one is broken. */
const REQUIRED = [
  'dist/extension.js',
  'dist/local-worker.js',
  'dist/local-s3.js',
  'dist/runtime.js',
  'dist/propack_runtime.py',
  'dist/local-python-worker.py',
  'dist/functions/video/index.js',
  'dist/functions/sort/index.js',
  'dist/functions/stateless-cost/index.js',
  'dist/webview.js',
  'dist/heatmap.css',
  'dist/report-page.css',
  'dist/chart.umd.js',
  'dist/report-page.js',
  'dist/lambda-runtime/node_modules/@aws-sdk/client-s3/index.js',
  'dist/lambda-runtime/node_modules/@aws-sdk/client-lambda/index.js',
  'dist/node_modules/esbuild/lib/main.js',
  `dist/node_modules/@esbuild/${process.platform}-${process.arch}/bin/esbuild`,
  'media/propack.svg',
  'media/report.css',
  'readme.md',
  'LICENSE.txt',
];
/** What a .vsix must not carry: source maps, sources and tests, the perf benchmarks, the CLI, lazy chunks. */
const FORBIDDEN = [
  [/\.map$/, 'source map'],
  [
    /^(src|test|out|benchmarks|scripts|webview|node_modules|seed|data|test-results|\.tools|\.propack|\.vscode)\//,
    'sources, tests or tools',
  ],
  [/\.ts$/, 'TypeScript source'],
  [/(^|\/)bench-[^/]*\.js$/, 'a perf benchmark bundle'],
  [/^dist\/cli\.js$/, 'the CLI (the extension runs the engine in-process; the CLI ships with npm)'],
  [/^dist\/([\w-]+\.)?\d+\.js$/, 'a lazily loaded chunk (node bundles must have none)'],
];

/** Runs `npm run package` into `dir`; returns the .vsix path. */
function packageVsix(dir) {
  const out = join(dir, 'propack.vsix');
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', '--silent', 'package', '--', '--out', out], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 64 << 20,
  });
  const log = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) throw new Error(`npm run package failed (${r.error?.message ?? `exit ${r.status}`}):\n${log.slice(-4000)}`);
  const done = log.split('\n').find((l) => /Packaged:/.test(l));
  console.log(`[harness] npm run package in ${Date.now() - t0} ms: ${done?.trim() ?? out}`);
  return out;
}

/** Lists the .vsix (unpacking only its README) and checks it carries what it needs and nothing it does not. */
function checkVsix(vsix) {
  const names = [];
  const unpacked = unzipSync(readFileSync(vsix), { filter: (f) => (names.push(f.name), f.name === 'extension/readme.md') });
  const files = names.filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
  const problems = [];
  for (const f of REQUIRED) if (!files.includes(f)) problems.push(`missing ${f}`);
  for (const f of files) for (const [re, what] of FORBIDDEN) if (re.test(f)) problems.push(`${f}: ${what}`);
  // The details page resolves relative links against its webview and admits https: and data: images only.
  const readme = unpacked['extension/readme.md'] ? Buffer.from(unpacked['extension/readme.md']).toString('utf8') : '';
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  for (const img of images)
    if (!/^(data:image\/(png|jpeg|gif|webp);base64,|https:\/\/)/.test(img))
      problems.push(`readme.md image ${img.slice(0, 60)} will be broken in the details page`);
  const expected = [...readFileSync(join(REPO, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].length;
  if (images.length !== expected) problems.push(`readme.md has ${images.length} images, README.md ${expected}`);
  console.log(
    `[harness] ${vsix}: ${files.length} files, ${(statSync(vsix).size / 2 ** 20).toFixed(2)} MiB; readme.md ${images.length} images inlined\n${files.map((f) => `[vsix]   ${f}`).join('\n')}`,
  );
  if (problems.length) throw new Error(`the .vsix is wrong:\n  ${problems.join('\n  ')}`);
  return { images: images.length };
}

/**
 * After the suite opened ProPack's details page: waits until the page shows its README with every image
 * loaded (the webview admits https: and data: images only, and resolves relative links against itself).
 * Returns an exit code: 0, or 1 with the images' state.
 */
async function checkReadmeImages(page, expected, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  let last = 'no README frame';
  while (Date.now() < end) {
    for (const frame of page.frames()) {
      const state = await frame
        .evaluate(() => {
          if (!document.querySelector('h1')?.textContent?.includes('ProPack for VS Code')) return undefined;
          return [...document.querySelectorAll('img')].map((i) => ({
            src: i.getAttribute('src')?.slice(0, 40),
            loaded: i.complete && i.naturalWidth > 0,
          }));
        })
        .catch(() => undefined);
      if (!state) continue;
      last = JSON.stringify(state);
      if (state.length === expected && state.every((i) => i.loaded)) {
        console.log(`[harness] the details page shows README.md with its ${expected} images loaded`);
        return 0;
      }
    }
    await new Promise((r) => setTimeout(r, 250)); // poll interval of the condition above, not a wait for it
  }
  console.error(`[harness] FAILED: the details page did not show README.md's ${expected} images within ${timeoutMs} ms: ${last}`);
  return 1;
}

/** The development extension the workbench needs to run the suites: no code, no contributions. */
function makeDriver(dir) {
  const driver = join(dir, 'test-driver');
  mkdirSync(driver, { recursive: true });
  writeFileSync(
    join(driver, 'package.json'),
    JSON.stringify(
      {
        name: 'propack-installed-test-driver',
        displayName: 'ProPack installed-package test driver',
        publisher: 'propack-test',
        version: '0.0.0',
        engines: { vscode: '^1.100.0' },
        description: 'Generated by scripts/run-installed.mjs: lets the workbench run test/installed against the installed ProPack.',
      },
      null,
      2,
    ),
  );
  return driver;
}

/** This environment without any AWS_* variable (keys, profile, region, endpoints, config file paths...). */
function withoutAws(env) {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('AWS_')));
}

/** Variables the suites read to check where ProPack came from and to find its output channel's log. */
const sessionEnv = (tmp, suite, home) => ({
  HOME: home,
  PROPACK_INSTALLED_SUITE: suite,
  PROPACK_INSTALLED_EXTENSIONS_DIR: join(tmp, 'extensions'),
  PROPACK_INSTALLED_USER_DATA: join(tmp, 'user-data'),
  PROPACK_REPO: REPO,
});

runHarness(async () => {
  const t0 = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'propack-installed-'));
  onCleanup(() => rmSync(work, { recursive: true, force: true }));
  const vsix = process.env.PROPACK_VSIX || packageVsix(work);
  const { images } = checkVsix(vsix);
  const driver = makeDriver(work);
  mkdirSync(join(work, 'aws'), { recursive: true });
  const aws = await startAwsStandIn(join(work, 'aws'));
  const base = withoutAws(process.env);
  const common = { vsix, extensionDevelopmentPath: driver, extensionTestsPath: SUITE, timeoutMs: TIMEOUT_MS, env: base };

  const withCredentials = await runSuiteSession({
    ...common,
    name: 'installed-aws',
    prepare: (tmp) => {
      const home = join(tmp, 'home');
      mkdirSync(join(home, '.aws'), { recursive: true });
      // The platform verifies signatures: the profile holds its generated key of this start (from endpoint.json).
      writeFileSync(
        join(home, '.aws', 'credentials'),
        `[${AWS_PROFILE}]\naws_access_key_id = ${aws.key.accessKeyId}\naws_secret_access_key = ${aws.key.secretAccessKey}\n`,
        { mode: 0o600 },
      );
      // A region in the profile that the setting must override.
      writeFileSync(join(home, '.aws', 'config'), `[profile ${AWS_PROFILE}]\nregion = us-west-2\noutput = json\n`);
      return {
        env: {
          ...sessionEnv(tmp, 'with-credentials', home),
          AWS_ENDPOINT_URL_LAMBDA: aws.lambda,
          AWS_ENDPOINT_URL_S3: aws.s3,
          PROPACK_STANDIN_LAMBDA: `${aws.lambda}${PLATFORM_PATH}`,
          PROPACK_STANDIN_SIGNATURES: `${aws.lambda}${SIGNATURES_PATH}`,
          PROPACK_TEST_ACCESS_KEY_ID: aws.key.accessKeyId,
        },
        // The local tests run first on the default platform; the AWS suite switches propack.platform.
        settings: { 'propack.awsProfile': AWS_PROFILE, 'propack.region': REGION, 'propack.awsExecutionRole': ROLE },
      };
    },
  });

  const noCredentials = await runSuiteSession({
    ...common,
    name: 'installed-nocreds',
    afterSuite: ({ page }) => checkReadmeImages(page, images),
    prepare: (tmp) => {
      const home = join(tmp, 'home');
      mkdirSync(home, { recursive: true });
      return {
        env: sessionEnv(tmp, 'no-credentials', home),
        settings: {
          'propack.platform': 'aws',
          'propack.awsProfile': MISSING_PROFILE,
          'propack.region': REGION,
          'propack.awsExecutionRole': ROLE,
        },
      };
    },
  });
  console.log(
    `[harness] installed-package tests: with credentials ${withCredentials ? 'FAILED' : 'passed'}, no credentials ${noCredentials ? 'FAILED' : 'passed'}, ${Math.round((Date.now() - t0) / 1000)} s in all`,
  );
  return withCredentials || noCredentials;
});
