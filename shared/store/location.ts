import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * Where the store is, decided from the environment alone (no SDK import: a plain scan asks this
 * and must stay fast).
 */
export const EMBEDDED_TABLE = 'hardline-findings';
export const DEFAULT_STORE_DIR = '.hardline/store';
const EXEMPTIONS_META = 'exemptions.json';

export type StoreLocation = { kind: 'embedded'; dir: string; table: string } | { kind: 'aws'; table: string; region?: string };

/** HARDLINE_TABLE selects a real DynamoDB table (standard SDK config); otherwise the embedded store in HARDLINE_STORE_DIR or ./.hardline/store. */
export function storeLocation(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): StoreLocation {
  const table = env['HARDLINE_TABLE']?.trim();
  if (table) {
    const region = env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
    return region ? { kind: 'aws', table, region } : { kind: 'aws', table };
  }
  return { kind: 'embedded', dir: resolve(cwd, env['HARDLINE_STORE_DIR']?.trim() || DEFAULT_STORE_DIR), table: EMBEDDED_TABLE };
}

export function describeLocation(loc: StoreLocation, cwd = process.cwd()): string {
  if (loc.kind === 'aws') return `DynamoDB table ${loc.table}${loc.region ? ` (${loc.region})` : ''}`;
  const rel = relative(cwd, loc.dir);
  return `the embedded store in ${rel && !rel.startsWith('..') ? rel : loc.dir}`;
}

/** The embedded store exists when a scan has been saved into it. */
export function embeddedStoreExists(loc: StoreLocation): boolean {
  return loc.kind === 'embedded' && existsSync(join(loc.dir, 'data'));
}

/**
 * How many exemptions the embedded store holds, from a small file kept beside it, so a plain scan
 * does not start the database just to learn there are none. Unknown (no file) → undefined.
 */
export function embeddedExemptionCount(loc: StoreLocation): number | undefined {
  if (loc.kind !== 'embedded') return undefined;
  try {
    const raw: unknown = JSON.parse(readFileSync(join(loc.dir, EXEMPTIONS_META), 'utf8'));
    const n = raw && typeof raw === 'object' ? (raw as { count?: unknown }).count : undefined;
    return typeof n === 'number' ? n : undefined;
  } catch {
    return undefined;
  }
}

export function recordExemptionCount(loc: StoreLocation, count: number): void {
  if (loc.kind === 'embedded') writeFileSync(join(loc.dir, EXEMPTIONS_META), JSON.stringify({ count }));
}
