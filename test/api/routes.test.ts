import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingId } from '../../shared/findings/id.js';
import { prod, report, result, staging, tempStore, type TestStore } from '../store/support.js';
import { apiClient, TEST_CALLER } from './support.js';

interface FindingsBody {
  items: { findingId: string; severity: string; state: string; resource: { name: string }; target: { name: string } }[];
  count: number;
  nextCursor?: string;
}

let s: TestStore;
let call: ReturnType<typeof apiClient>;

beforeAll(async () => {
  s = await tempStore();
  call = apiClient(s.store);
  const results = [
    ...Array.from({ length: 23 }, (_, i) => result({ name: `h${i}`, severity: 'high' })),
    ...Array.from({ length: 5 }, (_, i) => result({ name: `c${i}`, severity: 'critical', target: staging })),
    result({ name: 'gone', severity: 'high' }),
    result({ name: 'ex', severity: 'high', exempted: true }),
    result({ name: 'low', severity: 'low', control: 'workload.image-tag', namespace: 'pay' }),
  ];
  await s.store.saveScan(report('api-1', results, { targets: [prod, staging] }));
  await s.store.saveScan(
    report(
      'api-2',
      results.filter((r) => r.resource.name !== 'gone'),
      { targets: [prod, staging] },
    ),
  );
});
afterAll(async () => s?.dispose());

async function all(query: string, limit: number): Promise<{ names: string[]; pages: number }> {
  const names: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const q = `${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await call('GET', '/findings', q);
    expect(res.status).toBe(200);
    const body = res.json as FindingsBody;
    expect(body.count).toBe(body.items.length);
    names.push(...body.items.map((f) => f.resource.name));
    cursor = body.nextCursor;
    pages++;
  } while (cursor);
  return { names, pages };
}

describe('GET /findings', () => {
  it('answers severity=high&state=OPEN with exactly the open high findings, paginated by opaque cursors', async () => {
    const { names, pages } = await all('severity=high&state=OPEN', 10);
    expect(pages).toBe(3);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(Array.from({ length: 23 }, (_, i) => `h${i}`).sort());
  });

  it('is case-insensitive for severity and state, and accepts comma lists', async () => {
    const a = await call('GET', '/findings', 'severity=HIGH&state=open&limit=500');
    const b = await call('GET', '/findings', 'severity=high&state=OPEN&limit=500');
    expect(a.json).toEqual(b.json);
    const both = await call('GET', '/findings', 'severity=critical,high&state=open&limit=500');
    expect((both.json as FindingsBody).count).toBe(28);
    const repeated = await call('GET', '/findings', 'severity=critical&severity=high&state=open&limit=500'); // API Gateway joins repeats
    expect((repeated.json as FindingsBody).count).toBe(28);
  });

  it('filters by cluster, control, namespace, account, region and state', async () => {
    const count = async (q: string) => ((await call('GET', '/findings', `${q}&limit=500`)).json as FindingsBody).count;
    expect(await count('cluster=staging')).toBe(5);
    expect(await count('control=workload.image-tag')).toBe(1);
    expect(await count('namespace=pay')).toBe(1);
    expect(await count(`account=${staging.accountId}`)).toBe(5);
    expect(await count('region=eu-west-1')).toBe(26);
    expect(await count('state=resolved')).toBe(1);
    expect(await count('state=exempted')).toBe(1);
    expect(await count('cluster=nowhere')).toBe(0);
  });

  it('returns the finding with its history at /findings/{id} and 404 for an unknown id', async () => {
    const id = findingId(prod, 'workload.privileged', { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'gone' });
    const res = await call('GET', `/findings/${id.toUpperCase()}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      finding: { findingId: id, state: 'RESOLVED', version: 2 },
      history: [{ event: 'OPENED' }, { event: 'RESOLVED' }],
    });
    const missing = await call('GET', `/findings/${'0'.repeat(64)}`);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: expect.stringContaining('no finding') });
  });
});

