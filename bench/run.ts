import { benchBundle } from './bundle.js';
import { benchCollector } from './collector.js';
import { benchDrift } from './drift.js';
import { benchEngine, benchRss } from './engine.js';
import { benchCoverageFleet, benchFleet } from './fleet.js';
import { benchJsonOutput, benchManifestLoad } from './output.js';
import { benchStore } from './store.js';

/**
 * `npm run bench` — every figure measured in one run on this machine, as ratios where the machine's
 * speed would otherwise decide the number; one table with the goal and whether it is met.
 * `--json` prints one JSON object as the last line of stdout. `--quick` runs every part at a
 * reduced size (the table says which); `--only engine,fleet,drift,…` runs some parts.
 * The full run takes a while: the store saves 100,000 findings and the fleet scans 1,000 clusters twice.
 */
interface Row {
  key: string;
  label: string;
  value: number;
  goal?: { op: '<=' | '>=' | '=='; target: number };
  unit?: string;
}

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? new Set((args[onlyArg + 1] ?? '').split(',')) : undefined;
const runs = (part: string) => !only || only.has(part);
const rows: Row[] = [];
/** Keys whose value is an object (the JSON output only; the table has a row per entry). */
const objects: Record<string, Record<string, number>> = {};
const started = Date.now();
const log = (s: string) => process.stderr.write(`[${Math.round((Date.now() - started) / 1000)}s] ${s}\n`);
const n = (x: number) => x.toLocaleString('en-US');

if (runs('engine')) {
  const objects = quick ? 10_000 : 50_000;
  log(`engine: ${n(objects)} objects …`);
  const engine = benchEngine(objects, quick ? 2 : 5);
  rows.push({
    key: 'engine_vs_parse_ratio',
    label: `engine time / JSON.parse time (${n(engine.objects)} objects, ${engine.inventory_mb} MB, ${n(engine.results)} results)`,
    value: engine.engine_vs_parse_ratio,
    goal: { op: '<=', target: 1 },
  });
  rows.push({ key: 'engine_ms', label: 'engine time, median', value: engine.engine_ms, unit: 'ms' });
  rows.push({ key: 'parse_ms', label: 'JSON.parse time, median', value: engine.parse_ms, unit: 'ms' });
}

if (runs('rss')) {
  log('memory: 10,000 pods …');
  const rss = benchRss(10_000);
  rows.push({
    key: 'rss_mb_10k_pods',
    label: `peak RSS, parse + evaluate ${n(rss.pods)} pods (${n(rss.results)} results)`,
    value: rss.rss_mb,
    unit: 'MB',
    goal: { op: '<=', target: 256 },
  });
}

if (runs('output')) {
  const pods = quick ? 20_000 : 100_000;
  log(`output: scan of ${n(pods)} workloads to --format json --output …`);
  const o = benchJsonOutput(pods);
  rows.push({
    key: 'json_output_100k_peak_rss_mb',
    label: `peak RSS, \`hardline scan\` of ${n(o.pods)} workloads to --format json --output (${o.output_mb} MB written, exit ${o.exit_code})`,
    value: o.rss_mb,
    unit: 'MB',
    goal: { op: '<=', target: 1024 },
  });
}

if (runs('manifest')) {
  const mb = quick ? 10 : 50;
  log(`manifest: loading a ${mb} MB multi-document YAML file …`);
  const m = benchManifestLoad(mb);
  rows.push({
    key: 'manifest_50mb_peak_rss_mb',
    label: `peak RSS, loading a ${m.mb} MB YAML file of ${n(m.deployments)} Deployments (${n(m.documents)} objects read)`,
    value: m.rss_mb,
    unit: 'MB',
    goal: { op: '<=', target: 1024 },
  });
}

