// npm run test:ui — Playwright drives the workbench with ProPack loaded, as a person would: opens the
// ProPack view, reads its rows, runs Optimize from the palette, reads and clicks inside the report
// webview, then takes the profiles (and then every handler) away to check the first-run tree and the welcome
// view, and saves test-results/ui/{tree,codelens,report,report-pareto,report-heatmap,first-run,welcome}.png.
// Exit code 0 pass, 1 fail.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { openSession, runHarness } from './harness/session.mjs';
import { REPO } from './harness/tools.mjs';

const SHOTS = join(REPO, 'test-results', 'ui');
const T = 30_000; // generous per-step limit: each wait ends as soon as its selector or condition holds
const STARTUP = 90_000; // limit for waits that include starting the extension host (slow on a loaded 2-core box)

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The quick-input row whose text starts with `text` (the fuzzy filter may rank another row first). */
function quickInputRow(page, text) {
  return page.locator('.quick-input-list .monaco-list-row', { hasText: new RegExp(`^\\s*${escapeRegExp(text)}`) }).first();
}

/** Runs one command from the palette: F1, type its title, click its row. */
async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: T });
  await input.fill(`>${title}`);
  await quickInputRow(page, title).click({ timeout: T });
}

/** Answers the quick input titled `title` (null: untitled, like the theme picker) with `text`. */
async function answerQuickInput(page, title, text) {
  if (title !== null) await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout: T });
  await page.locator('.quick-input-widget input').fill(text);
}

/** The packing degree the propack CLI (same core, other front end) recommends. */
function cliOptimize(profile, concurrency, objective) {
  const out = execFileSync(
    process.execPath,
    [
      join(REPO, 'dist', 'cli.js'),
      'optimize',
      '--profile',
      profile,
      '--concurrency',
      String(concurrency),
      '--objective',
      objective,
      '--metric',
      'net',
      '--json',
    ],
    { encoding: 'utf8' },
  );
  return JSON.parse(out).packingDegree;
}

/** In the quick pick titled `title`, types `filter` and clicks the row starting with `row`. */
async function pick(page, title, filter, row = filter) {
  await answerQuickInput(page, title, filter);
  await quickInputRow(page, row).click({ timeout: T });
}

/** Checks the report's six canvases hold drawn charts: a drawn chart has many non-transparent pixels. */
async function assertChartsDrawn(web) {
  const drawn = await web.locator('canvas').evaluateAll((canvases) =>
    canvases.map((c) => {
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      let ink = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
      return { id: c.id, width: c.width, height: c.height, ink };
    }),
  );
  console.log('[ui] canvases:', JSON.stringify(drawn));
  // The panel draws the HTML report's charts (service and cost vs p each on its own, as there) plus the Pareto front and the saved runs' CDFs.
  assert.deepEqual(
    drawn.map((c) => c.id),
    ['chart-scaling', 'chart-packing', 'chart-service', 'chart-cost', 'chart-pareto', 'chart-cdf', 'chart-whatif'],
  );
  for (const c of drawn) assert.ok(c.width > 100 && c.height > 100 && c.ink > 1000, `${c.id} drawn`);
}

/** Runs one named step of the UI test, timing it; a failure names the step. */
async function step(name, fn) {
  const t0 = Date.now();
  let r;
  try {
    r = await fn();
  } catch (e) {
    throw new Error(`step "${name}": ${e?.message ?? e}`);
  }
  console.log(`[ui] ✔ ${name} (${Date.now() - t0} ms)`);
  return r;
}

