import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface CollectorBench {
  collector_ms: number;
  raw_ms: number;
  collector_vs_raw_ratio: number;
  rss_mb: number;
  /** RSS of the same process before collecting (runtime + modules), so the collection's own share is visible. */
  baseline_rss_mb: number;
}

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

/**
 * The live collector collecting `pods` Pods from the HTTPS test API server (pages of 500, in a
 * separate process) against a raw paged fetch of the same pages (https + JSON.parse, nothing
 * else). The collector's time includes discovery and listing every other kind (empty here), and
 * stripping; medians of 3 alternating runs after a warm-up. Peak RSS is that of a fresh process
 * doing one collection (goal ≤ 256 MB at 10,000 pods); the ratio goal is ≤ 2.
 */
export async function benchCollector(opts: { pods: number; pageSize?: number }): Promise<CollectorBench> {
  const pageSize = opts.pageSize ?? 500;
  const dir = mkdtempSync(join(tmpdir(), 'hardline-bench-ca-'));
  const caFile = join(dir, 'ca.pem');
  const server = spawn(process.execPath, ['--import', 'tsx', here('./collector-server.ts'), String(opts.pods)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const { port, caData } = await firstLine<{ port: number; caData: string }>(server);
    writeFileSync(caFile, Buffer.from(caData, 'base64'));
    const child = (mode: string) =>
      runChild<Record<string, number>>(mode, [String(port), caData, String(pageSize)], { NODE_EXTRA_CA_CERTS: caFile });
    const time = await child('time');
    const rss = await child('rss');
    if (time['objects'] !== opts.pods || rss['objects'] !== opts.pods)
      throw new Error(`expected ${opts.pods} objects, got ${time['objects']} / ${rss['objects']}`);
    const collector_ms = Math.round(time['collector_ms']!);
    const raw_ms = Math.round(time['raw_ms']!);
    return {
      collector_ms,
      raw_ms,
      collector_vs_raw_ratio: Math.round((collector_ms / raw_ms) * 100) / 100,
      rss_mb: rss['rss_mb']!,
      baseline_rss_mb: rss['baseline_rss_mb']!,
    };
  } finally {
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

function firstLine<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (line) => {
      rl.close();
      resolve(JSON.parse(line) as T);
    });
    child.once('exit', (code) => reject(new Error(`bench server exited (${code}) before listening`)));
  });
}

async function runChild<T>(mode: string, args: string[], env: Record<string, string>): Promise<T> {
  const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const c = spawn(process.execPath, ['--import', 'tsx', here('./collector-child.ts'), mode, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.on('close', (code) => resolve({ code, out, err }));
  });
  if (r.code !== 0) throw new Error(`collector bench child (${mode}) failed: ${r.err.slice(-2000)}`);
  return JSON.parse(r.out.trim().split('\n').pop()!) as T;
}

const isEntry = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isEntry) {
  const i = process.argv.indexOf('--pods');
  const pods = i > 0 ? Number(process.argv[i + 1]) : 10_000;
  const result = await benchCollector({ pods });
  process.stdout.write(JSON.stringify({ pods, ...result }) + '\n');
}
