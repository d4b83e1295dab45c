import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../core/errors.js';
import type { Exemption } from '../engine/types.js';
import type { StoreContext } from './client.js';
import type { ExemptionItem } from './items.js';
import { EXEMPTIONS_PK, exemptionKeys } from './keys.js';
import { queryItems } from './paginate.js';

/** An exemption as the API returns it. */
export interface StoredExemption extends Exemption {
  id: string;
  createdAt: string;
  updatedAt: string;
}

export const EXEMPTION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkExemptionId(id: string): string {
  if (!EXEMPTION_ID.test(id)) throw new ValidationError('id: 1-64 characters of letters, digits, . _ - (starting with a letter or digit)');
  return id;
}

/** The id of an exemption PUT without one: the same control and match always land on the same item. */
export function deriveExemptionId(e: Pick<Exemption, 'controlId' | 'match'>): string {
  const m = e.match;
  const key = [e.controlId, m.account, m.region, m.cluster, m.namespace, m.kind, m.name].map((v) => v ?? '').join('|');
  return `x-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/** Where a stored exemption came from: the caller that wrote it (the API records it; it cannot be set). */
export function storedExemptionSource(e: Pick<Exemption, 'by'>): string {
  return `store:${e.by ?? 'caller not recorded'}`;
}

function view(item: ExemptionItem): StoredExemption {
  const e: StoredExemption = {
    id: item.id,
    controlId: item.controlId,
    match: item.match ?? {},
    reason: item.reason,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
  if (item.expires) e.expires = item.expires;
  if (item.by) e.by = item.by;
  e.source = storedExemptionSource(item);
  return e;
}

export async function listExemptions(ctx: StoreContext): Promise<StoredExemption[]> {
  const items = await queryItems<ExemptionItem>(ctx, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': EXEMPTIONS_PK },
    ConsistentRead: true,
  });
  return items.map(view);
}

export async function getExemption(ctx: StoreContext, id: string): Promise<StoredExemption | undefined> {
  const out = await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: exemptionKeys(id), ConsistentRead: true }));
  return out.Item ? view(out.Item as ExemptionItem) : undefined;
}

/** Creates or replaces; createdAt survives a replace. */
export async function putExemption(
  ctx: StoreContext,
  id: string,
  e: Exemption,
  now: Date,
): Promise<{ exemption: StoredExemption; created: boolean }> {
  const values: Record<string, unknown> = {
    ':entity': 'exemption',
    ':id': id,
    ':controlId': e.controlId,
    ':match': e.match,
    ':reason': e.reason,
    ':now': now.toISOString(),
  };
  const set = [
    'entity = :entity',
    'id = :id',
    'controlId = :controlId',
    '#match = :match',
    'reason = :reason',
    'updatedAt = :now',
    'createdAt = if_not_exists(createdAt, :now)',
  ];
  const remove: string[] = [];
  for (const field of ['expires', 'by'] as const) {
    const v = e[field];
    if (v !== undefined) {
      values[`:${field}`] = v;
      set.push(`#${field} = :${field}`);
    } else remove.push(`#${field}`);
  }
  const out = await ctx.doc.send(
    new UpdateCommand({
      TableName: ctx.table,
      Key: exemptionKeys(id),
      UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ExpressionAttributeNames: { '#match': 'match', '#expires': 'expires', '#by': 'by' },
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_NEW',
    }),
  );
  const item = out.Attributes as ExemptionItem;
  return { exemption: view(item), created: item.createdAt === item.updatedAt };
}

export async function deleteExemption(ctx: StoreContext, id: string): Promise<boolean> {
  const out = await ctx.doc.send(new DeleteCommand({ TableName: ctx.table, Key: exemptionKeys(id), ReturnValues: 'ALL_OLD' }));
  return out.Attributes !== undefined;
}

/** Stored exemptions in the engine's shape, for the next scan. */
export async function exemptionsForScan(ctx: StoreContext): Promise<Exemption[]> {
  return (await listExemptions(ctx)).map(({ id: _id, createdAt: _c, updatedAt: _u, ...e }) => e);
}
