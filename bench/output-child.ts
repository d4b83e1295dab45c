import { statSync } from 'node:fs';
import { main } from '../cli/main.js';
import { ManifestLoader } from '../shared/collectors/manifests.js';

/**
 * Child of bench/output.ts, so only this work counts in the peak RSS:
 * `scan FILE OUT` runs the real CLI (`hardline scan FILE --format json --output OUT`);
 * `load FILE` only loads the manifest file.
 */
const [mode, file, out] = process.argv.slice(2);
let detail: Record<string, number>;
if (mode === 'scan') {
  const code = await main(['scan', file!, '--format', 'json', '--output', out!]);
  detail = { code, output_mb: Math.round(statSync(out!).size / 1e5) / 10 };
  // Exit 1 (failures found) is the scan's answer, not the child's failure.
  process.exitCode = 0;
} else {
  const loader = new ManifestLoader();
  loader.addPath(file!);
  const loaded = loader.result({ kind: 'manifests', name: 'bench' }, new Date(0).toISOString());
  detail = { documents: loaded.documents, errors: loaded.errors.length };
}
const rssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ rss_mb: Math.round(rssMb), ...detail }) + '\n');
