import { chunk, mapLimit } from '../core/concurrency.js';
import { batchWriteAll } from './batch.js';
import type { StoreContext } from './client.js';
import type { FindingItem } from './items.js';
import { BATCH_LEASE_MS, endBatch, startBatch } from './target-marker.js';

/** Where a batch of new findings goes, and the clock its lease is measured with. */
export interface BulkTarget {
  targetId: string;
  scanId: string;
  now: () => Date;
}

/** Chunks of 25 (BatchWriteItem's limit) in flight at once. */
const CHUNK_CONCURRENCY = 4;
/** A chunk is only sent while at least this much of the lease is left; otherwise the lease is renewed first. */
const LEASE_MARGIN_MS = 30_000;

/**
 * Writes new findings of one target in BatchWriteItem chunks instead of one conditional PutItem
 * each — in the embedded store only, where it makes a first save of 100,000 findings several times
 * faster. Why it is safe without the `attribute_not_exists` condition:
 * - the caller holds the target's lease and saw no other save in progress or just ended
 *   (claim overlap none), and dynalite's indexes are consistent, so "new" really means absent;
 * - startBatch succeeds only while no other scan has claimed the target since this one did, and
 *   until endBatch no other scan can claim it (claimTarget waits), so no other save writes these
 *   findings while the chunks land. Each chunk leaves with ≥ 30 s of the lease left.
 * Returns the items it wrote; when the batch cannot start (another scan claimed the target) or
 * its lease cannot be renewed, the rest is returned for the caller's conditional writes.
 */
export async function writeNewFindingsInBulk(
  ctx: StoreContext,
  target: BulkTarget,
  items: readonly FindingItem[],
): Promise<{ written: FindingItem[]; rest: FindingItem[] }> {
  if (!ctx.embedded || items.length === 0) return { written: [], rest: [...items] };
  let until = target.now().getTime() + BATCH_LEASE_MS;
  if (!(await startBatch(ctx, target.targetId, target.scanId, new Date(until)))) return { written: [], rest: [...items] };
  const written: FindingItem[] = [];
  const rest: FindingItem[] = [];
  let leased = true;
  try {
    await mapLimit(chunk(items, 25), CHUNK_CONCURRENCY, async (part) => {
      if (leased && until - target.now().getTime() < LEASE_MARGIN_MS) {
        const renewed = target.now().getTime() + BATCH_LEASE_MS;
        leased = await startBatch(ctx, target.targetId, target.scanId, new Date(renewed));
        if (leased) until = renewed;
      }
      if (!leased) {
        rest.push(...part);
        return;
      }
      await batchWriteAll(
        ctx.doc,
        ctx.table,
        part.map((Item) => ({ PutRequest: { Item } })),
      );
      written.push(...part);
    });
  } finally {
    await endBatch(ctx, target.targetId, target.scanId);
  }
  return { written, rest };
}
