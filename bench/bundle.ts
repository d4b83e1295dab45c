import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { build } from 'esbuild';
import { esbuildOptions, functionEntry, FUNCTION_NAMES, type FunctionName } from '../infra/constructs/scanner-function.js';

/**
 * The scan-cluster Lambda bundle: built with esbuild from the very options ScannerFunction gives
 * NodejsFunction (infra/constructs/scanner-function.ts), then imported in fresh Node 22 processes
 * to time the module initialisation the Lambda pays on a cold start (Node's own boot excluded).
 * Goals: bundle ≤ 1.5 MB, init ≤ 300 ms. Every other function's bundle is sized too (bundleSize).
 */
export interface BundleDetails {
  function: FunctionName;
  bundle_bytes: number;
  /** DEFLATE size, close to what the deployment zip holds. */
  bundle_deflated_bytes: number;
  sourcemap_bytes: number;
  init_ms_runs: number[];
  init_ms_median: number;
  /** CPU time of the same imports (user + system), median: less sensitive to other load on the machine. */
  init_cpu_ms_median: number;
  node: string;
}

const INIT_RUNS = 5;

// Runs in the child: time from just before import() to the handler module being evaluated.
// CPU time is reported beside wall time: on a loaded machine (2 cores shared) wall time mostly measures waiting.
const CHILD =
  'const t=performance.now(),c=process.cpuUsage();await import(process.argv[1]);const u=process.cpuUsage(c);' +
  'process.stdout.write(JSON.stringify({ms:performance.now()-t,cpuMs:(u.user+u.system)/1000,node:process.version}))';

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function bundleDetails(name: FunctionName = 'scan-cluster', runs = INIT_RUNS): Promise<BundleDetails> {
  const dir = mkdtempSync(join(tmpdir(), `hardline-bundle-${name}-`));
  try {
    const outfile = join(dir, 'index.mjs');
    await build(esbuildOptions(functionEntry(name), outfile));
    const code = readFileSync(outfile);
    const times: number[] = [];
    const cpu: number[] = [];
    let node = '';
    for (let i = 0; i < runs; i++) {
      // A fresh process each time: nothing cached, like a new Lambda execution environment.
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', CHILD, pathToFileURL(outfile).href], {
        env: { PATH: process.env['PATH'] ?? '', AWS_REGION: 'eu-west-1', HARDLINE_TABLE: 'hardline-findings' },
        encoding: 'utf8',
      });
      const r = JSON.parse(out) as { ms: number; cpuMs: number; node: string };
      times.push(Math.round(r.ms * 10) / 10);
      cpu.push(Math.round(r.cpuMs * 10) / 10);
      node = r.node;
    }
    if (!node.startsWith('v22.'))
      throw new Error(`cold init must be measured on Node 22 (the Lambda runtime), got ${node}: run through npm/npx`);
    return {
      function: name,
      bundle_bytes: code.length,
      bundle_deflated_bytes: deflateRawSync(code, { level: 9 }).length,
      sourcemap_bytes: statSync(`${outfile}.map`).size,
      init_ms_runs: times,
      init_ms_median: median(times),
      init_cpu_ms_median: median(cpu),
      node,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One function's bundle, built as ScannerFunction builds it: its size and the deployment-zip estimate. */
export async function bundleSize(name: FunctionName): Promise<{ function: FunctionName; bundle_kb: number; deflated_kb: number }> {
  const dir = mkdtempSync(join(tmpdir(), `hardline-bundle-${name}-`));
  try {
    const outfile = join(dir, 'index.mjs');
    await build(esbuildOptions(functionEntry(name), outfile));
    const code = readFileSync(outfile);
    return {
      function: name,
      bundle_kb: Math.round(code.length / 1024),
      deflated_kb: Math.round(deflateRawSync(code, { level: 9 }).length / 1024),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every function's bundle size, and the scan-cluster cold start (the function that runs once per cluster). */
export async function benchBundle(): Promise<{
  scan_cluster_bundle_kb: number;
  cold_init_ms: number;
  cold_init_cpu_ms: number;
  functions: { function: FunctionName; bundle_kb: number; deflated_kb: number }[];
}> {
  const d = await bundleDetails('scan-cluster');
  const functions = [];
  for (const name of FUNCTION_NAMES) functions.push(await bundleSize(name));
  return {
    scan_cluster_bundle_kb: Math.round(d.bundle_bytes / 1024),
    cold_init_ms: d.init_ms_median,
    cold_init_cpu_ms: d.init_cpu_ms_median,
    functions,
  };
}

// `npx tsx bench/bundle.ts [function…]`: every function's numbers, scan-cluster by default.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const names = (process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['scan-cluster']) as FunctionName[];
  for (const name of names) {
    const d = await bundleDetails(name);
    process.stdout.write(
      `${name}: bundle ${(d.bundle_bytes / 1024).toFixed(0)} KB (deflated ${(d.bundle_deflated_bytes / 1024).toFixed(0)} KB, map ${(d.sourcemap_bytes / 1024).toFixed(0)} KB), ` +
        `init median ${d.init_ms_median} ms wall [${d.init_ms_runs.join(', ')}], ${d.init_cpu_ms_median} ms CPU, on Node ${d.node}\n`,
    );
  }
}
