import { benchBundle } from './bundle.js';
import { benchEngine, benchRss } from './engine.js';

/**
 * `npm run bench` — every figure measured in one run on this machine, as ratios where the machine's
 * speed would otherwise decide the number. `--json` prints one JSON object as the last line.
 */
interface Row {
  key: string;
  label: string;
  value: number;
  goal?: { op: '<=' | '>=' | '=='; target: number };
  unit?: string;
}

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const rows: Row[] = [];
const log = (s: string) => {
  if (!json) process.stderr.write(s + '\n');
};

log('engine: 50,000 objects …');
const engine = benchEngine(quick ? 10_000 : 50_000, quick ? 2 : 5);
rows.push({ key: 'engine_vs_parse_ratio', label: `engine time / JSON.parse time (${engine.objects} objects, ${engine.inventory_mb} MB, ${engine.results} results)`, value: engine.engine_vs_parse_ratio, goal: { op: '<=', target: 1 } });
rows.push({ key: 'engine_ms', label: 'engine time, median', value: engine.engine_ms, unit: 'ms' });
rows.push({ key: 'parse_ms', label: 'JSON.parse time, median', value: engine.parse_ms, unit: 'ms' });

log('memory: 10,000 pods …');
const rss = benchRss(10_000);
rows.push({ key: 'rss_mb_10k_pods', label: `peak RSS, parse + evaluate ${rss.pods} pods (${rss.results} results)`, value: rss.rss_mb, unit: 'MB', goal: { op: '<=', target: 256 } });

log('scan-cluster Lambda bundle: esbuild + cold import …');
const bundle = await benchBundle();
rows.push({ key: 'scan_cluster_bundle_kb', label: 'scan-cluster bundle (esbuild, as ScannerFunction bundles it)', value: bundle.scan_cluster_bundle_kb, unit: 'KB', goal: { op: '<=', target: 1536 } });
rows.push({ key: 'cold_init_ms', label: 'scan-cluster cold init (import in a fresh Node 22), median', value: bundle.cold_init_ms, unit: 'ms', goal: { op: '<=', target: 300 } });

const met = (r: Row) => !r.goal || (r.goal.op === '<=' ? r.value <= r.goal.target : r.goal.op === '>=' ? r.value >= r.goal.target : r.value === r.goal.target);
if (json) {
  process.stdout.write(JSON.stringify(Object.fromEntries(rows.map((r) => [r.key, r.value]))) + '\n');
} else {
  const w = Math.max(...rows.map((r) => r.label.length));
  process.stdout.write(`${'measure'.padEnd(w)}  ${'value'.padStart(10)}  goal        met\n`);
  for (const r of rows) {
    const v = `${r.value}${r.unit ? ' ' + r.unit : ''}`;
    const g = r.goal ? `${r.goal.op} ${r.goal.target}${r.unit ? ' ' + r.unit : ''}` : '';
    process.stdout.write(`${r.label.padEnd(w)}  ${v.padStart(10)}  ${g.padEnd(10)}  ${r.goal ? (met(r) ? 'yes' : 'NO') : ''}\n`);
  }
}