if (runs('collector')) {
  const pods = quick ? 2_000 : 10_000;
  log(`collector: ${n(pods)} pods from the HTTPS test API server …`);
  const c = await benchCollector({ pods });
  rows.push({
    key: 'collector_vs_raw_ratio',
    label: `live collector / raw paged fetch (${n(pods)} pods, pages of 500)`,
    value: c.collector_vs_raw_ratio,
    goal: { op: '<=', target: 2 },
  });
  rows.push({
    key: 'collector_rss_mb',
    label: `peak RSS of one collection (${n(pods)} pods; ${c.baseline_rss_mb} MB before it)`,
    value: c.rss_mb,
    unit: 'MB',
    goal: { op: '<=', target: 256 },
  });
}

if (runs('store')) {
  const findings = quick ? 10_000 : 100_000;
  const size = `${findings / 1000}k`;
  log(`store: diff + save of ${n(findings)} findings (dynalite) …`);
  const s = await benchStore({ findings, log });
  rows.push({
    key: `store_first_save_${size}_s`,
    label: `embedded store: first save of ${n(findings)} findings (diff + ${n(s.write_requests_first)} write requests; CPU ${n(Math.round(s.save_cpu_ms / 1000))} s)`,
    value: Math.round(s.save_ms / 100) / 10,
    unit: 's',
    ...(findings === 100_000 ? { goal: { op: '<=' as const, target: 60 } } : {}),
  });
  rows.push({
    key: 'rescan_write_ratio',
    label: `items written by an unchanged rescan / by the first save (${n(s.write_items_second)} / ${n(s.write_items_first)})`,
    value: s.rescan_write_ratio,
    goal: { op: '<=', target: 0.01 },
  });
  rows.push({
    key: 'rescan_finding_items',
    label: 'finding items written by the unchanged rescan',
    value: s.finding_items_second,
    goal: { op: '<=', target: Math.floor(s.finding_items_first / 100) },
  });
  rows.push({
    key: `api_p95_ms_${size}`,
    label: `API p95, GET /findings?severity=high&state=OPEN paged (${s.queries} requests; p50 ${s.api_p50_ms} ms)`,
    value: s.api_p95_ms,
    unit: 'ms',
    ...(findings === 100_000 ? { goal: { op: '<=' as const, target: 100 } } : {}),
  });
  rows.push({
    key: 'query_p95_ms',
    label: `API p95, mixed filters incl. namespace (${s.queries} requests; p50 ${s.query_p50_ms} ms)`,
    value: s.query_p95_ms,
    unit: 'ms',
  });
  rows.push({
    key: `serve_p95_ms_${s.serve.requests}_concurrent`,
    label: `hardline serve p95, ${s.serve.requests} concurrent requests (${s.serve.distinct} distinct; p50 ${s.serve.p50_ms} ms)`,
    value: s.serve.p95_ms,
    unit: 'ms',
    goal: { op: '<=', target: 500 },
  });
  rows.push({
    key: 'serve_p95_ms_no_reuse',
    label: `…the same burst with every answer computed (no reuse; p50 ${s.serve_no_reuse.p50_ms} ms)`,
    value: s.serve_no_reuse.p95_ms,
    unit: 'ms',
  });
}

if (runs('bundle')) {
  log('Lambda bundles: esbuild of every function + scan-cluster cold import …');
  const bundle = await benchBundle();
  rows.push({
    key: 'scan_cluster_bundle_kb',
    label: 'scan-cluster bundle (esbuild, as ScannerFunction bundles it)',
    value: bundle.scan_cluster_bundle_kb,
    unit: 'KB',
    goal: { op: '<=', target: 1536 },
  });
  rows.push({
    key: 'cold_init_ms',
    label: `scan-cluster cold init (import in a fresh Node 22), median (CPU ${bundle.cold_init_cpu_ms} ms)`,
    value: bundle.cold_init_ms,
    unit: 'ms',
    goal: { op: '<=', target: 300 },
  });
  for (const f of bundle.functions) {
    rows.push({
      key: `bundle_kb_${f.function.replaceAll('-', '_')}`,
      label: `${f.function} bundle (deflated ${f.deflated_kb} KB)`,
      value: f.bundle_kb,
      unit: 'KB',
    });
  }
  objects['bundle_kb_by_function'] = Object.fromEntries(bundle.functions.map((f) => [f.function, f.bundle_kb]));
}

