/**
 * HTML for the "memory × packing degree" part of a report: the joint choice with its trade-off and one
 * heatmap table per architecture. Plain strings built from escaped text, so the HTML report and the
 * extension's report page (browser, via innerHTML under its CSP) share it. Cells are coloured by class, not
 * by inline style, because both pages' CSPs forbid inline styles.
 */
import type { Heatmap, HeatmapCell, HeatmapRow } from '../core/heatmap';
import { HEAT_LEVELS } from '../core/heatmap';
import { formatMb as mb, type JointCandidate } from '../core/joint-optimizer';
import type { JointSummary, ResourceOutlook } from '../core/resource-outlook';
import { formatNumber } from './format';
import { escapeHtml } from './html-escape';

const MARK_SYMBOL: Record<NonNullable<HeatmapCell['mark']>, string> = { choice: '★', reference: '◆', both: '★◆' };
const MARK_TEXT: Record<NonNullable<HeatmapCell['mark']>, string> = {
  choice: 'joint choice',
  reference: 'ProPack at 10,240 MB',
  both: 'joint choice = ProPack at 10,240 MB',
};

const usd = (v: number): string => `$${formatNumber(v)}`;
const seconds = (v: number): string => `${formatNumber(v)} s`;

/**
 * Where a cell's numbers come from. Every number is a prediction at the report's concurrency; what differs
 * is what was measured under it: packing at this very (memory, architecture, p), at this memory size but
 * other degrees, or nothing at this size (the resource model carries it over from the measured sizes).
 */
export type CellBasis = 'measured-point' | 'measured-size' | 'model';

export function cellBasis(pointMeasured: boolean, sizeMeasured: boolean): CellBasis {
  return pointMeasured ? 'measured-point' : sizeMeasured ? 'measured-size' : 'model';
}

export const BASIS_TEXT: Record<CellBasis, string> = {
  'measured-point': 'predicted from packing measured at this size and p',
  'measured-size': 'predicted at a measured size; this p was not measured',
  model: 'predicted by the resource model; this size was not measured',
};

/** "3,538 MB x86_64, p=6: 19.23 s, $0.18 (predicted by the resource model …)"; `measured` is what the profile measured. */
export function describeCandidate(c: JointCandidate, measured: JointSummary['measured']): string {
  const sizeMeasured = measured.some((m) => m.memoryMb === c.memoryMb && m.architecture === c.architecture);
  const pointMeasured =
    c.measured ||
    measured.some((m) => m.memoryMb === c.memoryMb && m.architecture === c.architecture && m.degrees.includes(c.packingDegree));
  return `${mb(c.memoryMb)} ${c.architecture}, p=${c.packingDegree}: ${seconds(c.serviceTime)}, ${usd(c.cost)} (${BASIS_TEXT[cellBasis(pointMeasured, sizeMeasured)]})`;
}

function cellTitle(row: HeatmapRow, cell: HeatmapCell, valueLabel: string): string {
  const head = `${mb(row.memoryMb)}, p=${cell.packingDegree}`;
  if (cell.value === null) return `${head}: not a candidate (the tasks do not fit in memory, or the run would exceed 900 s)`;
  const parts = [`${valueLabel} ${formatNumber(cell.value)}`];
  if (cell.serviceTime !== undefined) parts.push(`service ${seconds(cell.serviceTime)}`);
  if (cell.cost !== undefined) parts.push(`cost ${usd(cell.cost)}`);
  parts.push(BASIS_TEXT[cellBasis(cell.measured, row.configurationMeasured)]);
  if (cell.mark) parts.push(MARK_TEXT[cell.mark]);
  return `${head}: ${parts.join(', ')}`;
}

function cellHtml(row: HeatmapRow, cell: HeatmapCell, valueLabel: string): string {
  const memoryMb = row.memoryMb;
  const title = cellTitle(row, cell, valueLabel);
  if (cell.value === null || cell.level === null)
    return `<td class="heat heat-none" title="${escapeHtml(title)}"><span class="sr">${escapeHtml(title)}</span></td>`;
  const classes = ['heat', `heat-${cell.level}`, ...(cell.measured ? ['measured'] : []), ...(cell.mark ? [`mark-${cell.mark}`] : [])];
  const symbol = cell.mark ? MARK_SYMBOL[cell.mark] : cell.measured ? '•' : '';
  return (
    `<td class="${classes.join(' ')}" data-value="${cell.value}" data-p="${cell.packingDegree}" data-memory="${memoryMb}" title="${escapeHtml(title)}">` +
    `<span aria-hidden="true">${symbol}</span><span class="sr">${escapeHtml(title)}</span></td>`
  );
}

