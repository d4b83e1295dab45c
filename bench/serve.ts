import { Agent, request } from 'node:http';
import { startApiServer } from '../cli/commands/serve.js';
import { ephemeralApiSettings } from '../shared/api/settings.js';
import type { OpenedStore } from '../shared/store/open.js';
import { seededRandom } from '../test/support/random.js';

/**
 * `hardline serve` under a burst: the real server (startApiServer, loopback HTTP) over the bench's
 * store, 200 requests sent at once on 200 connections, each timed from send to last byte. The
 * burst is 25 distinct requests 8 times each, shuffled (fewer distinct ones at quick sizes, each
 * repeated more) — several people opening the same views
 * (findings by severity, by cluster, by control, one finding, the summary, the clusters).
 */
export interface ServeBench {
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
  requests: number;
  distinct: number;
  /** CPU the process spent on the burst (server and client side): what the wall times stand on when the machine is loaded. */
  cpu_ms: number;
}

function get(agent: Agent, port: number, path: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`${path}: HTTP ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (n: number) => Math.round(n * 10) / 10;
const BURST = 200;

/** The burst's paths, from what the store holds. */
export function burstPaths(clusters: readonly string[], controls: readonly string[], findingIds: readonly string[]): string[] {
  const distinct = [
    '/findings?severity=high&state=OPEN',
    '/findings?severity=critical&state=OPEN',
    '/findings?state=OPEN',
    '/findings',
    '/findings?severity=medium&state=OPEN&limit=100',
    '/summary',
    '/clusters',
    ...clusters.slice(0, 8).map((c) => `/findings?cluster=${c}`),
    ...controls.slice(0, 6).map((c) => `/findings?control=${c}&state=open`),
    ...findingIds.slice(0, 4).map((id) => `/findings/${id.slice(0, 12)}`),
  ];
  const rand = seededRandom(11);
  const paths = Array.from({ length: BURST }, (_, i) => distinct[i % distinct.length]!);
  for (let i = paths.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [paths[i], paths[j]] = [paths[j]!, paths[i]!];
  }
  return paths;
}

/** One burst against a fresh server; `reuse` false serves every request from the store (what a server not owning the store does). */
export async function benchServeBurst(opened: OpenedStore, paths: readonly string[], reuse: boolean): Promise<ServeBench> {
  const server = await startApiServer(opened.store, {
    port: 0,
    access: { token: 'hl_bench-token-0123456789abcdef0123', caller: 'local:bench' },
    settings: ephemeralApiSettings()(),
    ...(reuse && opened.writeCounts ? { writeCounts: opened.writeCounts } : {}),
  });
  const agent = new Agent({ keepAlive: true, maxSockets: paths.length });
  try {
    const port = Number(new URL(server.url).port);
    await get(agent, port, '/findings?limit=1'); // warm-up (module loading, first connection), outside the burst
    const cpu = process.cpuUsage();
    const times = (await Promise.all(paths.map((p) => get(agent, port, p)))).sort((a, b) => a - b);
    const used = process.cpuUsage(cpu);
    return {
      p50_ms: round(percentile(times, 50)),
      p95_ms: round(percentile(times, 95)),
      max_ms: round(times[times.length - 1]!),
      requests: paths.length,
      distinct: new Set(paths).size,
      cpu_ms: Math.round((used.user + used.system) / 1000),
    };
  } finally {
    agent.destroy();
    await server.close();
  }
}