describe('GET /clusters, /summary, /scans/{id}', () => {
  it('lists clusters with filters and pagination', async () => {
    const res = await call('GET', '/clusters');
    expect((res.json as { items: { name: string }[] }).items.map((t) => t.name).sort()).toEqual(['prod', 'staging']);
    const one = await call('GET', '/clusters', 'limit=1');
    const body = one.json as { items: { name: string }[]; nextCursor: string };
    const next = await call('GET', '/clusters', `limit=1&cursor=${body.nextCursor}`);
    expect([body.items[0]!.name, (next.json as { items: { name: string }[] }).items[0]!.name].sort()).toEqual(['prod', 'staging']);
    expect(((await call('GET', '/clusters', 'region=us-east-1')).json as { items: unknown[] }).items).toHaveLength(1);
  });

  it('summarizes', async () => {
    const res = await call('GET', '/summary');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      targets: 2,
      bySeverity: { high: 23, critical: 5, low: 1 },
      byState: { OPEN: 29, EXEMPTED: 1, RESOLVED: 1 },
    });
    expect((await call('GET', '/summary', 'cluster=staging')).json).toMatchObject({ targets: 1, bySeverity: { critical: 5, high: 0 } });
  });

  it('returns a scan with its per-target statuses and the changes it made', async () => {
    const res = await call('GET', '/scans/api-2');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      scan: {
        scanId: 'api-2',
        status: 'COMPLETED',
        changes: { resolved: 1 },
        targets: [
          { name: 'prod', status: 'OK' },
          { name: 'staging', status: 'OK' },
        ],
      },
      events: [{ event: 'RESOLVED' }],
    });
    expect((await call('GET', '/scans/nope')).status).toBe(404);
  });
});

describe('/exemptions', () => {
  it('creates, reads, replaces, lists and deletes', async () => {
    const body = JSON.stringify({
      controlId: 'workload.privileged',
      match: { cluster: 'prod', namespace: 'shop' },
      reason: 'vendor agent',
      expires: '2027-06-30',
    });
    const created = await call('PUT', '/exemptions/agent', '', body);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      exemption: {
        id: 'agent',
        controlId: 'workload.privileged',
        reason: 'vendor agent',
        expires: '2027-06-30',
        by: TEST_CALLER,
        source: `store:${TEST_CALLER}`,
      },
    });
    const replaced = await call(
      'PUT',
      '/exemptions/agent',
      '',
      JSON.stringify({ controlId: 'workload.privileged', reason: 'vendor agent v2' }),
    );
    expect(replaced.status).toBe(200);
    const got = await call('GET', '/exemptions/agent');
    expect(got.json).toMatchObject({ exemption: { reason: 'vendor agent v2', match: {} } });
    expect((got.json as { exemption: object }).exemption).not.toHaveProperty('expires');
    const derived = await call('PUT', '/exemptions', '', JSON.stringify({ controlId: 'workload.host-pid', reason: 'x' }), (e) => {
      e.requestContext.authorizer = { iam: { userArn: 'arn:aws:iam::111122223333:user/alice' } };
    });
    expect(derived.status).toBe(201);
    const derivedId = (derived.json as { exemption: { id: string; by: string } }).exemption;
    expect(derivedId.by).toBe('arn:aws:iam::111122223333:user/alice');
    const again = await call('PUT', '/exemptions', '', JSON.stringify({ controlId: 'workload.host-pid', reason: 'y' }));
    expect((again.json as { exemption: { id: string } }).exemption.id).toBe(derivedId.id);
    const list = await call('GET', '/exemptions');
    expect((list.json as { items: { id: string }[] }).items.map((e) => e.id).sort()).toEqual(['agent', derivedId.id].sort());
    expect((await call('DELETE', '/exemptions/agent')).status).toBe(204);
    expect((await call('DELETE', '/exemptions/agent')).status).toBe(404);
    expect((await call('GET', '/exemptions/agent')).status).toBe(404);
  });
});

describe('API Gateway stages', () => {
  it('routes a path carrying a named stage prefix', async () => {
    const res = await call('GET', '/prod/summary', '', undefined, (e) => (e.requestContext.stage = 'prod'));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ targets: 2 });
  });
});
