import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { SEVERITIES, type Severity } from '../core/types.js';
import { FINDING_STATES, type Finding, type FindingEvent, type FindingState } from '../findings/types.js';
import { batchGetAll } from './batch.js';
import type { StoreContext } from './client.js';
import type { FindingEventItem, FindingItem, ScanItem, TargetItem } from './items.js';
import { CURRENT_SK, findingIdPrefixPk, findingPk, INDEX, scanKeys, scanPk, severityOrder, TARGETS_PK, targetPk } from './keys.js';
import { queryItems, readPage, type AttributeFilter, type Page, type PageRequest, type Partition } from './paginate.js';

/** Filters of GET /findings and `hardline findings`; every field is a set of allowed values. */
export interface FindingFilter {
  account?: readonly string[];
  region?: readonly string[];
  cluster?: readonly string[];
  control?: readonly string[];
  severity?: readonly Severity[];
  state?: readonly FindingState[];
  namespace?: readonly string[];
}

export interface TargetFilter {
  account?: readonly string[];
  region?: readonly string[];
  cluster?: readonly string[];
  kind?: readonly string[];
}

/** A finding as the API returns it: the domain fields, its version and how it got there. */
export interface FindingView extends Finding {
  version: number;
  lastEvent?: FindingEvent;
  evidenceTruncated?: boolean;
}

/** (Pick, not Omit: the items' index signature for index keys would swallow every field.) */
export type TargetView = Pick<
  TargetItem,
  | 'kind'
  | 'accountId'
  | 'region'
  | 'name'
  | 'arn'
  | 'lastScanId'
  | 'lastScannedAt'
  | 'lastStatus'
  | 'lastReason'
  | 'version'
  | 'targetId'
  | 'lastScanStartedAt'
  | 'lastSeenAt'
  | 'blindControls'
  | 'counts'
  | 'compliance'
  | 'lastSavedAt'
  | 'kubernetesAccess'
  | 'deletedAt'
> & {
  /** A save of this target is in progress. */
  saving?: boolean;
};

const STATE_ORDER: readonly FindingState[] = FINDING_STATES;

function targetFilterOf(f: TargetFilter): AttributeFilter {
  const out: AttributeFilter = {};
  if (f.account?.length) out['accountId'] = f.account;
  if (f.region?.length) out['region'] = f.region;
  if (f.cluster?.length) out['name'] = f.cluster;
  if (f.kind?.length) out['kind'] = f.kind;
  return out;
}

/** Every target marker matching the filter (targets are few: one per cluster or registry). */
export async function allTargets(ctx: StoreContext, filter: TargetFilter = {}): Promise<TargetItem[]> {
  const out: TargetItem[] = [];
  let position: Page<TargetItem>['next'] = undefined;
  do {
    const page: Page<TargetItem> = await readPage(
      ctx,
      [{ index: 'byCluster', pk: TARGETS_PK }],
      targetFilterOf(filter),
      { limit: 1_000, ...(position ? { position } : {}) },
      (i) => i as TargetItem,
    );
    out.push(...page.items);
    position = page.next;
  } while (position);
  return out;
}

/**
 * Chooses the index for a finding query: by cluster when clusters are named (one partition per
 * matching target), else by control, else by severity+state (critical and OPEN first). What the
 * key cannot express becomes an attribute filter.
 */
