import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { apiEvent } from '../shared/api/http.js';
import { routeRequest } from '../shared/api/router.js';
import { ephemeralApiSettings } from '../shared/api/settings.js';
import { controls as catalog } from '../shared/controls/index.js';
import { SEVERITIES, type Target } from '../shared/core/types.js';
import { summarizeScan, type ScanReport } from '../shared/engine/report.js';
import { ResultSet } from '../shared/engine/results.js';
import type { Result } from '../shared/engine/types.js';
import { countWrites, type WriteCounter } from '../shared/store/client.js';
import { openStore } from '../shared/store/open.js';
import { seededRandom } from '../test/support/random.js';
import { benchServeBurst, burstPaths, percentile, type ServeBench } from './serve.js';

export interface StoreBench {
  save_ms: number;
  /** CPU time (user + system) of the process during the first save: on a loaded machine the wall time is mostly waiting. */
  save_cpu_ms: number;
  write_requests_first: number;
  write_requests_second: number;
  /** Items written by the first save and by the unchanged rescan (every kind). */
  write_items_first: number;
  write_items_second: number;
  /** items written by the unchanged rescan / items written by the first save. */
  rescan_write_ratio: number;
  /** GET /findings?severity=high&state=OPEN, walking its pages, through the API handler. */
  api_p50_ms: number;
  api_p95_ms: number;
  /** A mix of filters (cluster, control, namespace + severity, unfiltered), as before. */
  query_p50_ms: number;
  query_p95_ms: number;
  /** `hardline serve` answering a burst of 200 concurrent requests, with and without reusing answers. */
  serve: ServeBench;
  serve_no_reuse: ServeBench;
  /** Finding items written by each save (the issue's "≤ 1% as many finding items"). */
  finding_items_first: number;
  finding_items_second: number;
  rescan_ms: number;
  targets: number;
  queries: number;
}

/** Findings per cluster in the synthetic fleet (a badly configured cluster of a few hundred workloads). */
const FINDINGS_PER_TARGET = 2_000;

/** A fleet's worth of FAIL results (plus some PASS), deterministic, spread over clusters, controls, namespaces and severities. */
function syntheticReport(findings: number, id: string, startedAt: Date): ScanReport {
  const rand = seededRandom(7);
  const targetCount = Math.max(1, Math.ceil(findings / FINDINGS_PER_TARGET));
  const targets: Target[] = Array.from({ length: targetCount }, (_, i) => ({
    kind: 'cluster',
    accountId: String(100_000_000_000 + (i % 50)).padStart(12, '0'),
    region: ['eu-west-1', 'us-east-1', 'ap-southeast-2'][i % 3]!,
    name: `cluster-${String(i).padStart(3, '0')}`,
  }));
  const ids = catalog.map((c) => c.id);
  const results: Result[] = [];
  for (let i = 0; i < findings; i++) {
    const target = targets[i % targetCount]!;
    results.push({
      controlId: ids[Math.floor(rand() * ids.length)]!,
      status: 'FAIL',
      severity: SEVERITIES[Math.floor(rand() * 4)]!,
      target,
      resource: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: `team-${Math.floor(rand() * 40)}`,
        name: `app-${i}`,
        container: 'main',
      },
      message: `container 'main' of Deployment app-${i} fails the check`,
      evidence: { field: 'spec.template.spec.containers[0].securityContext', value: 'missing' },
    });
    if (i % 4 === 0)
      results.push({ ...results[results.length - 1]!, status: 'PASS', controlId: ids[(i * 7) % ids.length]!, message: 'ok' });
  }
  const set = ResultSet.of(results);
  const startIso = startedAt.toISOString();
  const reported = targets.map((t) => ({ ...t, status: 'OK' as const, resources: Math.ceil(findings / targetCount), gaps: 0 }));
  return {
    schemaVersion: 1,
    tool: { name: 'hardline', version: 'bench' },
    scan: {
      id,
      startedAt: startIso,
      finishedAt: new Date(startedAt.getTime() + 60_000).toISOString(),
      framework: 'all',
      targets: reported,
      errors: [],
      expiredExemptions: [],
    },
    results: set,
    summary: summarizeScan(set, reported, []),
  };
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Diff + save of N findings into the embedded store (dynalite in-process, LevelDB on disk), the
 * same inventory saved again, API query latency and a burst on `hardline serve`. Writes are
 * counted by a middleware on the DynamoDB client, so every path (conditional puts, batches,
 * retries) is included.
 */
