import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Severity } from '../../shared/core/types.js';
import type { Result } from '../../shared/engine/types.js';
import type { FindingState } from '../../shared/findings/types.js';
import type { Position } from '../../shared/store/paginate.js';
import type { FindingFilter, FindingView } from '../../shared/store/query.js';
import { report, result, tempStore, type TestStore } from './support.js';

/**
 * A fleet of three targets whose findings end in every state. The expected answer of each query
 * is computed from this plan with a plain filter, never read back from the store.
 */
const targets = [
  { kind: 'cluster' as const, accountId: '111122223333', region: 'eu-west-1', name: 'prod' },
  { kind: 'cluster' as const, accountId: '444455556666', region: 'us-east-1', name: 'staging' },
  { kind: 'cluster' as const, accountId: '444455556666', region: 'eu-west-1', name: 'prod' }, // same name, other account
];
const controls = ['workload.privileged', 'workload.host-pid', 'workload.image-tag', 'workload.resource-limits'];
const severities: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const namespaces = ['shop', 'pay', 'kube-system'];

interface Planned {
  result: Result;
  state: FindingState;
}

const plan: Planned[] = [];
for (let i = 0; i < 240; i++) {
  const target = targets[i % 3]!;
  const r = result({
    name: `w${i}`,
    target,
    control: controls[i % 4]!,
    severity: severities[(i * 7) % 5]!,
    namespace: namespaces[(i * 5) % 3]!,
  });
  const state: FindingState = i % 11 === 0 ? 'RESOLVED' : i % 7 === 0 ? 'EXEMPTED' : 'OPEN';
  plan.push({ result: r, state });
}

function expected(f: FindingFilter): string[] {
  return plan
    .filter(({ result: r, state }) => {
      const ok = <T>(list: readonly T[] | undefined, v: T) => !list || list.includes(v);
      return (
        ok(f.account, r.target.accountId!) &&
        ok(f.region, r.target.region!) &&
        ok(f.cluster, r.target.name) &&
        ok(f.control, r.controlId) &&
        ok(f.severity, r.severity) &&
        ok(f.state, state) &&
        ok(f.namespace, r.resource.namespace!)
      );
    })
    .map((p) => `${p.result.target.accountId}/${p.result.resource.name}`)
    .sort();
}

const key = (f: FindingView) => `${f.target.accountId}/${f.resource.name}`;

let s: TestStore;
beforeAll(async () => {
  s = await tempStore();
  const first = plan.map((p) => p.result);
  await s.store.saveScan(report('q-1', first, { targets }));
  // Second scan: resolved ones now pass, exempted ones carry an exemption.
  const second = plan.map(({ result: r, state }) =>
    state === 'RESOLVED'
      ? { ...r, status: 'PASS' as const }
      : state === 'EXEMPTED'
        ? { ...r, exempted: { by: 'test', reason: 'ok', source: 'file:test.yaml' } }
        : r,
  );
  await s.store.saveScan(report('q-2', second, { targets }));
});
afterAll(async () => s?.dispose());

