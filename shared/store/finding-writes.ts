import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mapLimit } from '../core/concurrency.js';
import { ConflictError } from '../core/errors.js';
import type { FindingChange, NextFinding, TargetJudgement } from '../findings/lifecycle.js';
import type { Finding } from '../findings/types.js';
import { batchGetAll, putUnconditionally } from './batch.js';
import { writeNewFindingsInBulk, type BulkTarget } from './bulk-create.js';
import type { StoreContext } from './client.js';
import { fromFindingItem, toFindingItem, type LoadedFinding } from './codec.js';
import type { FindingEventItem, FindingItem } from './items.js';
import { CURRENT_SK, eventKeys, eventSk, findingPk, INDEX, targetPk } from './keys.js';
import { queryItems } from './paginate.js';

type Loaded = LoadedFinding;

export interface ApplyOptions {
  scanStartedAt: string;
  /** Days a resolved finding and its history are kept (TTL). */
  retentionDays: number;
  concurrency: number;
  /**
   * What to do with findings the diff found unchanged: nothing (the steady state), `verify` them
   * with consistent reads (a save just ended; the index may lag), or `touch` them so an older save
   * still running cannot overwrite them.
   */
  unchanged: 'skip' | 'verify' | 'touch';
  maxAttempts?: number;
  /** No other save overlaps (embedded store): new findings go in bulk under the target's batch lease (bulk-create.ts). */
  bulk?: BulkTarget;
}

export interface ApplyResult {
  /** Changes that were written (after re-deciding on conflicts). */
  applied: FindingChange[];
  /** Findings left as a newer scan decided them. */
  yielded: number;
  /** Unchanged findings stamped because another save overlapped. */
  touched: number;
  /** The final stored state of every finding that was written or re-read. */
  final: Map<string, Finding>;
}

/** Every finding item of one target (the previous state the diff starts from). */
export async function loadTargetFindings(ctx: StoreContext, tid: string): Promise<Loaded[]> {
  const items = await queryItems<FindingItem>(ctx, {
    IndexName: INDEX.byCluster.name,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': INDEX.byCluster.pk },
    ExpressionAttributeValues: { ':pk': targetPk(tid) },
  });
  return items.map((item) => fromFindingItem(item));
}

/** Current items by id, strongly consistent. */
async function readFindings(ctx: StoreContext, ids: readonly string[]): Promise<Map<string, Loaded>> {
  const items = await batchGetAll(
    ctx,
    ids.map((id) => ({ PK: findingPk(id), SK: CURRENT_SK })),
    { ConsistentRead: true },
  );
  const out = new Map<string, Loaded>();
  for (const item of items) {
    const f = fromFindingItem(item as FindingItem);
    out.set(f.findingId, f);
  }
  return out;
}

async function readFinding(ctx: StoreContext, id: string): Promise<Loaded | undefined> {
  const out = await ctx.doc.send(
    new GetCommand({ TableName: ctx.table, Key: { PK: findingPk(id), SK: CURRENT_SK }, ConsistentRead: true }),
  );
  return out.Item ? fromFindingItem(out.Item as FindingItem) : undefined;
}

const epochSeconds = (iso: string, days: number) => Math.floor(Date.parse(iso) / 1000) + days * 86_400;

function nextItem(change: FindingChange, prev: Loaded | undefined, o: ApplyOptions): FindingItem {
  const next: NextFinding = change.next;
  const lastEvent = change.kind === 'refresh' ? prev?.lastEvent : change.event;
  return toFindingItem(next, {
    revision: (prev?.revision ?? 0) + 1,
    scanStartedAt: o.scanStartedAt,
    ...(lastEvent ? { lastEvent } : {}),
    ...(next.state === 'RESOLVED' && next.resolvedAt ? { expiresAt: epochSeconds(next.resolvedAt, o.retentionDays) } : {}),
  });
}

