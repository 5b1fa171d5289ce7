// Renders the sample report (synthetic runs on the shipped AWS profiles) so people can look at the page:
//   npm run report:sample   →   /tmp/report-sample/report.html and summary.json (or the folder given)
// Needs the compiled tests (npm run compile-tests) and the browser bundles (webpack --config-name web).
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const { sampleReportData } = require(resolve(root, 'out/test/unit/report/report-fixture.js'));
const { loadReportAssets } = require(resolve(root, 'out/src/engine/report-assets.js'));
const { writeReport } = require(resolve(root, 'out/src/engine/report-write.js'));

const dir = resolve(process.argv[2] ?? '/tmp/report-sample');
const written = writeReport(dir, sampleReportData(), loadReportAssets(resolve(root, 'dist')));
console.log(`wrote ${written.html} and ${written.summary}`);
