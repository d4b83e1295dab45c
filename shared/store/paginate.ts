import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../core/errors.js';
import type { StoreContext } from './client.js';
import { INDEX, type IndexName } from './keys.js';

/** One key range to read: an index partition, optionally narrowed to a sort-key prefix. */
export interface Partition {
  index: IndexName;
  pk: string;
  skPrefix?: string;
}

/** Where a page ended: partition number and the last key read in it. Opaque to clients (shared/api/cursor.ts). */
export interface Position {
  p: number;
  k?: Record<string, string>;
}

/** Attribute filters applied after the key condition: attribute → allowed values. */
export type AttributeFilter = Record<string, readonly string[]>;

export interface PageRequest {
  limit: number;
  position?: Position;
  /** Queries one page may spend before it returns short (a selective filter over a big partition). */
  maxQueries?: number;
}

export interface Page<T> {
  items: T[];
  next?: Position;
}

function keyAttributes(index: IndexName): string[] {
  return ['PK', 'SK', INDEX[index].pk, INDEX[index].sk];
}

/** The key of an item in an index: what DynamoDB needs as ExclusiveStartKey to continue after it. */
function keyOf(item: Record<string, unknown>, index: IndexName): Record<string, string> {
  return Object.fromEntries(keyAttributes(index).map((a) => [a, String(item[a])]));
}

/**
 * A position from a client is checked against the query it claims to continue: a key of another
 * partition or index would make DynamoDB fail (a 500) or read outside the filter.
 */
export function checkPosition(partitions: readonly Partition[], pos: Position): void {
  const part = partitions[pos.p];
  if (!part) throw new ValidationError('cursor: does not belong to this query');
  if (!pos.k) return;
  const expected = keyAttributes(part.index);
  const got = Object.keys(pos.k);
  const sk = pos.k[INDEX[part.index].sk];
  if (
    got.length !== expected.length ||
    !expected.every((a) => typeof pos.k![a] === 'string') ||
    pos.k[INDEX[part.index].pk] !== part.pk ||
    (part.skPrefix !== undefined && !sk?.startsWith(part.skPrefix))
  ) {
    throw new ValidationError('cursor: does not belong to this query');
  }
}

function filterExpression(filter: AttributeFilter): { expr?: string; names: Record<string, string>; values: Record<string, string> } {
  const names: Record<string, string> = {};
  const values: Record<string, string> = {};
  const clauses: string[] = [];
  Object.entries(filter).forEach(([attr, allowed], i) => {
    if (allowed.length === 0) return;
    names[`#f${i}`] = attr;
    const refs = allowed.map((v, j) => {
      values[`:f${i}_${j}`] = v;
      return `:f${i}_${j}`;
    });
    clauses.push(`#f${i} IN (${refs.join(', ')})`);
  });
  return clauses.length ? { expr: clauses.join(' AND '), names, values } : { names, values };
}

/**
 * Reads one page across an ordered list of partitions. Filters apply after DynamoDB's Limit, so a
 * query can return fewer items than asked: the loop continues until the page is full, the
 * partitions end, or the query budget is spent. The position points at the last item returned,
 * so no item is skipped or repeated between pages.
 */
export async function readPage<T>(
  ctx: StoreContext,
  partitions: readonly Partition[],
  filter: AttributeFilter,
  req: PageRequest,
  map: (item: Record<string, unknown>) => T,
): Promise<Page<T>> {
  if (req.position) checkPosition(partitions, req.position);
  const f = filterExpression(filter);
  const items: T[] = [];
  let p = req.position?.p ?? 0;
  let k = req.position?.k;
  let queries = 0;
  const maxQueries = req.maxQueries ?? 25;
  while (p < partitions.length) {
    const part = partitions[p]!;
    const idx = INDEX[part.index];
    const remaining = req.limit - items.length;
    const names: Record<string, string> = { ...f.names, '#pk': idx.pk };
    const values: Record<string, string> = { ...f.values, ':pk': part.pk };
    let keyCond = '#pk = :pk';
    if (part.skPrefix !== undefined) {
      names['#sk'] = idx.sk;
      values[':sk'] = part.skPrefix;
      keyCond += ' AND begins_with(#sk, :sk)';
    }
    const out = await ctx.doc.send(
      new QueryCommand({
        TableName: ctx.table,
        IndexName: idx.name,
        KeyConditionExpression: keyCond,
        ...(f.expr ? { FilterExpression: f.expr } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ExclusiveStartKey: k,
        // With a filter, Limit counts items read, not returned: read in big steps (a Query stops at 1 MB anyway).
        Limit: f.expr ? 1_000 : remaining,
      }),
    );
    queries++;
    const got = out.Items ?? [];
    const take = got.slice(0, remaining);
    for (const item of take) items.push(map(item));
    const last = take[take.length - 1];
    const lek = out.LastEvaluatedKey as Record<string, string> | undefined;
    if (take.length < got.length) return { items, next: { p, k: keyOf(last!, part.index) } };
    if (lek) k = lek;
    else {
      p++;
      k = undefined;
    }
    if (items.length >= req.limit || queries >= maxQueries) {
      return p < partitions.length ? { items, next: k ? { p, k } : { p } } : { items };
    }
  }
  return { items };
}

/**
 * Every item one Query finds, page after page (a page ends at 1 MB), or the first `max` of them:
 * the last pages ask only for what is still wanted.
 */
export async function queryItems<T = Record<string, unknown>>(
  ctx: StoreContext,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>,
  max = Infinity,
): Promise<T[]> {
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ctx.doc.send(
      new QueryCommand({
        ...input,
        TableName: ctx.table,
        ...(Number.isFinite(max) ? { Limit: max - items.length } : {}),
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((page.Items ?? []) as T[]));
    start = page.LastEvaluatedKey;
  } while (start && items.length < max);
  return items;
}
