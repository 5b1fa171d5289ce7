import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { optimize } from '../../../src/core/optimizer';
import { parseProfile } from '../../../src/core/profile';
import { jointOutlook, WHATIF_CONCURRENCIES, whatIfOutlook } from '../../../src/core/resource-outlook';
import type { Profile } from '../../../src/core/types';
import { escapeHtml } from '../../../src/report/html-escape';
import { buildReportView } from '../../../src/extension/report/report-view';
import { CURVE_POINTS } from '../../../src/report/charts';
import { jointSectionHtml } from '../../../src/report/heatmap';

const PROFILE_FILE = join(__dirname, '..', '..', '..', '..', 'benchmarks', 'profiles', 'aws-2021-video.json');
const profile = parseProfile(readFileSync(PROFILE_FILE, 'utf8'), 'aws-2021-video.json');

describe('report view', () => {
  const input = { concurrency: 2000, objective: 'both', metric: 'net' } as const;
  const view = buildReportView(profile, '.propack/profiles/video.json', input);

  it('recommends what the optimizer recommends and marks it among the candidates', () => {
    const result = optimize(profile, input);
    assert.equal(view.recommended.packingDegree, result.packingDegree);
    assert.deepEqual(
      view.candidates.map((c) => c.packingDegree),
      result.candidates.map((c) => c.packingDegree),
    );
    assert.ok(view.candidates.some((c) => c.packingDegree === view.recommended.packingDegree));
    assert.equal(view.baseline.packingDegree, 1);
  });

  it('carries every measured point and a model curve spanning the measured concurrency', () => {
    const chart = (id: string) => view.charts.find((c) => c.id === id);
    const measured = (id: string) => (chart(id)?.series ?? []).filter((s) => s.style === 'points').flatMap((s) => s.points);
    assert.equal(measured('scaling').length, profile.scaling.runs.length);
    assert.equal(
      measured('packing').length,
      profile.packing.samples.reduce((n, s) => n + s.timesS.length, 0),
    );
    const xs = (chart('scaling')?.series.find((s) => s.role === 'model')?.points ?? []).map((p) => p.x);
    assert.equal(xs.length, CURVE_POINTS + 1, 'the one curve resolution of both report pages');
    assert.deepEqual(
      xs,
      [...xs].sort((a, b) => a - b),
    );
    assert.equal(xs[xs.length - 1], Math.max(...profile.scaling.runs.map((r) => r.concurrency)));
  });

  it('keeps the key the panel is restored from and the input it answered', () => {
    assert.equal(view.profileKey, '.propack/profiles/video.json');
    assert.equal(view.input.concurrency, 2000);
    assert.equal(view.functionName, 'video');
  });

  it('names the source once: a profile measured with the editor on the local platform is "local", not "local: local"', () => {
    assert.equal(
      buildReportView(
        {
          ...profile,
          source: { ...profile.source, kind: 'local', detail: 'local' },
          function: { ...profile.function, runtime: 'nodejs20.x' },
        },
        'k',
        input,
      ).sourceDetail,
      'local',
    );
    assert.equal(
      buildReportView({ ...profile, source: { ...profile.source, kind: 'aws', detail: 'aws:dev@eu-west-1' } }, 'k', input).sourceDetail,
      'aws:dev@eu-west-1',
    );
  });

  it("says a Python profile from the local platform ran on this machine's python3 and its packages, and only that one", () => {
    const local = { ...profile.source, kind: 'local' as const, detail: 'local' };
    const py = buildReportView({ ...profile, source: local, function: { ...profile.function, runtime: 'python3.12' } }, 'k', input);
    assert.equal(
      py.sourceDetail,
      "local; measured with this machine's python3 standing in for Lambda's python3.12: its installed packages stood for what Lambda's runtime or a layer provides",
    );
    const aws = { ...profile.source, kind: 'aws' as const, detail: 'aws:dev@eu-west-1' };
    assert.equal(
      buildReportView({ ...profile, source: aws, function: { ...profile.function, runtime: 'python3.12' } }, 'k', input).sourceDetail,
      'aws:dev@eu-west-1',
    );
    assert.equal(
      buildReportView({ ...profile, source: local, function: { ...profile.function, runtime: 'nodejs20.x' } }, 'k', input).sourceDetail,
      'local',
    );
  });
});

