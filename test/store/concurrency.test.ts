import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultSet } from '../../shared/engine/results.js';
import { openStore, type OpenedStore } from '../../shared/store/open.js';
import { prod, report, result, tempStore, type TestStore } from './support.js';

/**
 * Two scanners on one table, as two Lambdas would be: separate clients, same dynalite. A gate on
 * the older scan's client holds its first finding write until the newer scan has fully saved.
 */
let s: TestStore;
let second: OpenedStore;
let gate: { paused: Promise<void>; release: () => void; armed: boolean };

function arm(): void {
  let onPause!: () => void;
  let release!: () => void;
  const paused = new Promise<void>((r) => (onPause = r));
  const released = new Promise<void>((r) => (release = r));
  gate = { paused, release, armed: true };
  gate.paused.then(() => undefined);
  pausedHook = async () => {
    onPause();
    await released;
  };
}
let pausedHook: (() => Promise<void>) | undefined;

function gateFindingWrites(raw: DynamoDBClient): void {
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const name = (context as { commandName?: string }).commandName;
      const input = args.input as { Item?: { entity?: string }; Key?: { PK?: string; SK?: string } };
      const findingWrite =
        (name === 'PutItemCommand' && input.Item?.entity === 'finding') ||
        (name === 'UpdateItemCommand' && input.Key?.PK?.startsWith('FINDING#') === true && input.Key.SK === 'CURRENT');
      if (findingWrite && gate?.armed && pausedHook) await pausedHook();
      return next(args);
    },
    { step: 'initialize', name: 'testGate' },
  );
}

beforeAll(async () => {
  s = await tempStore();
  second = await openStore({ env: { HARDLINE_STORE_DIR: s.dir }, onClient: gateFindingWrites });
});
afterAll(async () => {
  await second?.close();
  await s?.dispose();
});

const states = async (cluster: string) =>
  Object.fromEntries(
    (await s.store.findings({ cluster: [cluster] }, { limit: 50 })).items.map((f) => [
      f.resource.name,
      { state: f.state, scanId: f.scanId },
    ]),
  );