if (runs('fleet')) {
  const size = quick
    ? { accounts: 10, clustersPerRegion: 3, truthSample: 1_000 }
    : { accounts: 50, clustersPerRegion: 10, truthSample: 100 };
  log(`fleet: ${size.accounts} accounts × 2 regions × ${size.clustersPerRegion} clusters, two runs (the second with faults) …`);
  const f = await benchFleet({ ...size, log });
  const shape = `${n(f.fleet_clusters)} clusters + ${f.fleet_registries} registries`;
  rows.push({
    key: 'fleet_targets',
    label: `fleet targets of the faulted run (${shape}; a denied account's clusters as its '*' targets)`,
    value: f.fleet_targets,
  });
  rows.push({
    key: 'fleet_targets_accounted',
    label: '…with a final status in the store',
    value: f.fleet_targets_accounted,
    goal: { op: '==', target: f.fleet_targets },
  });
  rows.push({
    key: 'fleet_targets_accounted_run1',
    label: `targets of the first run with a final status (of ${n(f.fleet_targets_run1)})`,
    value: f.fleet_targets_accounted_run1,
    goal: { op: '==', target: f.fleet_targets_run1 },
  });
  rows.push({
    key: 'fleet_problems',
    label: `broken promises (lost/extra findings, resolved behind a fault, missing events; ${f.fleet_compared_targets} target checks)`,
    value: f.fleet_problems,
    goal: { op: '==', target: 0 },
  });
  rows.push({
    key: 'fleet_throttled_errors',
    label: `targets ERROR because Lambda throttled their step (${n(f.fleet_throttled_tries)} of all tries throttled, 10%)`,
    value: f.fleet_throttled_errors,
    goal: { op: '==', target: 0 },
  });
  rows.push({ key: 'fleet_run1_s', label: 'fleet run 1 (all targets, clean), wall time', value: f.fleet_run1_s, unit: 's' });
  rows.push({ key: 'fleet_run2_s', label: 'fleet run 2 (with faults), wall time', value: f.fleet_run2_s, unit: 's' });
  rows.push({
    key: 'fleet_publish_s',
    label: `publishing ${n(f.fleet_stream_records)} stream records → ${n(f.fleet_events)} events (${n(f.fleet_event_redeliveries)} redelivered)`,
    value: f.fleet_publish_s,
    unit: 's',
  });
  rows.push({ key: 'fleet_findings', label: 'findings stored after both runs', value: f.fleet_findings });
  if (f.fleet_problems > 0) log(`fleet problems: ${JSON.stringify(f.problems, null, 2)}`);
}

if (runs('coverage')) {
  const size = quick ? { accounts: 3, clustersPerRegion: 5 } : { accounts: 10, clustersPerRegion: 5 };
  log(
    `coverage: ${size.accounts} accounts × 2 regions × ${size.clustersPerRegion} clusters, 30% never onboarded, one deleted, three runs …`,
  );
  const c = await benchCoverageFleet({ ...size, log });
  rows.push({
    key: 'coverage_percent',
    label: `fleet coverage with ${c.coverage_unauthorized} of ${c.coverage_clusters} clusters unauthorized (alarm ${c.coverage_alarm_fires ? 'fires' : 'silent'})`,
    value: c.coverage_percent,
    unit: '%',
    goal: { op: '==', target: Math.round(((c.coverage_clusters - c.coverage_unauthorized) / c.coverage_clusters) * 1000) / 10 },
  });
  rows.push({
    key: 'coverage_problems',
    label: 'coverage promises broken (counts, the exact unreadable list, deletion timing)',
    value: c.coverage_problems,
    goal: { op: '==', target: 0 },
  });
  rows.push({
    key: 'deleted_resolved_run2',
    label: 'deleted cluster: findings resolved on its first absent run',
    value: c.deleted_resolved_run2,
    goal: { op: '==', target: 0 },
  });
  rows.push({
    key: 'deleted_resolved_run3',
    label: `deleted cluster: findings resolved on the second (of ${c.deleted_cluster_findings} open)`,
    value: c.deleted_resolved_run3,
    goal: { op: '==', target: c.deleted_cluster_findings },
  });
  if (c.coverage_problems > 0) log(`coverage problems: ${JSON.stringify(c.problems, null, 2)}`);
}

