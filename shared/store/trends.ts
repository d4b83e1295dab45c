import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mapLimit } from '../core/concurrency.js';
import { SEVERITIES, type ResourceRef, type Severity, type Target } from '../core/types.js';
import type { FindingEvent, FindingState } from '../findings/types.js';
import { batchGetAll } from './batch.js';
import type { StoreContext } from './client.js';
import { CURRENT_SK, findingPk, historyDayPk, INDEX } from './keys.js';
import { queryItems } from './paginate.js';
import { historyEntry, type HistoryEntry } from './query.js';

/** How far back trends and changes reach: resolved findings' history expires after 90 days by default. */
export const MAX_HISTORY_DAYS = 90;

export type SeverityCounts = Record<Severity, number>;

export interface TrendDay {
  /** UTC day, YYYY-MM-DD. */
  date: string;
  /** Findings that became OPEN that day: new (OPENED), back (REOPENED) or no longer exempted (UNEXEMPTED). */
  opened: SeverityCounts;
  /** Findings resolved that day: seen fixed, or their cluster confirmed deleted. */
  resolved: SeverityCounts;
  /** Findings exempted that day. */
  exempted: number;
  /** OPEN findings at the end of the day: today's open counts minus the changes of the days after it. */
  open: SeverityCounts;
}

export interface Trends {
  from: string;
  to: string;
  /** OPEN findings now, by severity (the target markers' counts, as in GET /summary). */
  openNow: SeverityCounts;
  days: TrendDay[];
}

/** A history event with the finding it belongs to (its target and resource), newest first. */
export interface ChangeView extends HistoryEntry {
  target?: Target;
  resource?: ResourceRef;
}

const zeros = (): SeverityCounts => Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;

/** The last `days` UTC days up to `now`'s, oldest first. */
export function historyDays(days: number, now: Date): string[] {
  const base = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(base - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

interface EventFacts {
  event: FindingEvent;
  state: FindingState;
  previousState?: FindingState;
  severity: Severity;
}

type DayQuery = Pick<QueryCommandInput, 'ProjectionExpression' | 'ExpressionAttributeNames' | 'ScanIndexForward'>;

/** The history events of one UTC day (its partition of byControl), paged, at most `max`. */
async function dayPartition<T = Record<string, unknown>>(ctx: StoreContext, day: string, query: DayQuery, max = Infinity): Promise<T[]> {
  return queryItems<T>(
    ctx,
    {
      IndexName: INDEX.byControl.name,
      KeyConditionExpression: '#pk = :pk',
      ...query,
      ExpressionAttributeNames: { ...query.ExpressionAttributeNames, '#pk': INDEX.byControl.pk },
      ExpressionAttributeValues: { ':pk': historyDayPk(day) },
    },
    max,
  );
}

/** Every history event of one day, only the fields a trend counts. */
async function dayEvents(ctx: StoreContext, day: string): Promise<EventFacts[]> {
  return dayPartition<EventFacts>(ctx, day, {
    ProjectionExpression: '#event, #state, #previous, #severity',
    ExpressionAttributeNames: { '#event': 'event', '#state': 'state', '#previous': 'previousState', '#severity': 'severity' },
  });
}

/**
 * Opened/resolved per day from the stored history, and the open count per day derived from it:
 * one Query per day partition (never a Scan). The open series walks back from today's open
 * counts, so it is exact as long as every change left a history event — a control whose severity
 * changed in between moves its findings between severities without one.
 */
export async function queryTrends(ctx: StoreContext, days: number, now: Date, openNow: SeverityCounts): Promise<Trends> {
  const dates = historyDays(days, now);
  const events = await mapLimit(dates, 4, (d) => dayEvents(ctx, d));
  const out: TrendDay[] = dates.map((date) => ({ date, opened: zeros(), resolved: zeros(), exempted: 0, open: zeros() }));
  const net = dates.map(() => zeros());
  events.forEach((list, i) => {
    for (const e of list) {
      if (!SEVERITIES.includes(e.severity)) continue;
      const day = out[i]!;
      if (e.state === 'OPEN' && e.previousState !== 'OPEN') {
        day.opened[e.severity]++;
        net[i]![e.severity]++;
      } else if (e.previousState === 'OPEN' && e.state !== 'OPEN') net[i]![e.severity]--;
      if (e.event === 'RESOLVED') day.resolved[e.severity]++;
      if (e.event === 'EXEMPTED') day.exempted++;
    }
  });
  const open = { ...openNow };
  for (let i = out.length - 1; i >= 0; i--) {
    for (const s of SEVERITIES) out[i]!.open[s] = Math.max(0, open[s]);
    for (const s of SEVERITIES) open[s] -= net[i]![s];
  }
  return { from: dates[0]!, to: dates[dates.length - 1]!, openNow: { ...openNow }, days: out };
}

/** The target and resource of findings by id (their current items). */
async function findingSubjects(ctx: StoreContext, ids: readonly string[]): Promise<Map<string, { target: Target; resource: ResourceRef }>> {
  const items = await batchGetAll(
    ctx,
    ids.map((id) => ({ PK: findingPk(id), SK: CURRENT_SK })),
    { ProjectionExpression: 'findingId, #target, #resource', ExpressionAttributeNames: { '#target': 'target', '#resource': 'resource' } },
  );
  const out = new Map<string, { target: Target; resource: ResourceRef }>();
  for (const f of items) out.set(String(f['findingId']), { target: f['target'] as Target, resource: f['resource'] as ResourceRef });
  return out;
}

/** The newest `limit` history events of the last `days` days across the fleet, newest first. */
export async function queryChanges(ctx: StoreContext, limit: number, days: number, now: Date): Promise<ChangeView[]> {
  const entries: HistoryEntry[] = [];
  for (const day of historyDays(days, now).reverse()) {
    const items = await dayPartition(ctx, day, { ScanIndexForward: false }, limit - entries.length);
    entries.push(...items.map((i) => historyEntry(i, ['expiresAt'])));
    if (entries.length >= limit) break;
  }
  const subjects = await findingSubjects(ctx, [...new Set(entries.map((e) => e.findingId))]);
  return entries.map((e) => ({ ...e, ...subjects.get(e.findingId) }));
}
