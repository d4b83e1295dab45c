import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImage } from '../../shared/events/stream.js';
import { eventForRecord } from '../../shared/events/transitions.js';
import { gap, prod, report, result, staging, tempStore, type TestStore } from './support.js';

/**
 * The items the store writes are what the stream publisher reads (shared/store/items.ts is the
 * contract). Every item of a realistic history is turned into a stream image and parsed by the
 * publisher's own parser; the transitions it sees must be the lifecycle's.
 */
let s: TestStore;
const images: { before?: Record<string, unknown>; after: Record<string, unknown> }[] = [];
let previous = new Map<string, Record<string, unknown>>();

async function snapshotChanges(): Promise<void> {
  const out = await s.store.ctx.doc.send(new ScanCommand({ TableName: s.store.ctx.table }));
  const now = new Map((out.Items ?? []).map((i) => [`${i['PK']}|${i['SK']}`, i]));
  for (const [k, item] of now) {
    const before = previous.get(k);
    if (JSON.stringify(before) !== JSON.stringify(item)) images.push({ ...(before ? { before } : {}), after: item });
  }
  previous = now;
}

beforeAll(async () => {
  s = await tempStore();
  await s.store.saveScan(
    report('c-1', [result({ name: 'a' }), result({ name: 'b', exempted: true }), gap('rbac.wildcard', 'ClusterRole')], {
      targets: [{ ...prod, status: 'PARTIAL' }],
    }),
  );
  await snapshotChanges();
  const readable = {
    ...result({ name: 'view', status: 'PASS', control: 'rbac.wildcard' }),
    resource: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'view' },
  };
  await s.store.saveScan(
    report('c-2', [result({ name: 'b' }), result({ name: 'a', status: 'PASS' }), readable], {
      targets: [prod, { ...staging, status: 'ERROR', reason: 'AssumeRole denied' }],
    }),
  );
  await snapshotChanges();
  await s.store.saveScan(report('c-3', [result({ name: 'a' }), result({ name: 'b' })], { targets: [prod] }));
  await snapshotChanges();
});
afterAll(async () => s?.dispose());

const record = (img: { before?: Record<string, unknown>; after: Record<string, unknown> }, seq: number) => ({
  eventName: img.before ? ('MODIFY' as const) : ('INSERT' as const),
  dynamodb: {
    SequenceNumber: String(seq),
    NewImage: marshall(img.after, { removeUndefinedValues: true }) as Record<string, unknown>,
    ...(img.before ? { OldImage: marshall(img.before, { removeUndefinedValues: true }) as Record<string, unknown> } : {}),
  },
});

describe('store items satisfy the publisher contract', () => {
  it('every finding, scan and target image parses', () => {
    expect(images.length).toBeGreaterThan(10);
    for (const img of images) {
      const parsed = parseImage(marshall(img.after, { removeUndefinedValues: true }) as Record<string, unknown>);
      const entity = img.after['entity'];
      expect(parsed.entity).toBe(['finding', 'scan', 'target'].includes(String(entity)) ? entity : 'other');
    }
  });

  it('the publisher sees exactly the lifecycle transitions and one Target Failed', () => {
    const events = images.map((img, i) => eventForRecord(record(img, i + 1))).filter((e) => e !== undefined);
    const types = events.map((e) => e.detailType);
    const count = (t: string) => types.filter((x) => x === t).length;
    expect(count('Finding Opened')).toBe(2); // a, the ClusterRole gap
    expect(count('Finding Exempted')).toBe(1); // b at first sight
    expect(count('Finding Resolved')).toBe(2); // a, the gap
    expect(count('Finding Reopened')).toBe(2); // b un-exempted, a back
    expect(count('Scan Completed')).toBe(3);
    expect(count('Target Failed')).toBe(1); // staging ERROR
  });
});
