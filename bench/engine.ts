import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { controls } from '../shared/controls/index.js';
import { evaluate } from '../shared/engine/evaluate.js';
import { syntheticInventory, syntheticPods } from './synthetic.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export interface EngineBench {
  objects: number;
  inventory_mb: number;
  results: number;
  parse_ms: number;
  engine_ms: number;
  engine_vs_parse_ratio: number;
}

/**
 * Engine time against JSON.parse of the same inventory, measured in one run, interleaved so both
 * see the same machine load; medians of `rounds` after a warm-up round.
 */
export function benchEngine(objects = 50_000, rounds = 5): EngineBench {
  const inventory = syntheticInventory({ objects });
  const text = JSON.stringify(inventory);
  const parses: number[] = [];
  const evals: number[] = [];
  let results = 0;
  for (let i = 0; i <= rounds; i++) {
    let t = performance.now();
    const parsed = JSON.parse(text) as typeof inventory;
    const parseMs = performance.now() - t;
    t = performance.now();
    results = evaluate(parsed, controls, [], { now: new Date('2026-11-30T00:00:00Z') }).size;
    const evalMs = performance.now() - t;
    if (i > 0) {
      parses.push(parseMs);
      evals.push(evalMs);
    }
  }
  const parse = median(parses);
  const engine = median(evals);
  return {
    objects: inventory.resources.length,
    inventory_mb: Math.round(text.length / 1e5) / 10,
    results,
    parse_ms: Math.round(parse),
    engine_ms: Math.round(engine),
    engine_vs_parse_ratio: Math.round((engine / parse) * 100) / 100,
  };
}

/**
 * Peak RSS of a fresh process that reads a 10,000-pod snapshot from disk, parses it and evaluates
 * every control — what `hardline scan snapshot.json` costs. Measured in a child so the generator's
 * own memory does not count.
 */
export function benchRss(pods = 10_000): { pods: number; rss_mb: number; results: number } {
  const dir = mkdtempSync(join(tmpdir(), 'hardline-bench-'));
  try {
    const file = join(dir, 'pods.json');
    writeFileSync(file, JSON.stringify(syntheticPods(pods)));
    const child = fileURLToPath(new URL('./rss-child.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', child, file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`rss child failed: ${r.stderr}`);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { rss_mb: number; results: number };
    return { pods, ...out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
