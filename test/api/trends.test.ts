import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEVERITIES, type Severity } from '../../shared/core/types.js';
import type { ChangeView, Trends } from '../../shared/store/trends.js';
import { report, result, staging, tempStore, type TestStore } from '../store/support.js';
import { apiClient, TEST_API_SETTINGS } from './support.js';

/**
 * GET /trends and GET /changes over a store with a week of history. Every expected number is
 * worked out by hand from the plan below, never read back from the store.
 *
 *   day 1  s1: a (high), b (critical), c (low) open                    → opened h1 c1 l1
 *   day 3  s2: a fixed, b still, d (medium) new                         → resolved h1, opened m1
 *          s3: b, c, d exempted (staging gets e, low, same scan)        → exempted 1, opened l1
 *   day 5  s4: a back, b still, c fixed, d still exempted               → opened h1 (reopened), resolved l1
 */
const day = (n: number, hour = 10) => `2026-11-${String(10 + n).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;
const NOW = new Date(day(6, 12));
const a = () => result({ control: 'workload.privilege-escalation', severity: 'high', name: 'a' });
const b = () => result({ control: 'workload.privileged', severity: 'critical', name: 'b' });
const c = () => result({ control: 'workload.resource-limits', severity: 'low', name: 'c' });
const d = (exempted = false) => result({ control: 'workload.run-as-non-root', severity: 'medium', name: 'd', exempted });
const e = () => result({ control: 'workload.resource-limits', severity: 'low', name: 'e', target: staging });

let s: TestStore;
let call: ReturnType<typeof apiClient>;
const commands: string[] = [];

beforeAll(async () => {
  s = await tempStore();
  // Every scan ran all four controls: a finding that is gone was fixed.
  const ran = { evaluatedControls: [a(), b(), c(), d()].map((r) => r.controlId) };
  await s.store.saveScan(report('s1', [a(), b(), c()], { startedAt: day(1) }), ran);
  await s.store.saveScan(report('s2', [b(), c(), d()], { startedAt: day(3) }), ran);
  await s.store.saveScan(report('s3', [b(), c(), d(true), e()], { startedAt: day(3, 18), targets: [a().target, staging] }), ran);
  await s.store.saveScan(report('s4', [a(), b(), d(true)], { startedAt: day(5) }), ran);
  call = apiClient(s.store, undefined, { settings: { ...TEST_API_SETTINGS, now: () => NOW } });
  s.raw.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push((context as { commandName?: string }).commandName ?? '');
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
});
afterAll(async () => s?.dispose());

const counts = (partial: Partial<Record<Severity, number>> = {}) => Object.fromEntries(SEVERITIES.map((x) => [x, partial[x] ?? 0]));

describe('GET /trends: opened/resolved per day from the stored history, and the open count each day ended with', () => {
  it('answers a week day by day, with queries only (never a Scan)', async () => {
    commands.length = 0;
    const res = await call('GET', '/trends', 'days=7');
    expect(res.status).toBe(200);
    const t = res.json as Trends;
    expect(t.from).toBe('2026-11-10');
    expect(t.to).toBe('2026-11-16');
    expect(t.days.map((x) => x.date)).toEqual([
      '2026-11-10',
      '2026-11-11',
      '2026-11-12',
      '2026-11-13',
      '2026-11-14',
      '2026-11-15',
      '2026-11-16',
    ]);
    expect(t.days.map((x) => x.opened)).toEqual([
      counts(),
      counts({ high: 1, critical: 1, low: 1 }),
      counts(),
      counts({ medium: 1, low: 1 }),
      counts(),
      counts({ high: 1 }),
      counts(),
    ]);
    expect(t.days.map((x) => x.resolved)).toEqual([
      counts(),
      counts(),
      counts(),
      counts({ high: 1 }),
      counts(),
      counts({ low: 1 }),
      counts(),
    ]);
    expect(t.days.map((x) => x.exempted)).toEqual([0, 0, 0, 1, 0, 0, 0]);
    const crit1 = { critical: 1 };
    expect(t.days.map((x) => x.open)).toEqual([
      counts(),
      counts({ ...crit1, high: 1, low: 1 }),
      counts({ ...crit1, high: 1, low: 1 }),
      counts({ ...crit1, low: 2 }),
      counts({ ...crit1, low: 2 }),
      counts({ ...crit1, high: 1, low: 1 }),
      counts({ ...crit1, high: 1, low: 1 }),
    ]);
    expect(t.openNow).toEqual(counts({ critical: 1, high: 1, low: 1 }));
    // The last day ends with what GET /summary counts now.
    const summary = (await call('GET', '/summary')).json as { bySeverity: Record<Severity, number> };
    expect(t.days.at(-1)!.open).toEqual(summary.bySeverity);
    expect(commands).not.toContain('ScanCommand');
    expect(commands).toContain('QueryCommand');
  });

  it('a shorter window starts later and still ends with today', async () => {
    const t = (await call('GET', '/trends', 'days=2')).json as Trends;
    expect(t.days.map((x) => x.date)).toEqual(['2026-11-15', '2026-11-16']);
    expect(t.days[0]!.opened).toEqual(counts({ high: 1 }));
    const all = (await call('GET', '/trends')).json as Trends;
    expect(all.days).toHaveLength(30);
    expect(all.days.slice(0, 23).every((x) => Object.values(x.open).every((n) => n === 0))).toBe(true);
  });

  it('refuses a bad window with 400 and says why', async () => {
    for (const q of ['days=0', 'days=91', 'days=abc', 'days=-3', 'days=1.5', 'days=', 'since=2026-11-01']) {
      const res = await call('GET', '/trends', q);
      expect(res.status, q).toBe(400);
      expect((res.json as { error: string }).error, q).toMatch(/days|since/);
    }
  });
});

describe('GET /changes: the newest changes of the fleet, with the finding they belong to', () => {
  it('newest first, each with its target and resource', async () => {
    const res = await call('GET', '/changes', 'limit=3');
    expect(res.status).toBe(200);
    const { items, count } = res.json as { items: ChangeView[]; count: number };
    expect(count).toBe(3);
    // Day 5 wrote two events (a reopened, c resolved); the third newest is from s3 on day 3.
    expect(
      items
        .slice(0, 2)
        .map((x) => `${x.event} ${x.resource?.name}`)
        .sort(),
    ).toEqual(['REOPENED a', 'RESOLVED c']);
    expect(items[2]!.at).toBe(day(3, 18));
    expect(items.map((x) => x.at)).toEqual([...items.map((x) => x.at)].sort().reverse());
    for (const x of items) {
      expect(x.target?.name).toBeDefined();
      expect(x.findingId).toMatch(/^[0-9a-f]{64}$/);
      expect(Object.keys(x).some((k) => /^GSI|^PK$|^SK$/.test(k))).toBe(false);
    }
  });

  it('reaches back only as far as asked, and refuses bad parameters', async () => {
    const week = (await call('GET', '/changes', 'limit=100&days=7')).json as { items: ChangeView[] };
    expect(week.items).toHaveLength(3 + 2 + 2 + 2); // s1 opened three, s2 resolved a and opened d, s3 exempted d and opened e, s4 reopened a and resolved c
    const recent = (await call('GET', '/changes', 'limit=100&days=2')).json as { items: ChangeView[] };
    expect(recent.items.map((x) => x.event).sort()).toEqual(['REOPENED', 'RESOLVED']);
    for (const q of ['limit=0', 'limit=101', 'days=91', 'cluster=prod']) expect((await call('GET', '/changes', q)).status, q).toBe(400);
  });

  it('the finding history no longer shows index keys', async () => {
    const { items } = (await call('GET', '/changes', 'limit=1')).json as { items: ChangeView[] };
    const one = (await call('GET', `/findings/${items[0]!.findingId}`)).json as { history: Record<string, unknown>[] };
    expect(one.history.length).toBeGreaterThan(0);
    for (const h of one.history) expect(Object.keys(h).filter((k) => /^GSI|^PK$|^SK$/.test(k))).toEqual([]);
  });
});
