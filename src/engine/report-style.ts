/**
 * The report page's stylesheet. Colours are CSS custom properties so the page script draws charts in the
 * same theme; series colours follow the Okabe–Ito palette, which stays distinct under colour blindness.
 */
export const REPORT_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --grid: rgba(31, 35, 40, 0.10);
  --surface: #f6f8fa; --good: #1a7f37; --bad: #cf222e;
  --c-model: #0072b2; --c-measured: #1f2328; --c-measured-alt: #e69f00; --c-measured-alt2: #56b4e9;
  --c-noPacking: #d55e00; --c-pywren: #cc79a7; --c-propack: #009e73; --c-oracle: #7a5195;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d; --grid: rgba(230, 237, 243, 0.12);
    --surface: #151b23; --good: #3fb950; --bad: #f85149;
    --c-model: #56b4e9; --c-measured: #e6edf3; --c-measured-alt: #f0b840; --c-measured-alt2: #8fd3ff;
    --c-noPacking: #ff7f3f; --c-pywren: #e39ac7; --c-propack: #2ecc9a; --c-oracle: #c39bd3;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body {
  margin: 0 auto; max-width: 1200px; padding: 2rem 1.25rem 4rem;
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
h1 { font-size: 1.8rem; margin: 0 0 0.25rem; line-height: 1.25; }
h2 { font-size: 1.4rem; margin: 3rem 0 0.5rem; padding-top: 1rem; border-top: 1px solid var(--border); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; }
p { margin: 0.4rem 0; }
.meta, .note { color: var(--muted); font-size: 0.9rem; }
.headline { font-size: 1.1rem; font-weight: 600; background: var(--surface); border-left: 4px solid var(--c-propack);
  padding: 0.6rem 0.9rem; border-radius: 4px; }
.headline.warn { border-left-color: var(--bad); }
/* A predicted headline (model-only report) must not read as a measured one: dashed, in the model colour. */
.headline.predicted { border-left-style: dashed; border-left-color: var(--c-model); }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.875rem; font-variant-numeric: tabular-nums; margin: 0.5rem 0; }
caption { text-align: left; color: var(--muted); font-size: 0.85rem; padding-bottom: 0.3rem; }
th, td { padding: 0.3rem 0.55rem; border-bottom: 1px solid var(--border); text-align: right; white-space: nowrap; }
th { font-weight: 600; background: var(--surface); }
th[scope="row"], td.text, th.text { text-align: left; }
/* Run names may wrap so the numbers fit beside them without scrolling. */
th[scope="row"] { white-space: normal; min-width: 8rem; }
tr.propack th[scope="row"] { color: var(--c-propack); }
tr.predicted { color: var(--muted); font-style: italic; }
.ok { color: var(--good); } .fail { color: var(--bad); font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 1.5rem; margin-top: 1rem; }
figure { margin: 0; padding: 0.9rem; border: 1px solid var(--border); border-radius: 6px; min-width: 0; }
.canvas-box { position: relative; height: 320px; }
figcaption { font-size: 0.9rem; margin-top: 0.6rem; }
details { margin-top: 0.5rem; font-size: 0.9rem; }
summary { cursor: pointer; color: var(--muted); }
.chart-error { color: var(--bad); }
a { color: var(--c-model); }
footer { margin-top: 3rem; color: var(--muted); font-size: 0.85rem; }
@media (max-width: 600px) { .charts { grid-template-columns: 1fr; } body { padding: 1rem 0.75rem; } }
@media print { .charts { grid-template-columns: 1fr 1fr; } figure { break-inside: avoid; } details { display: none; } }
`;
