import { viaBearerToken } from '../shared/collectors/kubernetes/bearer-http.js';
import { collectKubernetesInventory } from '../shared/collectors/kubernetes/index.js';

/**
 * Child of bench/collector.ts. `time`: alternates raw paged fetch and collector runs and reports
 * medians. `rss`: one collector run in a fresh process, then its peak RSS. The collector reads the
 * way the scan-cluster Lambda does: a bearer token over node:https.
 */
const [mode, port, caData, pageSizeArg] = process.argv.slice(2) as [string, string, string, string];
const pageSize = Number(pageSizeArg);
const server = `https://127.0.0.1:${port}`;

async function collector(): Promise<number> {
  const connection = viaBearerToken({
    name: 'bench',
    server,
    caPem: Buffer.from(caData, 'base64').toString('utf8'),
    token: () => Promise.resolve('bench'),
  });
  const inv = await collectKubernetesInventory(connection, { pageSize });
  if (inv.gaps.length > 0) throw new Error(`collector gaps: ${JSON.stringify(inv.gaps)}`);
  return inv.resources.length;
}

/**
 * The same pages with nothing but fetch and JSON.parse: the floor the collector is held to. The
 * parent trusts the test CA for this process through NODE_EXTRA_CA_CERTS.
 */
async function raw(): Promise<number> {
  const items: unknown[] = [];
  let token: string | undefined;
  do {
    const path = `/api/v1/pods?limit=${pageSize}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
    const res = await fetch(`${server}${path}`, { headers: { authorization: 'Bearer bench', accept: 'application/json' } });
    const page = JSON.parse(await res.text()) as { items: unknown[]; metadata?: { continue?: string } };
    for (const item of page.items) items.push(item);
    token = page.metadata?.continue || undefined;
  } while (token);
  return items.length;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const timed = async (f: () => Promise<number>) => {
  const t = performance.now();
  const n = await f();
  return { ms: performance.now() - t, n };
};

if (mode === 'rss') {
  // What the process holds before collecting anything: Node, tsx and the collector's module graph.
  const baseline = Math.round(process.resourceUsage().maxRSS / 1024);
  const n = await collector();
  process.stdout.write(
    JSON.stringify({ objects: n, baseline_rss_mb: baseline, rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\n',
  );
} else {
  await raw(); // warm-up: TLS session, JIT, server caches
  await collector();
  const rawMs: number[] = [];
  const colMs: number[] = [];
  let objects = 0;
  for (let i = 0; i < 3; i++) {
    rawMs.push((await timed(raw)).ms);
    const c = await timed(collector);
    colMs.push(c.ms);
    objects = c.n;
  }
  process.stdout.write(JSON.stringify({ objects, raw_ms: median(rawMs), collector_ms: median(colMs) }) + '\n');
}
