import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FindingsStore } from '../../shared/store/store.js';
import { openStore, type OpenedStore } from '../../shared/store/open.js';
import { prod, report, result, tempStore, type TestStore } from './support.js';

/**
 * New findings of a target nobody else is saving go to the embedded store in BatchWriteItem
 * chunks, under a batch lease on the target marker. Two clients on one store, as two processes
 * (`scan --save` while `serve` runs) would be; a gate holds the older save at a chosen request.
 */
type Gate = { match: (name: string, input: Record<string, unknown>) => boolean; reached: () => void; release: Promise<void> };
let gate: Gate | undefined;
const failedClaims: string[] = [];

function hold(match: Gate['match']): { reached: Promise<void>; release: () => void } {
  let reached!: () => void;
  let release!: () => void;
  const r = new Promise<void>((ok) => (reached = ok));
  gate = { match, reached, release: new Promise<void>((ok) => (release = ok)) };
  return { reached: r, release };
}

/** The older scan's client: pauses at the request the gate matches. */
function gated(raw: DynamoDBClient): void {
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const g = gate;
      const name = (context as { commandName?: string }).commandName ?? '';
      if (g && g.match(name, args.input as Record<string, unknown>)) {
        gate = undefined;
        g.reached();
        await g.release;
      }
      return next(args);
    },
    { step: 'initialize', name: 'testGate' },
  );
}

/** The newer scan's client: records claims refused while a batch held the target. */
function watched(raw: DynamoDBClient): void {
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (e) {
        const input = args.input as { UpdateExpression?: string };
        const claim = input.UpdateExpression?.includes('#version = if_not_exists') === true;
        if ((context as { commandName?: string }).commandName === 'UpdateItemCommand' && claim) failedClaims.push((e as Error).name);
        throw e;
      }
    },
    { step: 'initialize', name: 'testWatch' },
  );
}

const findingBatch = (name: string, input: Record<string, unknown>) =>
  name === 'BatchWriteItemCommand' && JSON.stringify(input).includes('"entity":"finding"');
const batchStart = (name: string, input: Record<string, unknown>) =>
  name === 'UpdateItemCommand' && String(input['UpdateExpression']).startsWith('SET batchingScanId');

let s: TestStore;
let older: OpenedStore;
let newer: OpenedStore;
beforeAll(async () => {
  s = await tempStore();
  older = await openStore({ env: { HARDLINE_STORE_DIR: s.dir }, onClient: gated });
  newer = await openStore({ env: { HARDLINE_STORE_DIR: s.dir }, onClient: watched });
});
afterAll(async () => {
  await older?.close();
  await newer?.close();
  await s?.dispose();
});

const states = async (cluster: string) =>
  Object.fromEntries(
    (await s.store.findings({ cluster: [cluster] }, { limit: 100 })).items.map((f) => [f.resource.name, [f.state, f.scanId, f.version]]),
  );

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2_000 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
}