describe('report view: memory × p and the what-if', () => {
  const input = { concurrency: 2000, objective: 'both', metric: 'net' } as const;
  const key = '.propack/profiles/outlook.json';
  const view = buildReportView(profile, key, input);

  it('carries the joint outlook of its own question, so C, weights and bounds change it', () => {
    const other = { ...input, concurrency: 500, weights: { cost: 0.9, time: 0.1 }, constraints: { maxServiceTimeS: 120 } };
    const changed = buildReportView(profile, key, other);
    assert.deepEqual(view.outlook, { ok: true, ...jointOutlook(profile, input) });
    assert.deepEqual(changed.outlook, { ok: true, ...jointOutlook(profile, other) });
    assert.notDeepEqual(changed.outlook, view.outlook);
  });

  it('marks the joint choice in exactly one heatmap cell, and the section HTML shows that cell marked', () => {
    assert.ok(view.outlook.ok);
    const { choice } = view.outlook.joint;
    const marked = view.outlook.heatmaps.flatMap((h) =>
      h.rows.flatMap((r) =>
        r.cells
          .filter((c) => c.mark === 'choice' || c.mark === 'both')
          .map((c) => ({ architecture: h.architecture, memoryMb: r.memoryMb, p: c.packingDegree })),
      ),
    );
    assert.deepEqual(marked, [{ architecture: choice.architecture, memoryMb: choice.memoryMb, p: choice.packingDegree }]);

    const html = jointSectionHtml(view.outlook, 'heatmap');
    const cells = [...html.matchAll(/<td class="[^"]*\bmark-(?:choice|both)\b[^"]*"[^>]*data-p="(\d+)" data-memory="(\d+)"/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    assert.deepEqual(cells, [[choice.packingDegree, choice.memoryMb]]);
    assert.ok(html.includes(escapeHtml(view.outlook.joint.tradeOff.text)), 'the trade-off sentence');
    assert.equal((html.match(/<table class="heatmap"/g) ?? []).length, view.outlook.heatmaps.length);
  });

  it('simulates C = 1 … 100,000 for its objective, metric and weights, and reuses the simulation while only C or bounds change', () => {
    assert.deepEqual(view.whatIf, whatIfOutlook(profile, 'both', 'net'));
    assert.deepEqual(
      view.whatIf.points.map((p) => p.concurrency),
      WHATIF_CONCURRENCIES,
    );
    const sameQuestion = buildReportView(profile, key, { ...input, concurrency: 7, constraints: { maxCostUsd: 1 } });
    assert.equal(sameQuestion.whatIf, view.whatIf, 'the cached simulation, not a new one');
    // The report's weights reach the what-if's choice of p: other weights are another question.
    const weights = { cost: 0.05, time: 0.95 };
    const reweighted = buildReportView(profile, key, { ...input, weights });
    assert.notEqual(reweighted.whatIf, view.whatIf);
    assert.deepEqual(reweighted.whatIf, whatIfOutlook(profile, 'both', 'net', { weights }));
    // A profile read again from its file is an equal copy: still the same simulation.
    assert.equal(buildReportView(JSON.parse(JSON.stringify(profile)) as Profile, key, input).whatIf, view.whatIf);

    const time = buildReportView(profile, key, { ...input, objective: 'time' });
    assert.notEqual(time.whatIf, view.whatIf);
    assert.deepEqual(time.whatIf, whatIfOutlook(profile, 'time', 'net'));
    const tail = buildReportView(profile, key, { ...input, metric: 'tail' });
    assert.deepEqual(tail.whatIf, whatIfOutlook(profile, 'both', 'tail'));
  });

  it('does not serve the simulation of an older profile stored under the same key', () => {
    const slower = slowedDown(profile, 3);
    const fresh = buildReportView(slower, key, input);
    assert.notEqual(fresh.whatIf, view.whatIf);
    assert.deepEqual(fresh.whatIf, whatIfOutlook(slower, 'both', 'net'));
  });

  it('shows why there is no joint outlook instead of failing when the search cannot evaluate the profile', () => {
    // Tasks of about 9 hours: over Lambda's 900 s cap at every memory size, yet the classic model (no cap) still answers.
    const hopeless = slowedDown(profile, 10_000);
    assert.throws(() => jointOutlook(hopeless, input), RangeError);
    const v = buildReportView(hopeless, '.propack/profiles/hopeless.json', { ...input, model: 'classic' });
    assert.ok(v.recommended.packingDegree >= 1, 'the rest of the report is there');
    assert.deepEqual(v.outlook, {
      ok: false,
      reason: 'no (memory, architecture, packing degree) can be evaluated for this profile and concurrency',
    });
    const html = jointSectionHtml(v.outlook.ok ? v.outlook : v.outlook.reason, 'heatmap');
    assert.match(html, /Not available: no \(memory, architecture, packing degree\) can be evaluated/);
    assert.doesNotMatch(html, /<table/);
    assert.equal(v.whatIf.points.length, WHATIF_CONCURRENCIES.length);
  });
});

/** A copy of `p` whose every packing sample took `factor` times as long. */
function slowedDown(p: Profile, factor: number): Profile {
  const copy = JSON.parse(JSON.stringify(p)) as Profile;
  for (const s of copy.packing.samples) s.timesS = s.timesS.map((t) => t * factor);
  return copy;
}