export async function planFindings(ctx: StoreContext, f: FindingFilter): Promise<{ partitions: Partition[]; filter: AttributeFilter }> {
  const states = f.state?.length ? STATE_ORDER.filter((s) => f.state!.includes(s)) : undefined;
  const severities = f.severity?.length ? SEVERITIES.filter((s) => f.severity!.includes(s)) : undefined;
  const filter: AttributeFilter = {};
  if (f.account?.length) filter['accountId'] = f.account;
  if (f.region?.length) filter['region'] = f.region;
  if (f.namespace?.length) filter['namespace'] = f.namespace;
  const prefixes = (withSeverity: boolean): (string | undefined)[] => {
    if (!states) return [undefined];
    if (!withSeverity || !severities) return states.map((s) => `${s}#`);
    return states.flatMap((s) => severities.map((v) => `${s}#${severityOrder(v)}#`));
  };
  if (f.cluster?.length) {
    const targets = await allTargets(ctx, {
      cluster: f.cluster,
      ...(f.account ? { account: f.account } : {}),
      ...(f.region ? { region: f.region } : {}),
    });
    const ids = targets
      .map((t) => t.targetId ?? '')
      .filter(Boolean)
      .sort();
    if (f.control?.length) filter['controlId'] = f.control;
    if (severities && !states) filter['severity'] = severities;
    return { partitions: ids.flatMap((id) => prefixes(true).map((pre) => part('byCluster', targetPk(id), pre))), filter };
  }
  if (f.control?.length) {
    if (severities && !states) filter['severity'] = severities;
    return {
      partitions: [...f.control].sort().flatMap((c) => prefixes(true).map((pre) => part('byControl', `CONTROL#${c}`, pre))),
      filter,
    };
  }
  const order = states ?? STATE_ORDER;
  return { partitions: order.flatMap((s) => (severities ?? SEVERITIES).map((v) => part('bySeverityState', `SEVERITY#${v}#${s}`))), filter };
}

function part(index: Partition['index'], pk: string, skPrefix?: string): Partition {
  return skPrefix === undefined ? { index, pk } : { index, pk, skPrefix };
}

const BOOKKEEPING = new Set([
  'PK',
  'SK',
  'GSI1PK',
  'GSI1SK',
  'GSI2PK',
  'GSI2SK',
  'GSI3PK',
  'GSI3SK',
  'GSI4PK',
  'GSI4SK',
  'entity',
  'revision',
  'contentHash',
  'scanStartedAt',
  'targetId',
  'accountId',
  'region',
  'cluster',
  'namespace',
  'expiresAt',
]);

/** lastSeen is not rewritten on unchanged rescans: it is the target's last read unless the control was blind there. */
export function findingView(item: FindingItem, target?: TargetItem): FindingView {
  const view = Object.fromEntries(Object.entries(item).filter(([k]) => !BOOKKEEPING.has(k))) as unknown as FindingView;
  const seen = target?.lastSeenAt;
  const blind = target?.blindControls?.some(
    (b) => b.controlId === item.controlId && (b.namespace === undefined || b.namespace === item.resource.namespace),
  );
  if (item.state !== 'RESOLVED' && seen && seen > item.lastSeen && !blind) view.lastSeen = seen;
  return view;
}

export function targetView(item: TargetItem, now = new Date()): TargetView {
  const {
    PK: _pk,
    SK: _sk,
    entity: _e,
    savingScanId,
    savingStartedAt: _s,
    savingUntil,
    batchingScanId: _b,
    batchingUntil: _bu,
    ...rest
  } = item;
  const view: TargetView = Object.fromEntries(Object.entries(rest).filter(([k]) => !k.startsWith('GSI'))) as TargetView;
  if (savingScanId && savingUntil && Date.parse(savingUntil) > now.getTime()) view.saving = true;
  return view;
}

/** Target markers by id, for deriving lastSeen of a page of findings. */
async function targetsById(ctx: StoreContext, ids: readonly string[]): Promise<Map<string, TargetItem>> {
  const items = (await batchGetAll(
    ctx,
    ids.map((id) => ({ PK: targetPk(id), SK: CURRENT_SK })),
  )) as TargetItem[];
  return new Map(items.flatMap((t) => (t.targetId ? [[t.targetId, t] as const] : [])));
}