function legendHtml(h: Heatmap): string {
  const swatches = h.legend.map(
    (l) =>
      `<li><span class="swatch heat-${l.level}" aria-hidden="true"></span>${escapeHtml(l.from === l.to ? formatNumber(l.from) : `${formatNumber(l.from)}–${formatNumber(l.to)}`)}</li>`,
  );
  return (
    `<ul class="heat-legend" aria-label="${escapeHtml(`Colour scale of ${h.valueLabel}, best first`)}">${swatches.join('')}</ul>` +
    `<p class="note">★ joint choice · ◆ ProPack's choice at 10,240 MB · • packing measured at that memory size and p. ` +
    `Every number is predicted at this concurrency: from the measurements at • cells and their sizes, and by the resource model at sizes not measured. ` +
    `Colours are ${HEAT_LEVELS} rank bands of the ${escapeHtml(h.valueLabel)}, best (bright) to worst (dark); hover a cell for its numbers.</p>`
  );
}

/** One architecture's heatmap as a table: memory sizes down, packing degrees across. */
export function heatmapTableHtml(h: Heatmap, id: string): string {
  const head = `<th scope="col" class="text">memory \\ p</th>${h.degrees.map((p) => `<th scope="col">${p}</th>`).join('')}`;
  const rows = h.rows.map(
    (r) =>
      `<tr><th scope="row" class="text">${escapeHtml(`${mb(r.memoryMb)} · ${formatNumber(Math.round(r.vcpus * 100) / 100)} vCPU`)}</th>` +
      `${r.cells.map((c) => cellHtml(r, c, h.valueLabel)).join('')}</tr>`,
  );
  const caption = `${h.architecture}: ${h.valueLabel} by memory size and packing degree`;
  return (
    `<figure class="heatmap-fig" id="${escapeHtml(id)}"><div class="table-wrap"><table class="heatmap" data-architecture="${h.architecture}">` +
    `<caption>${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>` +
    `${legendHtml(h)}</figure>`
  );
}

const CPU_WORK_NOTE: Record<JointSummary['cpuWorkFrom'], string> = {
  'several-vcpu-counts': 'The resource model separated CPU work from fixed time using several measured vCPU counts.',
  'one-configuration-knee':
    'Only one memory size was measured: the model separates CPU work from the knee of its packing curve; other sizes are extrapolated.',
  'assumed-proportional':
    'Only one memory size was measured and its packing curve shows no knee: the model assumes time ∝ 1/vCPUs below it and no gain above it. Profile more sizes to measure the effect.',
};

/** "1–8, 12, 16": ascending whole numbers with runs of three or more shortened. */
export function degreeRanges(degrees: readonly number[]): string {
  const sorted = [...new Set(degrees)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    if (j - i >= 2) parts.push(`${sorted[i]}–${sorted[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(sorted[k]));
    i = j + 1;
  }
  return parts.join(', ');
}

/** The joint choice, ProPack's and memory-only tuning, with the trade-off sentence. */
export function jointSummaryHtml(j: JointSummary): string {
  const measured = j.measured.map((m) => `${mb(m.memoryMb)} ${m.architecture} (p=${degreeRanges(m.degrees)})`).join('; ');
  return (
    `<p class="tradeoff">${escapeHtml(j.tradeOff.text)}</p>` +
    `<ul class="joint">` +
    `<li><strong>Joint choice:</strong> ${escapeHtml(describeCandidate(j.choice, j.measured))}</li>` +
    `<li><strong>ProPack (10,240 MB x86_64, p tuned):</strong> ${escapeHtml(describeCandidate(j.reference, j.measured))}</li>` +
    `<li><strong>Memory only (p=1):</strong> ${escapeHtml(describeCandidate(j.memoryOnly, j.measured))}</li></ul>` +
    `<p class="note">Measured: ${escapeHtml(measured || 'nothing')}. ${escapeHtml(CPU_WORK_NOTE[j.cpuWorkFrom])}` +
    `${j.hostContention ? ' This profile was measured on the local platform, where the slowdown under load is this machine’s CPU contention: sizes with more vCPUs run more tasks at once on the same few cores and are predicted slower than Lambda, where each instance has its own vCPUs, would run them.' : ''}` +
    `${j.constraintsRelaxed ? ' No configuration met the bounds; the least violating one is shown.' : ''}</p>`
  );
}

/**
 * The body of a report's memory × p section: what it searches, the joint summary and one heatmap per
 * architecture (ids `${idPrefix}-<architecture>`), or why there is none when `outlook` is a message.
 */
export function jointSectionHtml(outlook: Pick<ResourceOutlook, 'joint' | 'heatmaps'> | string, idPrefix: string): string {
  if (typeof outlook === 'string') return `<p class="note">Not available: ${escapeHtml(outlook)}.</p>`;
  return (
    `<p class="note">ProPack tunes only p at 10,240 MB; this searches memory × architecture × p for the same objective with the fitted and resource models (predictions, not measurements).</p>` +
    jointSummaryHtml(outlook.joint) +
    outlook.heatmaps.map((h) => heatmapTableHtml(h, `${idPrefix}-${h.architecture}`)).join('')
  );
}