describe('overlapping scans of one target', () => {
  it('a scan older than the last saved one changes nothing (it is superseded)', async () => {
    const t = { ...prod, name: 'stale' };
    await s.store.saveScan(report('base', [result({ name: 'x', target: t })], { targets: [t], startedAt: '2026-10-01T00:00:00.000Z' }));
    await s.store.saveScan(
      report('newer', [result({ name: 'x', target: t, status: 'PASS' })], { targets: [t], startedAt: '2026-10-01T02:00:00.000Z' }),
    ); // x fixed → RESOLVED
    const late = await s.store.saveScan(
      report('older', [result({ name: 'x', target: t }), result({ name: 'y', target: t })], {
        targets: [t],
        startedAt: '2026-10-01T01:00:00.000Z',
      }),
    );
    expect(late.changes.supersededTargets).toBe(1);
    expect(late.findingWrites).toBe(0);
    expect(await states('stale')).toEqual({ x: { state: 'RESOLVED', scanId: 'newer' } });
  });

  it('an older save paused mid-way cannot overwrite what a newer save decided, changed or unchanged', async () => {
    const t = { ...prod, name: 'race' };
    await s.store.saveScan(
      report('r0', [result({ name: 'x', target: t }), result({ name: 'y', target: t }), result({ name: 'w', target: t })], {
        targets: [t],
        startedAt: '2026-10-02T00:00:00.000Z',
      }),
    );
    // Older scan A: x gone, y present, z new and exempted.   Newer scan B: x present, y gone, z new (not exempted), w gone.
    const older = report(
      'A',
      [result({ name: 'y', target: t }), result({ name: 'w', target: t }), result({ name: 'z', target: t, exempted: true })],
      {
        targets: [t],
        startedAt: '2026-10-02T01:00:00.000Z',
      },
    );
    const newer = report('B', [result({ name: 'x', target: t }), result({ name: 'z', target: t })], {
      targets: [t],
      startedAt: '2026-10-02T02:00:00.000Z',
    });

    arm();
    const aSaving = second.store.saveScan(older);
    await gate.paused; // A has claimed the target, read the findings and is about to write
    gate.armed = false;
    const b = await s.store.saveScan(newer);
    expect(b.changes).toMatchObject({ resolved: 2, opened: 1 });
    gate.release();
    const a = await aSaving;
    expect(a.changes.supersededTargets).toBe(0); // A had claimed the target before B: it really was mid-way

    expect(await states('race')).toEqual({
      x: { state: 'OPEN', scanId: 'r0' }, // A wanted it RESOLVED; B saw it: B wins
      y: { state: 'RESOLVED', scanId: 'B' },
      w: { state: 'RESOLVED', scanId: 'B' },
      z: { state: 'OPEN', scanId: 'B' }, // A wanted it EXEMPTED
    });
    expect(a.changes.resolved + a.changes.exempted + a.changes.opened).toBe(0);
    const x = (await s.store.findings({ cluster: ['race'] }, { limit: 50 })).items.find((f) => f.resource.name === 'x')!;
    expect(x.version).toBe(1);
    // The marker ends as B left it: A's finalize lost its lease.
    const target = (await s.store.targets({ cluster: ['race'] }, { limit: 5 })).items[0]!;
    expect(target).toMatchObject({ lastScanId: 'B', counts: { byState: { OPEN: 2, RESOLVED: 2, EXEMPTED: 0 } } });
    expect(target.saving).toBeUndefined();
  });

  it('a newer save that starts while an older one holds the target still wins when it finishes first', async () => {
    const t = { ...prod, name: 'race2' };
    await s.store.saveScan(report('q0', [result({ name: 'k', target: t })], { targets: [t], startedAt: '2026-10-03T00:00:00.000Z' }));
    const older = report('QA', [result({ name: 'k', target: t, status: 'PASS' })], { targets: [t], startedAt: '2026-10-03T01:00:00.000Z' }); // would resolve k
    const newer = report('QB', [result({ name: 'k', target: t, severity: 'critical', message: 'worse' })], {
      targets: [t],
      startedAt: '2026-10-03T02:00:00.000Z',
    });
    arm();
    const aSaving = second.store.saveScan(older);
    await gate.paused;
    gate.armed = false;
    await s.store.saveScan(newer);
    gate.release();
    const a = await aSaving;
    expect(a.changes.supersededTargets).toBe(0);
    expect(a.changes.resolved).toBe(0); // its resolve lost the race and yielded to the newer scan
    const k = (await s.store.findings({ cluster: ['race2'] }, { limit: 5 })).items[0]!;
    expect(k).toMatchObject({ state: 'OPEN', severity: 'critical', message: 'worse', version: 1 });
  });
});

describe('a save right after another (index reads may lag behind it)', () => {
  it('re-reads unchanged findings consistently and decides again on what is really stored', async () => {
    const { loadTargetFindings, applyChanges } = await import('../../shared/store/finding-writes.js');
    const { diffFindings } = await import('../../shared/findings/lifecycle.js');
    const { targetId } = await import('../../shared/store/keys.js');
    const t = { ...prod, name: 'lag' };
    await s.store.saveScan(report('l0', [result({ name: 'x', target: t })], { targets: [t], startedAt: '2026-10-04T00:00:00.000Z' }));
    const staleRead = await loadTargetFindings(s.store.ctx, targetId(t)); // what a lagging index would still return…
    await s.store.saveScan(
      report('l1', [result({ name: 'x', target: t, status: 'PASS' })], { targets: [t], startedAt: '2026-10-04T01:00:00.000Z' }),
    ); // …after x was resolved

    const ref = { id: 'l2', startedAt: '2026-10-04T02:00:00.000Z' };
    const scan = { target: t, status: 'OK' as const, results: ResultSet.of([result({ name: 'x', target: t })]) };
    const diff = diffFindings(staleRead, scan, ref);
    expect(diff.changes).toHaveLength(0); // on the stale view, x looks unchanged
    const base = { scanStartedAt: ref.startedAt, retentionDays: 90, concurrency: 4 };

    const skipped = await applyChanges(s.store.ctx, diff.judge, diff.changes, diff.unchanged, { ...base, unchanged: 'skip' });
    expect(skipped.applied).toHaveLength(0); // trusting the stale view would leave x RESOLVED although l2 saw it

    const verified = await applyChanges(s.store.ctx, diff.judge, diff.changes, diff.unchanged, { ...base, unchanged: 'verify' });
    expect(verified.applied.map((c) => (c.kind === 'refresh' ? 'refresh' : c.event))).toEqual(['REOPENED']);
    expect(await states('lag')).toEqual({ x: { state: 'OPEN', scanId: 'l2' } });
  });
});