async function pageThrough(f: FindingFilter, limit: number): Promise<{ keys: string[]; pages: number }> {
  const keys: string[] = [];
  let position: Position | undefined;
  let pages = 0;
  do {
    const page = await s.store.findings(f, { limit, ...(position ? { position } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    keys.push(...page.items.map(key));
    position = page.next;
    pages++;
    expect(pages).toBeLessThan(1_000);
  } while (position);
  return { keys, pages };
}

const filters: [string, FindingFilter][] = [
  ['everything', {}],
  ['severity=high', { severity: ['high'] }],
  ['state=OPEN', { state: ['OPEN'] }],
  ['severity=high&state=OPEN', { severity: ['high'], state: ['OPEN'] }],
  ['severity=critical,high&state=OPEN,EXEMPTED', { severity: ['critical', 'high'], state: ['OPEN', 'EXEMPTED'] }],
  ['control', { control: ['workload.host-pid'] }],
  [
    'control+state+severity',
    { control: ['workload.host-pid', 'workload.image-tag'], state: ['RESOLVED'], severity: ['medium', 'low', 'info'] },
  ],
  ['control+severity (no state)', { control: ['workload.privileged'], severity: ['critical'] }],
  ['cluster (two accounts share the name)', { cluster: ['prod'] }],
  ['cluster+account', { cluster: ['prod'], account: ['444455556666'] }],
  ['cluster+state+severity', { cluster: ['staging'], state: ['OPEN'], severity: ['high', 'low'] }],
  ['cluster+control', { cluster: ['staging', 'prod'], control: ['workload.resource-limits'] }],
  ['account', { account: ['444455556666'] }],
  ['region', { region: ['eu-west-1'] }],
  ['namespace', { namespace: ['kube-system'] }],
  ['namespace+state (selective)', { namespace: ['pay'], state: ['EXEMPTED'] }],
  ['no match', { cluster: ['nope'] }],
];

describe('GET /findings pagination and filters (dynalite)', () => {
  it.each(filters)('%s: every page round trip returns exactly the expected findings, no duplicates, no loss', async (_name, f) => {
    const want = expected(f);
    for (const limit of [1, 7, 50, 500]) {
      if (limit === 1 && want.length > 60) continue; // 240 round trips add nothing over 7
      const { keys } = await pageThrough(f, limit);
      expect(new Set(keys).size).toBe(keys.length);
      expect([...keys].sort()).toEqual(want);
    }
  });

  it('orders by severity and state: critical OPEN first when unfiltered', async () => {
    const page = await s.store.findings({}, { limit: 500 });
    const rank = (f: FindingView) => ['OPEN', 'EXEMPTED', 'RESOLVED'].indexOf(f.state) * 10 + severities.indexOf(f.severity);
    const ranks = page.items.map(rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(page.items[0]).toMatchObject({ state: 'OPEN', severity: 'critical' });
  });

  it('returns a short page with a cursor when the query budget runs out, and still loses nothing', async () => {
    const f: FindingFilter = { namespace: ['pay'], state: ['EXEMPTED'] };
    const keys: string[] = [];
    let position: Position | undefined;
    let shortPages = 0;
    do {
      const page = await s.store.findings(f, { limit: 50, maxQueries: 1, ...(position ? { position } : {}) });
      if (page.next && page.items.length < 50) shortPages++;
      keys.push(...page.items.map(key));
      position = page.next;
    } while (position);
    expect(shortPages).toBeGreaterThan(0);
    expect(keys.sort()).toEqual(expected(f));
  });

  it('refuses a position from another query instead of reading outside it', async () => {
    const page = await s.store.findings({ severity: ['high'] }, { limit: 2 });
    await expect(s.store.findings({ severity: ['low'] }, { limit: 2, position: page.next! })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(s.store.findings({}, { limit: 2, position: { p: 9_999 } })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('GET /clusters and GET /summary (dynalite)', () => {
  it('lists targets with their last scan, counts and scores', async () => {
    const page = await s.store.targets({}, { limit: 10 });
    expect(page.items.map((t) => `${t.name}/${t.accountId}`).sort()).toEqual([
      'prod/111122223333',
      'prod/444455556666',
      'staging/444455556666',
    ]);
    const prod1 = page.items.find((t) => t.accountId === '111122223333')!;
    const mine = plan.filter((p) => p.result.target.accountId === '111122223333' && p.result.target.name === 'prod');
    expect(prod1).toMatchObject({ lastScanId: 'q-2', lastStatus: 'OK' });
    expect(prod1.counts?.byState).toEqual({
      OPEN: mine.filter((p) => p.state === 'OPEN').length,
      EXEMPTED: mine.filter((p) => p.state === 'EXEMPTED').length,
      RESOLVED: mine.filter((p) => p.state === 'RESOLVED').length,
    });
    const filtered = await s.store.targets({ region: ['us-east-1'] }, { limit: 10 });
    expect(filtered.items.map((t) => t.name)).toEqual(['staging']);
  });

  it('summarizes counts by severity, state and control and compliance per cluster and framework', async () => {
    const sum = await s.store.summary();
    const open = plan.filter((p) => p.state === 'OPEN');
    expect(sum.targets).toBe(3);
    for (const sev of severities) expect(sum.bySeverity[sev]).toBe(open.filter((p) => p.result.severity === sev).length);
    expect(sum.byState.RESOLVED).toBe(plan.filter((p) => p.state === 'RESOLVED').length);
    expect(sum.byControl['workload.host-pid']).toBe(open.filter((p) => p.result.controlId === 'workload.host-pid').length);
    // Second scan: RESOLVED ones passed, exempted ones do not count, open ones failed.
    const passed = plan.filter((p) => p.state === 'RESOLVED').length;
    expect(sum.frameworks['all']).toEqual({
      passed,
      failed: open.length,
      score: Math.round((passed / (passed + open.length)) * 10_000) / 10_000,
    });
    const staging = sum.clusters.find((c) => c.name === 'staging')!;
    expect(staging.open).toBe(open.filter((p) => p.result.target.name === 'staging').length);
    expect(staging.scores['all']).toBeGreaterThan(0);
    const onlyStaging = await s.store.summary({ cluster: ['staging'] });
    expect(onlyStaging.targets).toBe(1);
    expect(onlyStaging.byState.OPEN).toBe(staging.open);
  });
});