runHarness(async () => {
  const t0 = Date.now();
  mkdirSync(SHOTS, { recursive: true });
  const { page, workspace } = await openSession({ name: 'ui' });
  try {
    await step('workbench loaded', () => page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: STARTUP }));

    const rows = await step('ProPack view shows the tree', async () => {
      await page.locator('.part.activitybar .action-item a[aria-label^="ProPack"]').click({ timeout: T });
      const sidebar = page.locator('.part.sidebar');
      await sidebar.getByRole('treeitem', { name: /broken\.json/ }).waitFor({ timeout: STARTUP });
      return sidebar.locator('.monaco-list-row').evaluateAll((els) =>
        els.map((el) => ({
          label: el.querySelector('.label-name')?.textContent?.trim() ?? '',
          description: el.querySelector('.label-description')?.textContent?.trim() ?? '',
        })),
      );
    });
    const labels = rows.map((r) => r.label);
    console.log('[ui] tree rows:', JSON.stringify(rows));
    for (const expected of ['Benchmarks', 'video', 'sort', 'stateless-cost', 'Profiles', 'statelesscost', 'broken.json', 'Runs']) {
      assert.ok(labels.includes(expected), `tree row "${expected}" in ${JSON.stringify(labels)}`);
    }
    assert.match(rows.find((r) => r.label === 'broken.json')?.description ?? '', /schema/, 'broken profile shows its reason');
    for (const expected of ['Functions', 'echo', 'Thumbs', 'resize'])
      assert.ok(labels.includes(expected), `tree row "${expected}" in ${JSON.stringify(labels)}`);
    assert.match(
      rows.find((r) => r.label === 'video' && r.description.includes('p='))?.description ?? '',
      /p=\d+ at C=1000 · −\d+% time/,
      'a profile row shows its recommendation',
    );
    await page.screenshot({ path: join(SHOTS, 'tree.png') });

    await step('the status bar shows the platform', () =>
      page.locator('.statusbar-item', { hasText: 'ProPack: local' }).waitFor({ timeout: T }),
    );

    const lens = await step('a CodeLens above the handler in video.js', async () => {
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').fill('video.js');
      await quickInputRow(page, 'video.js').click({ timeout: T });
      const l = page.locator('.monaco-editor .codelens-decoration', { hasText: 'ProPack: p=' });
      await l.waitFor({ timeout: STARTUP });
      return l.innerText();
    });
    console.log(`[ui] lens: ${lens}`);
    assert.match(lens, /^ProPack: p=\d+ at C=1000 · −\d+% time · [−+±]\d+% cost$/);
    await page.screenshot({ path: join(SHOTS, 'codelens.png') });

    const toast = await step('Optimize from the palette, with input validation', async () => {
      await runCommand(page, 'ProPack: Optimize');
      await pick(page, 'choose a profile', 'aws-2021-video', 'video');
      await pick(page, 'optimize for', 'time');
      await pick(page, 'service time metric', 'net');
      await answerQuickInput(page, 'concurrency', 'lots');
      await page.locator('.quick-input-widget .quick-input-message', { hasText: 'whole number' }).waitFor({ timeout: T });
      await page.locator('.quick-input-widget input').fill('2000');
      await page.keyboard.press('Enter');
      const t = page.locator('.notification-toast', { hasText: 'pack p =' });
      await t.waitFor({ timeout: T });
      return t.innerText();
    });
    const toastP = Number(/pack p = (\d+)/.exec(toast)?.[1]);
    console.log(`[ui] notification: ${toast.split('\n')[0]}`);

    const web = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const shownP = await step('report webview shows the recommended p', async () => {
      await web.locator('body[data-objective="time"] #recommended-p').waitFor({ timeout: T });
      return Number(await web.locator('#recommended-p').innerText());
    });
    assert.ok(Number.isInteger(toastP) && toastP >= 1, `notification names p (${toast})`);
    assert.equal(shownP, toastP, 'the report shows the p the notification announced');
    const cliP = cliOptimize(join(workspace, '.propack', 'profiles', 'aws-2021-video.json'), 2000, 'time');
    assert.equal(shownP, cliP, 'the extension and the propack CLI agree');
    assert.equal(await web.locator('#concurrency').inputValue(), '2000');

    await step('charts are drawn', () => assertChartsDrawn(web));

    await step('the data table lists every p with its gain over no packing', async () => {
      await web.locator('#data summary').click();
      const row = web.locator('#data-table tr.recommended');
      await row.waitFor({ timeout: T });
      const text = await row.innerText();
      assert.match(text, new RegExp(`^${shownP}\\s`), text);
      assert.match(text, /\d+% faster, \d+% (cheaper|more expensive) than no packing/);
      await web.locator('#data summary').click();
    });

    await step('an impossible constraint is answered in the page at once and said so', async () => {
      await web.locator('#max-time').fill('0.001');
      await web.locator('#max-time').press('Tab');
      await web.locator('#relaxed:not([hidden])').waitFor({ timeout: T });
      await web.locator('#max-time').fill('');
      await web.locator('#max-time').press('Tab');
      await web.locator('#relaxed[hidden]').waitFor({ state: 'attached', timeout: T });
    });

    await step('clicking an objective in the page re-optimizes through the host', async () => {
      await web.locator('button[data-objective="cost"]').click();
      await web.locator('body[data-objective="cost"]').waitFor({ timeout: T });
      assert.equal(await web.locator('button[data-objective="cost"]').getAttribute('aria-pressed'), 'true');
      assert.equal(await web.locator('button[data-objective="time"]').getAttribute('aria-pressed'), 'false');
      const detail = await web.locator('#recommended-detail').innerText();
      assert.match(detail, /C = 2000 \(cost, net/);
      assert.equal(
        Number(await web.locator('#recommended-p').innerText()),
        cliOptimize(join(workspace, '.propack', 'profiles', 'aws-2021-video.json'), 2000, 'cost'),
      );
      console.log(`[ui] cost answer: p = ${await web.locator('#recommended-p').innerText()} ${detail}`);
    });

    await step('notifications cleared for the screenshot', async () => {
      await runCommand(page, 'Notifications: Clear All Notifications');
      await page.locator('.notification-toast').waitFor({ state: 'detached', timeout: T });
    });
    await page.screenshot({ path: join(SHOTS, 'report.png') });
    await step('the Pareto front and the CDF chart below the fold', async () => {
      await web.locator('#chart-pareto').scrollIntoViewIfNeeded();
      await web.locator('#cdf-note', { hasText: 'no runs yet' }).waitFor({ timeout: T });
    });
    await page.screenshot({ path: join(SHOTS, 'report-pareto.png') });
    await step('the what-if chart and the memory × p heatmap with the joint choice', async () => {
      // The heatmap is 40 packing degrees wide: without the side bar it fits the screenshot.
      await runCommand(page, 'View: Close Primary Side Bar');
      await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: T });
      await web.locator('#chart-whatif').scrollIntoViewIfNeeded();
      const caption = await web.locator('#whatif-caption').innerText();
      assert.match(caption, /scaling rule .+; account limit \d+; cold start [\d.]+ s.*your C = 2000\.$/, caption);
      const tradeoff = web.locator('#outlook-body p.tradeoff');
      await tradeoff.waitFor({ state: 'visible', timeout: T });
      const sentence = await tradeoff.innerText();
      // "3,538 MB x86_64, p=6: 31% cheaper, 4% slower than 10,000 MB x86_64, p=20" (ProPack's measured 10,000 MB)
      assert.match(
        sentence,
        /^[\d,]+ MB (x86_64|arm64), p=\d+: (.+ than 10,000 MB x86_64, p=\d+( in the same time| at the same cost)?|same cost and time as 10,000 MB x86_64, p=\d+)$/,
        sentence,
      );
      const choice = web.locator('#outlook-body table.heatmap td.mark-choice, #outlook-body table.heatmap td.mark-both');
      assert.equal(await choice.count(), 1, 'one cell marked as the joint choice');
      await choice.scrollIntoViewIfNeeded();
      await choice.waitFor({ state: 'visible', timeout: T });
      assert.match(await choice.getAttribute('title'), /joint choice/);
      assert.ok((await web.locator('#outlook-body table.heatmap td.heat').count()) > 50, 'a full memory × p grid');
      await web.locator('#whatif-data summary').click();
      assert.equal(await web.locator('#whatif-table tbody tr').count(), 16, 'what-if table rows, C = 1 … 100,000');
      await web.locator('#whatif-data summary').click();
      // The screenshot shows the chart above the heatmap.
      await web.locator('#whatif').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    });
    await page.screenshot({ path: join(SHOTS, 'report-heatmap.png') });

    await step('a theme change recolours the report and keeps the charts', async () => {
      const before = await web.locator('body').getAttribute('data-chart-foreground');
      await runCommand(page, 'Preferences: Color Theme');
      await pick(page, null, 'Dark Modern');
      await web.locator('body.vscode-dark').waitFor({ timeout: T });
      // The charts are redrawn with the dark theme's text colour, read from --vscode-foreground.
      await web.locator(`body:not([data-chart-foreground="${before}"])`).waitFor({ timeout: T });
      const after = await web.locator('body').getAttribute('data-chart-foreground');
      assert.equal(
        after,
        await web.locator('body').evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--vscode-foreground').trim()),
      );
      console.log(`[ui] chart text colour ${before} -> ${after}`);
      await assertChartsDrawn(web);
    });

    await step('after a window reload the serializer restores the report from the page state', async () => {
      // The workbench's own reload runs its shutdown, which saves the open editors and the webview state.
      await runCommand(page, 'Developer: Reload Window');
      await web.locator('body[data-objective="cost"] #recommended-p').waitFor({ timeout: STARTUP });
      assert.equal(await web.locator('#concurrency').inputValue(), '2000');
    });
    const sidebarRows = () =>
      page.locator('.part.sidebar .monaco-list-row').evaluateAll((els) =>
        els.map((el) => ({
          label: el.querySelector('.label-name')?.textContent?.trim() ?? '',
          description: el.querySelector('.label-description')?.textContent?.trim() ?? '',
        })),
      );
    const dot = join(workspace, '.propack');
    await step(
      'before the first profile the tree lists the handlers with their Profile action and says what fills Profiles and Runs',
      async () => {
        renameSync(join(dot, 'profiles'), join(dot, 'profiles.parked'));
        await page.locator('.part.activitybar .action-item a[aria-label^="ProPack"]').click({ timeout: T });
        await runCommand(page, 'ProPack: Refresh');
        const sidebar = page.locator('.part.sidebar');
        await sidebar.getByRole('treeitem', { name: /no profile yet/ }).waitFor({ timeout: T });
        const r = await sidebarRows();
        console.log('[ui] first-run rows:', JSON.stringify(r));
        const labels = r.map((x) => x.label);
        for (const expected of ['Benchmarks', 'Functions', 'echo', 'Thumbs', 'resize', 'Profiles', 'no profile yet', 'Runs', 'no run yet'])
          assert.ok(labels.includes(expected), `row "${expected}" in ${JSON.stringify(labels)}`);
        assert.equal(r.find((x) => x.label === 'resize')?.description, 'resize.py · not profiled');
        // Hovering a handler shows its inline actions: Profile Function first.
        const echo = sidebar.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^echo$/ }) });
        await echo.hover();
        await echo
          .locator('.actions .action-label')
          .first()
          .waitFor({ timeout: T })
          .catch(async (e) => {
            console.log('[ui] echo row:', await echo.evaluate((el) => el.outerHTML).catch(() => 'no row'));
            throw e;
          });
        const actions = await echo
          .locator('.actions .action-label')
          .evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') || el.getAttribute('title') || ''));
        console.log('[ui] inline actions on echo:', JSON.stringify(actions));
        assert.match(actions[0] ?? '', /Profile Function/);
      },
    );
    await page.screenshot({ path: join(SHOTS, 'first-run.png') });
    const parked = join(dot, 'parked-src');
    try {
      await step(
        'a folder with nothing to show gets the welcome view: Profile a Function and Try the Built-in Benchmarks first, Import last',
        async () => {
          mkdirSync(parked);
          for (const name of readdirSync(workspace)) if (!name.startsWith('.')) renameSync(join(workspace, name), join(parked, name));
          await runCommand(page, 'ProPack: Refresh');
          const welcome = page.locator('.part.sidebar .welcome-view-content');
          await welcome.getByRole('button', { name: 'Try the Built-in Benchmarks' }).waitFor({ timeout: T });
          const buttons = await welcome.locator('.monaco-button').evaluateAll((els) => els.map((el) => el.textContent?.trim()));
          assert.deepEqual(buttons, ['Profile a Function', 'Try the Built-in Benchmarks', 'Import ProPack Artifact']);
          assert.match(await welcome.innerText(), /artifact is the folder of measurements ProPack published/);
        },
      );
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(SHOTS, 'welcome.png') });
    } finally {
      if (existsSync(parked)) for (const name of readdirSync(parked)) renameSync(join(parked, name), join(workspace, name));
      renameSync(join(dot, 'profiles.parked'), join(dot, 'profiles'));
    }
    console.log(`[ui] passed in ${Date.now() - t0} ms; screenshots in ${SHOTS}`);
    return 0;
  } catch (e) {
    console.error('[ui] FAILED:', e?.message ?? e);
    await page.screenshot({ path: join(SHOTS, 'failure.png') }).catch(() => undefined);
    return 1;
  }
});
