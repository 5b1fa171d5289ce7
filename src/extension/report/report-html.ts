// The report page's HTML shell: CSP with a per-load nonce, every resource through asWebviewUri.
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';

/** Folders the page may load from (also the panel's localResourceRoots). */
export function reportResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** The HTML of the report page for `webview`; the script draws everything after the host's state. */
export function reportHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'report.css'));
  // The HTML report inlines the same file (src/report/heatmap.css, copied by webpack), so both colour heatmaps alike.
  const heatmapStyle = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'heatmap.css'));
  const csp = [
    `default-src 'none'`,
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<link rel="stylesheet" href="${heatmapStyle}">
<title>ProPack Report</title>
</head>
<body>
<header>
  <h1 id="title">ProPack report</h1>
  <p id="source" class="muted"></p>
</header>
<section id="missing" hidden aria-live="polite">
  <p><strong id="missing-name"></strong> has no ProPack profile yet <span id="missing-detail" class="muted"></span>.</p>
  <p>A profile measures how the function scales and how it behaves packed; ProPack then recommends the packing degree.</p>
  <button type="button" id="profile-function" class="primary">Profile this function</button>
</section>
<div id="report-body">
<form id="controls">
  <label>Concurrency C <input id="concurrency" type="number" min="1" max="100000" step="1" required></label>
  <fieldset id="objective"><legend>Objective</legend>
    <button type="button" data-objective="time">time</button><button type="button" data-objective="cost">cost</button><button type="button" data-objective="both">both</button>
  </fieldset>
  <label>Metric <select id="metric"><option value="net">net</option><option value="tail">tail</option><option value="median">median</option></select></label>
  <label title="Weight of cost in the 'both' objective; time gets the rest">Cost weight <input id="cost-weight" type="range" min="0" max="1" step="0.05"> <output id="cost-weight-value"></output></label>
  <label>Max service time (s) <input id="max-time" type="number" min="0" step="any" placeholder="none"></label>
  <label>Max cost ($) <input id="max-cost" type="number" min="0" step="any" placeholder="none"></label>
</form>
<section id="summary" aria-live="polite">
  <p>Recommended packing degree: <strong id="recommended-p">…</strong> <span id="recommended-detail" class="muted"></span></p>
  <p id="relaxed" class="warning" hidden>No packing degree meets the constraints; showing the one closest to them.</p>
  <ul id="notes" class="muted" hidden></ul>
  <p id="edge" class="warning" hidden><span id="edge-text"></span> <button type="button" id="profile-more">Profile more degrees</button></p>
  <p id="error" class="error" hidden></p>
</section>
<section class="charts">
  <figure><figcaption id="caption-scaling"></figcaption><div class="chart-box"><canvas id="chart-scaling" role="img" aria-label="Scaling time vs instances started"></canvas></div></figure>
  <figure><figcaption id="caption-packing"></figcaption><div class="chart-box"><canvas id="chart-packing" role="img" aria-label="Execution time vs packing degree"></canvas></div></figure>
  <figure><figcaption id="caption-service"></figcaption><div class="chart-box"><canvas id="chart-service" role="img" aria-label="Service time vs packing degree; hover a point for its gain over no packing"></canvas></div></figure>
  <figure><figcaption id="caption-cost"></figcaption><div class="chart-box"><canvas id="chart-cost" role="img" aria-label="Cost vs packing degree; hover a point for its gain over no packing"></canvas></div></figure>
  <figure><figcaption id="caption-pareto"></figcaption><div class="chart-box"><canvas id="chart-pareto" role="img" aria-label="Cost against service time of every packing degree, with the Pareto front"></canvas></div></figure>
  <figure><figcaption><span id="caption-cdf"></span> <span id="cdf-note" class="muted"></span></figcaption><div class="chart-box"><canvas id="chart-cdf" role="img" aria-label="Fraction of tasks done over time for each saved run"></canvas></div></figure>
  <figure class="wide" id="whatif"><figcaption id="caption-whatif"></figcaption><div class="chart-box"><canvas id="chart-whatif" role="img" aria-label="Simulated service time without packing and at the best p for each concurrency from 1 to 100,000, log-log, with the measured points and your C; the what-if data table lists the numbers"></canvas></div><p id="whatif-caption" class="muted"></p></figure>
</section>
<section id="outlook" aria-labelledby="outlook-title">
  <h2 id="outlook-title">Memory size, architecture and packing degree together</h2>
  <div id="outlook-body" aria-live="polite"></div>
</section>
<section id="stepfunctions" aria-label="Run it through Step Functions">
  <div id="stepfunctions-body"></div>
</section>
<details id="data">
  <summary>Data table (every packing degree)</summary>
  <table id="data-table" class="data">
    <caption id="data-caption">Predicted service time and cost per packing degree</caption>
    <thead><tr><th scope="col">p</th><th scope="col">service time (s)</th><th scope="col">scaling time (s)</th><th scope="col">cost (USD)</th><th scope="col">instances</th><th scope="col">against no packing</th></tr></thead>
    <tbody></tbody>
  </table>
</details>
<details id="whatif-data">
  <summary>Data table (what-if, C = 1 to 100,000)</summary>
  <table id="whatif-table" class="data">
    <caption id="whatif-table-caption">Simulated service time and cost per concurrency</caption>
    <thead><tr></tr></thead>
    <tbody></tbody>
  </table>
</details>
</div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
