import { readFileSync } from 'node:fs';
import { controls } from '../shared/controls/index.js';
import { evaluate } from '../shared/engine/evaluate.js';
import { summarize } from '../shared/engine/report.js';
import type { Inventory } from '../shared/inventory/types.js';

// Child of bench/engine.ts benchRss: parse + evaluate + summarise one snapshot, then report peak RSS.
const inventory = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Inventory;
const results = evaluate(inventory, controls, [], { now: new Date('2026-11-30T00:00:00Z') });
summarize(results);
const rssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ rss_mb: Math.round(rssMb), results: results.size }) + '\n');