/** One conditional write; false when the stored item moved on since it was read. */
async function writeChange(ctx: StoreContext, change: FindingChange, prev: Loaded | undefined, o: ApplyOptions): Promise<boolean> {
  const item = nextItem(change, prev, o);
  try {
    await ctx.doc.send(
      new PutCommand({
        TableName: ctx.table,
        Item: item,
        ...(prev
          ? {
              ConditionExpression: 'revision = :rev OR (attribute_not_exists(revision) AND version = :rev)',
              ExpressionAttributeValues: { ':rev': prev.revision },
            }
          : { ConditionExpression: 'attribute_not_exists(PK)' }),
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
}

async function touch(ctx: StoreContext, prev: Loaded, o: ApplyOptions): Promise<boolean> {
  try {
    await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.table,
        Key: { PK: findingPk(prev.findingId), SK: CURRENT_SK },
        UpdateExpression: 'SET revision = :next, scanStartedAt = :started',
        ConditionExpression: 'revision = :rev OR (attribute_not_exists(revision) AND version = :rev)',
        ExpressionAttributeValues: { ':rev': prev.revision, ':next': prev.revision + 1, ':started': o.scanStartedAt },
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
}

function eventItem(change: FindingChange & { kind: 'create' | 'transition' }, o: ApplyOptions): FindingEventItem {
  const n = change.next;
  const at = change.event === 'RESOLVED' && n.resolvedAt ? n.resolvedAt : n.lastSeen;
  const item: FindingEventItem = {
    ...eventKeys(n.findingId, n.version, n.scanId, at),
    entity: 'finding-event',
    findingId: n.findingId,
    version: n.version,
    event: change.event,
    state: n.state,
    at,
    scanId: n.scanId,
    controlId: n.controlId,
    severity: n.severity,
    status: n.status,
  };
  if (change.kind === 'transition') item.previousState = change.previous.state;
  if (change.event === 'EXEMPTED' && n.exempted) item.reason = n.exempted.reason.slice(0, 1_024);
  if (change.event === 'RESOLVED' && n.resolvedReason) item.reason = n.resolvedReason;
  if (n.state === 'RESOLVED' && n.resolvedAt) item.expiresAt = epochSeconds(n.resolvedAt, o.retentionDays);
  return item;
}

/**
 * Sets (on resolve) or clears (on reopen) the TTL of a finding's earlier history, so the history
 * of a finding that stays resolved expires with it and a reopened one keeps all of it.
 */
async function retimeHistory(ctx: StoreContext, change: FindingChange, o: ApplyOptions): Promise<void> {
  if (change.kind !== 'transition') return;
  const resolving = change.next.state === 'RESOLVED';
  if (!resolving && change.previous.state !== 'RESOLVED') return;
  const versions = Array.from({ length: change.next.version - 1 }, (_, i) => i + 1);
  const ttl = resolving && change.next.resolvedAt ? epochSeconds(change.next.resolvedAt, o.retentionDays) : undefined;
  await mapLimit(versions, 4, async (v) => {
    try {
      await ctx.doc.send(
        new UpdateCommand({
          TableName: ctx.table,
          Key: { PK: findingPk(change.next.findingId), SK: eventSk(v) },
          UpdateExpression: ttl === undefined ? 'REMOVE expiresAt' : 'SET expiresAt = :ttl',
          ConditionExpression: 'attribute_exists(PK)',
          ...(ttl === undefined ? {} : { ExpressionAttributeValues: { ':ttl': ttl } }),
        }),
      );
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  });
}

/** The creates written in bulk (the rest stay for conditional writes). */
async function createInBulk(
  ctx: StoreContext,
  changes: readonly FindingChange[],
  o: ApplyOptions,
  target: BulkTarget,
): Promise<Set<FindingChange>> {
  const creates = changes.filter((c) => c.kind === 'create');
  const { written } = await writeNewFindingsInBulk(
    ctx,
    target,
    creates.map((c) => nextItem(c, undefined, o)),
  );
  const ids = new Set(written.map((i) => i.findingId));
  return new Set(creates.filter((c) => ids.has(c.next.findingId)));
}

/**
 * Applies the diff with conditional writes. A write that loses a race re-reads the item: if a
 * newer scan wrote it, this scan yields; otherwise it decides again on what is stored and retries.
 */
export async function applyChanges(
  ctx: StoreContext,
  judge: Pick<TargetJudgement, 'decide'>,
  changes: readonly FindingChange[],
  unchanged: readonly Loaded[],
  o: ApplyOptions,
): Promise<ApplyResult> {
  const applied: FindingChange[] = [];
  const final = new Map<string, Finding>();
  let yielded = 0;
  let touched = 0;
  const maxAttempts = o.maxAttempts ?? 5;

  const settle = async (id: string, first: FindingChange | 'touch', prevAtRead: Loaded | undefined): Promise<void> => {
    let step: FindingChange | 'touch' | undefined = first;
    let prev = prevAtRead;
    for (let attempt = 0; step !== undefined; attempt++) {
      if (attempt >= maxAttempts) throw new ConflictError(`finding ${id}: gave up after ${maxAttempts} conflicting writes`);
      const ok = step === 'touch' ? await touch(ctx, prev!, o) : await writeChange(ctx, step, prev, o);
      if (ok) {
        if (step === 'touch') touched++;
        else {
          applied.push(step);
          final.set(id, step.next);
        }
        return;
      }
      prev = await readFinding(ctx, id);
      if (prev?.scanStartedAt !== undefined && prev.scanStartedAt > o.scanStartedAt) {
        yielded++;
        final.set(id, prev);
        return;
      }
      const d = judge.decide(id, prev);
      step = d.kind === 'change' ? d.change : d.kind === 'unchanged' && o.unchanged === 'touch' && prev ? 'touch' : undefined;
      if (!step && prev) final.set(id, prev);
    }
  };

  const work: { id: string; step: FindingChange | 'touch'; prev: Loaded | undefined }[] = changes.map((c) => ({
    id: c.next.findingId,
    step: c,
    prev: c.kind === 'create' ? undefined : (c.previous as Loaded),
  }));
  if (o.unchanged === 'touch') for (const u of unchanged) work.push({ id: u.findingId, step: 'touch', prev: u });
  if (o.unchanged === 'verify') {
    const fresh = await readFindings(
      ctx,
      unchanged.map((u) => u.findingId),
    );
    for (const u of unchanged) {
      const now = fresh.get(u.findingId);
      if (now?.revision === u.revision) continue;
      if (now?.scanStartedAt !== undefined && now.scanStartedAt > o.scanStartedAt) {
        yielded++;
        final.set(u.findingId, now);
        continue;
      }
      const d = judge.decide(u.findingId, now);
      if (d.kind === 'change') work.push({ id: u.findingId, step: d.change, prev: now });
      else if (now) final.set(u.findingId, now);
    }
  }
  const bulk = o.bulk && o.unchanged === 'skip' ? await createInBulk(ctx, changes, o, o.bulk) : undefined;
  if (bulk) {
    for (const c of bulk) {
      applied.push(c);
      final.set(c.next.findingId, c.next);
    }
  }
  const pending = bulk ? work.filter((w) => !(w.step !== 'touch' && w.step.kind === 'create' && bulk.has(w.step))) : work;
  await mapLimit(pending, o.concurrency, (w) => settle(w.id, w.step, w.prev));

  const events = applied.filter((c): c is FindingChange & { kind: 'create' | 'transition' } => c.kind !== 'refresh');
  await putUnconditionally(
    ctx,
    events.map((c) => eventItem(c, o)),
  );
  await mapLimit(events, o.concurrency, (c) => retimeHistory(ctx, c, o));
  return { applied, yielded, touched, final };
}