describe('new findings in bulk (embedded store)', () => {
  it('a first save writes its new findings and their history in BatchWriteItem chunks, as conditional writes would have', async () => {
    const t = { ...prod, name: 'bulk-first' };
    const results = Array.from({ length: 60 }, (_, i) => result({ name: `w${i}`, target: t, exempted: i === 0 }));
    s.writes.reset();
    const out = await s.store.saveScan(report('b1', results, { targets: [t] }));
    expect(out.changes).toMatchObject({ opened: 59, exempted: 1 });
    expect(s.writes.byCommand['BatchWriteItemCommand']).toBe(6); // 3 chunks of findings, 3 of history
    expect(s.writes.itemsByKind['finding']).toBe(60);
    expect(s.writes.itemsByKind['finding-event']).toBe(60);
    const found = await s.store.findings({ cluster: ['bulk-first'] }, { limit: 100 });
    expect(found.items).toHaveLength(60);
    expect(found.items.every((f) => f.version === 1 && f.scanId === 'b1')).toBe(true);
    expect(found.items.find((f) => f.resource.name === 'w0')).toMatchObject({ state: 'EXEMPTED', lastEvent: 'EXEMPTED' });
    const one = await s.store.finding(found.items.find((f) => f.resource.name === 'w7')!.findingId);
    expect(one?.history.map((h) => [h.event, h.version, h.scanId])).toEqual([['OPENED', 1, 'b1']]);
    const marker = (await s.store.targets({ cluster: ['bulk-first'] }, { limit: 1 })).items[0]!;
    expect(marker).not.toHaveProperty('batchingScanId');
    expect(marker.counts?.byState).toEqual({ OPEN: 59, EXEMPTED: 1, RESOLVED: 0 });
  });

  it('outside the embedded store (AWS) every finding is a conditional PutItem and history is PutItem: no BatchWriteItem', async () => {
    const t = { ...prod, name: 'aws-like' };
    const counter = s.writes;
    counter.reset();
    const aws = new FindingsStore({ doc: s.store.ctx.doc, table: s.store.ctx.table });
    await aws.saveScan(report('a1', [result({ name: 'x', target: t }), result({ name: 'y', target: t })], { targets: [t] }));
    expect(counter.byCommand['BatchWriteItemCommand']).toBeUndefined();
    expect(counter.itemsByKind).toMatchObject({ finding: 2, 'finding-event': 2 });
    expect(counter.byCommand['PutItemCommand']).toBe(5); // scan item + 2 findings + 2 history events
  });

  it('a newer scan that claims the target while an older batch is running waits for it, then wins', async () => {
    const t = { ...prod, name: 'bulk-race' };
    // Older A: x and y new, x exempted. Newer B: x new and not exempted, z new.
    const a = report('A', [result({ name: 'x', target: t, exempted: true }), result({ name: 'y', target: t })], {
      targets: [t],
      startedAt: '2026-12-01T01:00:00.000Z',
    });
    const b = report('B', [result({ name: 'x', target: t }), result({ name: 'z', target: t })], {
      targets: [t],
      startedAt: '2026-12-01T02:00:00.000Z',
    });
    const held = hold(findingBatch);
    const aSaving = older.store.saveScan(a);
    await held.reached; // A holds the batch lease, its chunk not yet sent
    failedClaims.length = 0;
    let bDone = false;
    const bSaving = newer.store.saveScan(b).then((r) => ((bDone = true), r));
    await until(() => failedClaims.length >= 2); // B's claim was refused (and retried) while A's batch ran
    expect(bDone).toBe(false);
    held.release();
    const [ra, rb] = await Promise.all([aSaving, bSaving]);
    expect(ra.changes).toMatchObject({ opened: 1, exempted: 1 });
    expect(rb.changes).toMatchObject({ unexempted: 1, opened: 1, resolved: 1 });
    expect(await states('bulk-race')).toEqual({
      x: ['OPEN', 'B', 2],
      y: ['RESOLVED', 'B', 2],
      z: ['OPEN', 'B', 1],
    });
  });

  it('an older save whose target was claimed by a newer scan before its batch began writes conditionally and yields', async () => {
    const t = { ...prod, name: 'bulk-late' };
    const a = report('LA', [result({ name: 'x', target: t, exempted: true })], { targets: [t], startedAt: '2026-12-02T01:00:00.000Z' });
    const b = report('LB', [result({ name: 'x', target: t })], { targets: [t], startedAt: '2026-12-02T02:00:00.000Z' });
    const held = hold(batchStart);
    const aSaving = older.store.saveScan(a);
    await held.reached; // A claimed the target and is about to start its batch
    const rb = await newer.store.saveScan(b); // B claims (no batch runs yet) and saves x
    expect(rb.changes.opened).toBe(1);
    held.release();
    const ra = await aSaving;
    expect(ra.changes.supersededTargets).toBe(0);
    expect(ra.changes.opened + ra.changes.exempted).toBe(0); // its create lost to B's: it yielded
    expect(await states('bulk-late')).toEqual({ x: ['OPEN', 'LB', 1] });
    const marker = (await s.store.targets({ cluster: ['bulk-late'] }, { limit: 1 })).items[0]!;
    expect(marker).toMatchObject({ lastScanId: 'LB' });
    expect(marker).not.toHaveProperty('batchingScanId');
  });
});