if (runs('drift')) {
  const size = quick
    ? { accounts: 4, clustersPerRegion: 3, changes: 20, minutes: 15 }
    : { accounts: 10, clustersPerRegion: 4, changes: 60, minutes: 30 };
  log(
    `drift: ${size.changes} changes over ${size.minutes} simulated minutes on ${size.accounts} accounts × 2 regions × ${size.clustersPerRegion} clusters (bursts, duplicates, refused calls, reads) …`,
  );
  const d = await benchDrift({ ...size, log });
  rows.push({
    key: 'drift_to_event_s_p95',
    label: `API call → Finding Opened/Resolved on the bus, p95 (simulated; ${d.drift_changes} changes, 60 s debounce counted; p50 ${d.drift_to_event_s_p50} s, max ${d.drift_to_event_s_max} s)`,
    value: d.drift_to_event_s_p95,
    unit: 's',
    goal: { op: '<=', target: 120 },
  });
  rows.push({
    key: 'drift_rescans_per_event',
    label: `rescans per forwarded change event (${d.drift_rescans} rescans, ${d.drift_events} events incl. bursts and duplicates)`,
    value: d.drift_rescans_per_event,
    goal: { op: '<=', target: 1 },
  });
  rows.push({
    key: 'drift_delete_to_resolved_s_p95',
    label: 'deletion → Finding Resolved (target-deleted), p95 (clusters DELETING 2–5 min)',
    value: d.drift_delete_to_resolved_s_p95,
    unit: 's',
  });
  rows.push({
    key: 'drift_problems',
    label: 'changes without their event, rescans caused by refused calls or reads',
    value: d.drift_problems,
    goal: { op: '==', target: 0 },
  });
  if (d.drift_problems > 0) log(`drift problems: ${JSON.stringify(d.problems, null, 2)}`);
}

const met = (r: Row) =>
  !r.goal || (r.goal.op === '<=' ? r.value <= r.goal.target : r.goal.op === '>=' ? r.value >= r.goal.target : r.value === r.goal.target);
log(`done in ${Math.round((Date.now() - started) / 1000)} s${quick ? ' (quick sizes)' : ''}`);
const w = Math.max(...rows.map((r) => r.label.length));
const table = [`${'measure'.padEnd(w)}  ${'value'.padStart(12)}  ${'goal'.padEnd(12)}  met`];
for (const r of rows) {
  const v = `${r.value}${r.unit ? ' ' + r.unit : ''}`;
  const g = r.goal ? `${r.goal.op} ${r.goal.target}${r.unit ? ' ' + r.unit : ''}` : '';
  table.push(`${r.label.padEnd(w)}  ${v.padStart(12)}  ${g.padEnd(12)}  ${r.goal ? (met(r) ? 'met' : 'NOT met') : ''}`);
}
if (json) {
  // The table still goes to stderr, so one run gives both; stdout carries only the JSON object.
  process.stderr.write(table.join('\n') + '\n');
  const out: Record<string, number | boolean | string[] | Record<string, number>> = {
    ...Object.fromEntries(rows.map((r) => [r.key, r.value])),
    ...objects,
  };
  out['goals_not_met'] = rows.filter((r) => !met(r)).map((r) => r.key);
  out['quick'] = quick;
  process.stdout.write(JSON.stringify(out) + '\n');
} else {
  process.stdout.write(table.join('\n') + '\n');
}
