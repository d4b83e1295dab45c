import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingId } from '../../shared/findings/id.js';
import type { FindingItem, FindingEventItem, TargetItem } from '../../shared/store/items.js';
import { targetId } from '../../shared/store/keys.js';
import { gap, prod, report, result, staging, tempStore, type TestStore } from './support.js';

let s: TestStore;
beforeAll(async () => {
  s = await tempStore();
});
afterAll(async () => s?.dispose());

const idOf = (name: string, control = 'workload.privileged', target = prod, namespace = 'shop') =>
  findingId(target, control, { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name });

async function item(name: string, control?: string, namespace?: string): Promise<FindingItem> {
  const out = await s.store.ctx.doc.send(
    new GetCommand({ TableName: s.store.ctx.table, Key: { PK: `FINDING#${idOf(name, control, prod, namespace)}`, SK: 'CURRENT' } }),
  );
  return out.Item as FindingItem;
}

async function history(name: string): Promise<FindingEventItem[]> {
  const out = await s.store.ctx.doc.send(
    new QueryCommand({
      TableName: s.store.ctx.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :e)',
      ExpressionAttributeValues: { ':pk': `FINDING#${idOf(name)}`, ':e': 'EVENT#' },
    }),
  );
  return (out.Items ?? []) as FindingEventItem[];
}

