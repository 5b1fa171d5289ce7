// The heatmap's stylesheet. No imports: webpack.config.js transpiles this file alone to emit dist/heatmap.css
// for the extension's report page (whose CSP admits only stylesheet files), while the HTML report inlines it.
// `--fg` and `--bg` are the page's text and background colours; each page defines them.
/** Colours of the heatmap levels (viridis, reversed: best is bright) and the marks, for both report pages. */
export const HEATMAP_CSS = `
table.heatmap { font-size: 0.75rem; }
table.heatmap td.heat { min-width: 1.6rem; height: 1.6rem; padding: 0; text-align: center; border: 1px solid var(--bg, transparent); }
table.heatmap td.mark-choice, table.heatmap td.mark-both { outline: 3px solid var(--fg, currentColor); outline-offset: -3px; font-weight: 700; }
table.heatmap td.mark-reference { outline: 2px dashed var(--fg, currentColor); outline-offset: -3px; }
.heat-0 { background: #fde725; color: #111; } .heat-1 { background: #a0da39; color: #111; }
.heat-2 { background: #4ac16d; color: #111; } .heat-3 { background: #1fa187; color: #111; }
.heat-4 { background: #277f8e; color: #fff; } .heat-5 { background: #365c8d; color: #fff; }
.heat-6 { background: #46327e; color: #fff; } .heat-7 { background: #440154; color: #fff; }
.heat-none { background: transparent; }
.heat-legend { display: flex; flex-wrap: wrap; gap: 0.25rem 0.9rem; list-style: none; padding: 0; margin: 0.4rem 0; font-size: 0.8rem; }
.heat-legend .swatch { display: inline-block; width: 0.9rem; height: 0.9rem; margin-right: 0.3rem; vertical-align: -0.1rem; border-radius: 2px; }
.tradeoff { font-weight: 600; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
