import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { controls as catalog } from '../../shared/controls/index.js';
import { describeError } from '../../shared/core/errors.js';
import { formatReport } from '../../shared/report/format.js';
import { useColor } from '../io.js';
import { saveReport } from '../sources/store.js';
import { scanSources } from './scan.js';

export const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/', import.meta.url));
/** The demo's HTML report (one self-contained file, open it in a browser). */
export const DEMO_HTML_REPORT = fileURLToPath(new URL('../../.hardline/report.html', import.meta.url));

/**
 * `npm start`: a real scan of examples/ (mis-configured and hardened manifests, the seeds' policies
 * and a recorded EKS snapshot). A demo, not a gate: it exits 0 whatever it finds.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo', { hidden: true })
    .description('scan the bundled examples and print the report (what npm start runs)')
    .action(async () => {
      const { report, locations } = await scanSources([EXAMPLES_DIR], { framework: 'all', failOn: 'low' });
      process.stdout.write(formatReport(report, 'table', { controls: catalog, locations, color: useColor(false) }));
      mkdirSync(dirname(DEMO_HTML_REPORT), { recursive: true });
      writeFileSync(DEMO_HTML_REPORT, formatReport(report, 'html', { controls: catalog }));
      process.stdout.write(`\nHTML report: ${DEMO_HTML_REPORT}\n`);
      // The demo also fills the embedded findings store, so `findings` and `serve` have data.
      const saved = await saveReport(report).catch((e: unknown) => `not saved to the findings store: ${describeError(e)}`);
      process.stdout.write(`Findings store: ${saved}\n`);
      process.stdout.write(
        '\nThis was a real scan of examples/. Try (`npm link` once makes it `hardline` everywhere):\n' +
          '  npx hardline scan examples/manifests --framework pss-restricted\n' +
          '  npx hardline scan examples/ --output hardline.sarif\n' +
          '  npx hardline controls\n' +
          '  npx hardline findings --severity high --state open\n' +
          '  npx hardline serve      # then: curl "http://127.0.0.1:8787/findings?severity=high&state=OPEN"\n',
      );
      process.exitCode = 0;
    });
}