describe('store lifecycle (dynalite)', () => {
  it('opens, resolves and reopens a finding, versioned, with history and TTL only while resolved', async () => {
    const r1 = await s.store.saveScan(report('life-1', [result({ name: 'web' }), result({ name: 'api' })]));
    expect(r1.changes).toMatchObject({ opened: 2, resolved: 0, unchanged: 0 });
    const web1 = await item('web');
    expect(web1).toMatchObject({
      entity: 'finding',
      state: 'OPEN',
      version: 1,
      scanId: 'life-1',
      controlId: 'workload.privileged',
      severity: 'high',
      lastEvent: 'OPENED',
    });
    expect(web1.expiresAt).toBeUndefined();

    const r2 = await s.store.saveScan(report('life-2', [result({ name: 'api' }), result({ name: 'web', status: 'PASS' })]));
    expect(r2.changes).toMatchObject({ opened: 0, resolved: 1, unchanged: 1 });
    const web2 = await item('web');
    expect(web2).toMatchObject({ state: 'RESOLVED', version: 2, scanId: 'life-2', lastEvent: 'RESOLVED', firstSeen: web1.firstSeen });
    expect(web2.expiresAt).toBeGreaterThan(Date.parse(web2.resolvedAt!) / 1000);
    const h2 = await history('web');
    expect(h2.map((h) => [h.version, h.event])).toEqual([
      [1, 'OPENED'],
      [2, 'RESOLVED'],
    ]);
    expect(h2.every((h) => typeof h.expiresAt === 'number')).toBe(true); // the whole history of a resolved finding expires

    const r3 = await s.store.saveScan(report('life-3', [result({ name: 'api' }), result({ name: 'web' })]));
    expect(r3.changes).toMatchObject({ reopened: 1, opened: 0, unchanged: 1 });
    const web3 = await item('web');
    expect(web3).toMatchObject({ state: 'OPEN', version: 3, lastEvent: 'REOPENED', firstSeen: web1.firstSeen });
    expect(web3.resolvedAt).toBeUndefined();
    expect(web3.expiresAt).toBeUndefined();
    const h3 = await history('web');
    expect(h3.map((h) => h.event)).toEqual(['OPENED', 'RESOLVED', 'REOPENED']);
    expect(h3.some((h) => h.expiresAt !== undefined)).toBe(false); // reopened: history kept again

    // GET /findings/{id}: the finding with its history.
    const got = await s.store.finding(idOf('web'));
    expect(got?.finding).toMatchObject({ state: 'OPEN', version: 3 });
    expect(got?.finding).not.toHaveProperty('PK');
    expect(got?.history.map((h) => h.event)).toEqual(['OPENED', 'RESOLVED', 'REOPENED']);
  });

  it('exempts and un-exempts, storing exempted results instead of dropping them', async () => {
    await s.store.saveScan(
      report('ex-1', [result({ name: 'db', namespace: 'data' }), result({ name: 'cache', namespace: 'data', exempted: true })]),
    );
    expect(await item('cache', undefined, 'data')).toMatchObject({
      state: 'EXEMPTED',
      exempted: { reason: 'accepted risk' },
      version: 1,
      lastEvent: 'EXEMPTED',
    });
    const r2 = await s.store.saveScan(
      report('ex-2', [
        result({ name: 'db', namespace: 'data', exempted: true }),
        result({ name: 'cache', namespace: 'data', exempted: true }),
      ]),
    );
    expect(r2.changes).toMatchObject({ exempted: 1, unchanged: 1 });
    expect(await item('db', undefined, 'data')).toMatchObject({ state: 'EXEMPTED', version: 2 });
    const r3 = await s.store.saveScan(
      report('ex-3', [result({ name: 'db', namespace: 'data' }), result({ name: 'cache', namespace: 'data', exempted: true })]),
    );
    expect(r3.changes).toMatchObject({ unexempted: 1 });
    const db = await item('db', undefined, 'data');
    expect(db).toMatchObject({ state: 'OPEN', version: 3, lastEvent: 'UNEXEMPTED' });
    expect(db.exempted).toBeUndefined();
  });

  it('does not resolve the previous findings of a target whose scan was UNKNOWN or ERROR, and records the failure on the marker', async () => {
    await s.store.saveScan(
      report('st-1', [result({ name: 's1', target: staging }), result({ name: 's2', target: staging })], { targets: [staging] }),
    );
    for (const status of ['UNKNOWN', 'ERROR'] as const) {
      const out = await s.store.saveScan(
        report(`st-${status}`, [], { targets: [{ ...staging, status, reason: 'private endpoint unreachable' }] }),
      );
      expect(out.changes).toMatchObject({ resolved: 0, kept: 2 });
    }
    const page = await s.store.findings({ cluster: ['staging'] }, { limit: 10 });
    expect(page.items.map((f) => f.state)).toEqual(['OPEN', 'OPEN']);
    const marker = await s.store.ctx.doc.send(
      new GetCommand({ TableName: s.store.ctx.table, Key: { PK: `TARGET#${targetId(staging)}`, SK: 'CURRENT' } }),
    );
    expect(marker.Item as TargetItem).toMatchObject({
      entity: 'target',
      lastStatus: 'ERROR',
      lastReason: 'private endpoint unreachable',
      lastScanId: 'st-ERROR',
      name: 'staging',
    });
    expect((marker.Item as TargetItem).savingScanId).toBeUndefined(); // lease released
  });

  it('keeps findings of controls blind through a gap in a PARTIAL scan and resolves the judged ones', async () => {
    const t = { ...prod, name: 'partial' };
    await s.store.saveScan(
      report('p-1', [result({ name: 'a', target: t }), result({ name: 'b', target: t, control: 'workload.host-pid' })], { targets: [t] }),
    );
    const out = await s.store.saveScan(
      report(
        'p-2',
        [
          gap('workload.privileged', 'Deployment', undefined, t),
          result({ name: 'z', target: t, control: 'workload.host-pid', status: 'PASS' }),
        ],
        {
          targets: [{ ...t, status: 'PARTIAL', reason: 'could not read Deployment' }],
        },
      ),
    );
    expect(out.changes).toMatchObject({ resolved: 1, kept: 1, opened: 1 });
    const page = await s.store.findings({ cluster: ['partial'] }, { limit: 10 });
    const states = Object.fromEntries(page.items.map((f) => [f.resource.name, f.state]));
    expect(states).toEqual({ a: 'OPEN', b: 'RESOLVED', Deployment: 'OPEN' });
  });

  it('rescanning an unchanged inventory writes no finding item (≤ 1% of the first scan) and keeps lastSeen current', async () => {
    const t = { ...prod, name: 'steady' };
    const results = Array.from({ length: 150 }, (_, i) =>
      result({ name: `w${i}`, target: t, severity: i % 3 === 0 ? 'critical' : 'medium' }),
    );
    s.writes.reset();
    await s.store.saveScan(report('steady-1', results, { targets: [t] }));
    const first = s.writes.itemsByKind['finding'] ?? 0;
    s.writes.reset();
    const second = report('steady-2', [...results].reverse(), { targets: [t] });
    const out = await s.store.saveScan(second);
    const again = s.writes.itemsByKind['finding'] ?? 0;
    expect(first).toBe(150);
    expect(again).toBeLessThanOrEqual(first * 0.01);
    expect(again).toBe(0);
    expect(s.writes.itemsByKind['finding-event'] ?? 0).toBe(0);
    // The scan item (put + completion) and the target marker (claim + finalize), nothing else.
    expect(s.writes.itemsByKind).toEqual({ scan: 2, target: 2 });
    expect(s.writes.requests).toBe(4);
    expect(out.changes.unchanged).toBe(150);
    // lastSeen derived from the target marker: the second scan's start, without rewriting the items.
    const page = await s.store.findings({ cluster: ['steady'] }, { limit: 1 });
    expect(page.items[0]!.lastSeen).toBe(second.scan.startedAt);
  });

  it('completes the scan item with summary, per-target statuses and change counts', async () => {
    const rep = report('scan-item', [result({ name: 'q1', target: { ...prod, name: 'scanned' } })], {
      targets: [
        { ...prod, name: 'scanned' },
        { ...staging, name: 'dead', status: 'ERROR', reason: 'AssumeRole denied' },
      ],
    });
    await s.store.saveScan(rep);
    const scan = (await s.store.scan('scan-item'))!;
    expect(scan).toMatchObject({
      entity: 'scan',
      status: 'COMPLETED',
      scanId: 'scan-item',
      finishedAt: rep.scan.finishedAt,
      changes: { opened: 1 },
    });
    expect(scan.summary?.byStatus.FAIL).toBe(1);
    expect(scan.targets.map((t) => [t.name, t.status])).toEqual([
      ['scanned', 'OK'],
      ['dead', 'ERROR'],
    ]);
    const events = await s.store.scanEvents('scan-item', { limit: 10 });
    expect(events.items.map((e) => e.event)).toEqual(['OPENED']);
  });

  it('never stores a credential and truncates oversized evidence with a note', async () => {
    const t = { ...prod, name: 'secrets' };
    const r = result({ name: 'leaky', target: t, message: 'env DB_URL=postgres://admin:hunter2secret@db:5432/x' });
    r.evidence = { value: 'AKIAIOSFODNN7EXAMPLE', big: 'x'.repeat(5_000), list: Array.from({ length: 200 }, (_, i) => `item-${i}`) };
    await s.store.saveScan(report('secret-1', [r], { targets: [t] }));
    const page = await s.store.findings({ cluster: ['secrets'] }, { limit: 5 });
    const f = page.items[0]!;
    const text = JSON.stringify(f);
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(text).not.toContain('hunter2secret');
    expect(f.evidenceTruncated).toBe(true);
    expect(String(f.evidence?.['big']).length).toBeLessThanOrEqual(1_024);
    expect((f.evidence?.['list'] as string[]).length).toBe(50);
    expect(text.length).toBeLessThan(40_000);
  });
});