export async function benchStore(opts: { findings: number; queries?: number; log?: (line: string) => void }): Promise<StoreBench> {
  const dir = mkdtempSync(join(tmpdir(), 'hardline-bench-store-'));
  let counter: WriteCounter | undefined;
  const opened = await openStore({ env: { HARDLINE_STORE_DIR: dir }, onClient: (raw) => (counter = countWrites(raw)) });
  const writes = counter!;
  try {
    const base = Date.parse('2026-11-01T00:00:00Z');
    const first = syntheticReport(opts.findings, 'bench-1', new Date(base));
    opts.log?.(`store: saving ${opts.findings} findings over ${first.scan.targets.length} clusters …`);
    writes.reset();
    let t = performance.now();
    const cpu = process.cpuUsage();
    await opened.store.saveScan(first);
    const saveMs = performance.now() - t;
    const saveCpu = process.cpuUsage(cpu);
    const firstRequests = writes.requests;
    const firstItems = writes.items;
    const firstFindingItems = writes.itemsByKind['finding'] ?? 0;

    opts.log?.('store: saving the same inventory again …');
    const second = syntheticReport(opts.findings, 'bench-2', new Date(base + 3_600_000));
    writes.reset();
    t = performance.now();
    await opened.store.saveScan(second);
    const rescanMs = performance.now() - t;
    const secondRequests = writes.requests;
    const secondItems = writes.items;
    const secondFindingItems = writes.itemsByKind['finding'] ?? 0;

    const queryCount = opts.queries ?? 200;
    const settings = ephemeralApiSettings()();
    opts.log?.(`store: ${queryCount} × GET /findings?severity=high&state=OPEN (walking its pages) …`);
    const api: number[] = [];
    let next: string | undefined;
    for (let i = 0; i < queryCount; i++) {
      // Ten pages deep, then from the start again: what a client paging through the list does.
      const q = `severity=high&state=OPEN${next && i % 10 !== 0 ? `&cursor=${next}` : ''}`;
      const started = performance.now();
      const res = await routeRequest(apiEvent('GET', '/findings', q), opened.store, settings);
      api.push(performance.now() - started);
      if (res.statusCode !== 200) throw new Error(`query ${q} answered ${res.statusCode}: ${res.body}`);
      next = (JSON.parse(res.body ?? '{}') as { nextCursor?: string }).nextCursor;
    }
    api.sort((a, b) => a - b);

    opts.log?.(`store: ${queryCount} API queries with mixed filters …`);
    const clusters = first.scan.targets.map((x) => x.name);
    const controlIds = catalog.map((c) => c.id);
    const queries = [
      () => 'severity=high&state=OPEN&limit=50',
      (i: number) => `cluster=${clusters[i % clusters.length]}&limit=50`,
      (i: number) => `control=${controlIds[i % controlIds.length]}&state=open&limit=50`,
      (i: number) => `namespace=team-${i % 40}&severity=critical&limit=50`,
      () => 'limit=100',
    ];
    const times: number[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < queryCount; i++) {
      const q = queries[i % queries.length]!(i) + (i % queries.length === 0 && cursor ? `&cursor=${cursor}` : '');
      const started = performance.now();
      const res = await routeRequest(apiEvent('GET', '/findings', q), opened.store, settings);
      times.push(performance.now() - started);
      if (res.statusCode !== 200) throw new Error(`query ${q} answered ${res.statusCode}: ${res.body}`);
      if (i % queries.length === 0) cursor = (JSON.parse(res.body ?? '{}') as { nextCursor?: string }).nextCursor;
    }
    times.sort((a, b) => a - b);

    const someIds = (await opened.store.findings({}, { limit: 4 })).items.map((f) => f.findingId);
    const paths = burstPaths(clusters, controlIds, someIds);
    // Without reuse first: it also warms up the server code, as in a server that has been running a while.
    opts.log?.(`store: hardline serve, ${paths.length} concurrent requests (every answer computed, then reusing answers) …`);
    const serveNoReuse = await benchServeBurst(opened, paths, false);
    const serve = await benchServeBurst(opened, paths, true);
    return {
      save_ms: Math.round(saveMs),
      save_cpu_ms: Math.round((saveCpu.user + saveCpu.system) / 1000),
      write_requests_first: firstRequests,
      write_requests_second: secondRequests,
      write_items_first: firstItems,
      write_items_second: secondItems,
      rescan_write_ratio: round(secondItems / firstItems, 6),
      api_p50_ms: round(percentile(api, 50)),
      api_p95_ms: round(percentile(api, 95)),
      query_p50_ms: round(percentile(times, 50)),
      query_p95_ms: round(percentile(times, 95)),
      serve,
      serve_no_reuse: serveNoReuse,
      finding_items_first: firstFindingItems,
      finding_items_second: secondFindingItems,
      rescan_ms: Math.round(rescanMs),
      targets: first.scan.targets.length,
      queries: queryCount,
    };
  } finally {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npx tsx bench/store.ts [findings]` runs it alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 100_000);
  const out = await benchStore({ findings: n, log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}