export async function queryFindings(ctx: StoreContext, f: FindingFilter, req: PageRequest): Promise<Page<FindingView>> {
  const { partitions, filter } = await planFindings(ctx, f);
  const page = await readPage(ctx, partitions, filter, req, (i) => i as FindingItem);
  const targets = await targetsById(ctx, [...new Set(page.items.map((i) => i.targetId ?? ''))].filter(Boolean));
  const items = page.items.map((i) => findingView(i, i.targetId ? targets.get(i.targetId) : undefined));
  return page.next ? { items, next: page.next } : { items };
}

export type HistoryEntry = Pick<
  FindingEventItem,
  | 'findingId'
  | 'version'
  | 'event'
  | 'state'
  | 'previousState'
  | 'at'
  | 'scanId'
  | 'controlId'
  | 'severity'
  | 'status'
  | 'reason'
  | 'expiresAt'
>;

export type ScanView = Pick<
  ScanItem,
  'entity' | 'scanId' | 'startedAt' | 'finishedAt' | 'status' | 'framework' | 'summary' | 'targets' | 'changes' | 'targetsOmitted'
>;

const EVENT_BOOKKEEPING = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI4PK', 'GSI4SK', 'entity'];

/** A history event item as the API shows it: its fields without keys (and without `omit`). */
export function historyEntry(item: Record<string, unknown>, omit: readonly string[] = []): HistoryEntry {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !EVENT_BOOKKEEPING.includes(k) && !omit.includes(k))) as HistoryEntry;
}

export interface FindingWithHistory {
  finding: FindingView;
  history: HistoryEntry[];
}

export async function getFinding(ctx: StoreContext, id: string): Promise<FindingWithHistory | undefined> {
  const items = await queryItems(ctx, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': findingPk(id) },
    ConsistentRead: true,
  });
  const current = items.find((i) => i['SK'] === CURRENT_SK) as FindingItem | undefined;
  if (!current) return undefined;
  const target = current.targetId ? (await targetsById(ctx, [current.targetId])).get(current.targetId) : undefined;
  const history = items.filter((i) => i['entity'] === 'finding-event').map((i) => historyEntry(i));
  return { finding: findingView(current, target), history };
}

/** Full ids of the findings whose id starts with `prefix` (at least 2 hex digits), at most `limit`. */
export async function findingIdsByPrefix(ctx: StoreContext, prefix: string, limit: number): Promise<string[]> {
  const items = await queryItems(
    ctx,
    {
      IndexName: INDEX.byScan.name,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': INDEX.byScan.pk, '#sk': INDEX.byScan.sk },
      ExpressionAttributeValues: { ':pk': findingIdPrefixPk(prefix), ':prefix': prefix },
      ProjectionExpression: 'findingId',
    },
    limit,
  );
  return items.flatMap((i) => (typeof i['findingId'] === 'string' ? [i['findingId']] : []));
}

export async function getScan(ctx: StoreContext, scanId: string): Promise<ScanView | undefined> {
  const out = await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: scanKeys(scanId), ConsistentRead: true }));
  if (!out.Item) return undefined;
  const { PK: _pk, SK: _sk, ...scan } = out.Item;
  return scan as ScanView;
}

/** The history events a scan wrote (what it opened, resolved, exempted …). */
export function scanEventPartitions(scanId: string): Partition[] {
  return [{ index: 'byScan', pk: scanPk(scanId) }];
}

export async function queryScanEvents(ctx: StoreContext, scanId: string, req: PageRequest): Promise<Page<HistoryEntry>> {
  return readPage(ctx, scanEventPartitions(scanId), {}, req, (i) => historyEntry(i, ['expiresAt']));
}

export function targetPartitions(): Partition[] {
  return [{ index: 'byCluster', pk: TARGETS_PK }];
}

export async function queryTargets(ctx: StoreContext, f: TargetFilter, req: PageRequest): Promise<Page<TargetView>> {
  return readPage(ctx, targetPartitions(), targetFilterOf(f), req, (i) => targetView(i as TargetItem));
}
