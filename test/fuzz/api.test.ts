import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../api/support.js';
import { prod, report, result, staging, tempStore, type TestStore } from '../store/support.js';
import { fuzzOptions } from './arbitraries.js';

/**
 * The query API (the real middy handler over an embedded store) on arbitrary input for every
 * route: query strings built from every parameter name any route knows plus garbage, tampered
 * page tokens, and exemption bodies of any shape. Never a 500; a 400 always says why; nothing is
 * logged as an internal failure. (test/api/bad-input.test.ts fuzzes GET /findings and paths.)
 */
let s: TestStore;
let call: ReturnType<typeof apiClient>;
const internalErrors: string[] = [];
const cursors: Record<string, string> = {};
let findingId = '';
const SCAN = 'fuzz-scan-1';

beforeAll(async () => {
  s = await tempStore();
  call = apiClient(s.store, (m) => internalErrors.push(m));
  const results = [
    ...Array.from({ length: 5 }, (_, i) => result({ name: `p${i}` })),
    ...Array.from({ length: 4 }, (_, i) => result({ name: `s${i}`, target: staging, severity: 'critical' })),
  ];
  await s.store.saveScan(report(SCAN, results, { targets: [prod, staging] }));
  const first = (await call('GET', '/findings', 'limit=2')).json as { items: { findingId: string }[]; nextCursor: string };
  findingId = first.items[0]!.findingId;
  cursors['/findings'] = first.nextCursor;
  cursors['/clusters'] = ((await call('GET', '/clusters', 'limit=1')).json as { nextCursor: string }).nextCursor;
  cursors[`/scans/${SCAN}`] = ((await call('GET', `/scans/${SCAN}`, 'limit=1')).json as { nextCursor?: string }).nextCursor ?? '';
});
afterAll(async () => s?.dispose());

const PARAMS = [
  'account',
  'region',
  'cluster',
  'control',
  'severity',
  'state',
  'namespace',
  'kind',
  'limit',
  'cursor',
  'id',
  'Account',
  'limit ',
  '',
];
const GOOD = [
  '111122223333',
  '444455556666',
  'eu-west-1',
  'US-EAST-1',
  'prod',
  'staging',
  'workload.privileged',
  'WORKLOAD.PRIVILEGED',
  'high',
  'Critical',
  'open',
  'EXEMPTED',
  'shop',
  'cluster',
  'registry',
  '1',
  '500',
  '501',
  '0',
];
const value = fc.oneof(
  fc.constantFrom(...GOOD),
  fc.array(fc.constantFrom(...GOOD, ''), { minLength: 2, maxLength: 4 }).map((v) => v.join(',')),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.constantFrom(
    '%',
    '%zz',
    '\u0000',
    '\u202e',
    'a'.repeat(300),
    Array.from({ length: 60 }, () => 'high').join(','),
    '1e3',
    '-1',
    ' 5 ',
    '0x10',
  ),
);
const query = fc.array(fc.tuple(fc.constantFrom(...PARAMS), value), { maxLength: 4 }).map((pairs) => new URLSearchParams(pairs).toString());
const ROUTES = [
  '/findings',
  '/clusters',
  '/summary',
  '/exemptions',
  `/scans/${SCAN}`,
  '/scans/nope',
  '/findings/FINDING',
  '/findings/' + 'f'.repeat(64),
  '/exemptions/e-1',
  '/summary/',
  '/clusters/',
];

function checkAnswer(res: { status: number; json: unknown }, allowed: readonly number[]): void {
  expect(allowed).toContain(res.status);
  if (res.status >= 400) expect((res.json as { error?: unknown }).error).toMatch(/\S/);
  expect(internalErrors).toEqual([]);
}

describe('API fuzzing (every route)', () => {
  it('answers any query string on any GET route with 200, 400 or 404 — never 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), query, async (route, q) => {
        const path = route.replace('FINDING', findingId);
        const res = await call('GET', path, q);
        checkAnswer(res, [200, 400, 404]);
        if (res.status === 200 && ['/findings', '/clusters'].includes(path))
          expect(Array.isArray((res.json as { items: unknown }).items)).toBe(true);
      }),
      fuzzOptions(250),
    );
  });

  it('refuses every tampered page token with 400 and accepts only the one it issued', async () => {
    const routes = Object.entries(cursors).filter(([, c]) => c !== '');
    expect(routes.length).toBeGreaterThanOrEqual(2);
    const tamper = fc.tuple(
      fc.nat(),
      fc.nat(200),
      fc.string({ maxLength: 4 }),
      fc.constantFrom('flip', 'cut', 'insert', 'swap-route', 'upper'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), tamper, async ([route, cursor], [at, cut, insert, how]) => {
        const i = at % cursor.length;
        const tampered =
          how === 'flip'
            ? cursor.slice(0, i) + (cursor[i] === 'A' ? 'B' : 'A') + cursor.slice(i + 1)
            : how === 'cut'
              ? cursor.slice(0, i) + cursor.slice(i + 1 + (cut % 5))
              : how === 'insert'
                ? cursor.slice(0, i) + insert + cursor.slice(i)
                : how === 'upper'
                  ? cursor.toUpperCase()
                  : routes.find(([r]) => r !== route)![1];
        const res = await call(
          'GET',
          route,
          new URLSearchParams({ cursor: tampered, limit: route === '/findings' ? '2' : '1' }).toString(),
        );
        checkAnswer(res, tampered === cursor ? [200] : [400]);
      }),
      fuzzOptions(200),
    );
  });

  it('answers exemption bodies of any shape with 200, 201 or 400, and stores only valid exemptions', async () => {
    const field = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
    );
    const body = fc.oneof(
      fc
        .record(
          {
            controlId: fc.oneof(fc.constantFrom('workload.privileged', 'workload.*', 'nope', ''), field),
            match: fc.oneof(
              fc.record(
                {
                  cluster: fc.oneof(fc.constantFrom('prod', '*'), field),
                  namespace: fc.oneof(fc.constant('shop'), field),
                  kind: field,
                  extra: field,
                },
                { requiredKeys: [] },
              ),
              field,
            ),
            reason: fc.oneof(fc.constantFrom('accepted risk', ''), field),
            expires: fc.oneof(fc.constantFrom('2027-01-01', '2027-01-01T00:00:00Z', 'tomorrow', '2027-02-30'), field),
            id: fc.oneof(fc.constantFrom('e-1', 'E 1', '../x', 'a'.repeat(200)), field),
            by: field,
          },
          { requiredKeys: [] },
        )
        .map((o) => JSON.stringify(o)),
      fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/exemptions', '/exemptions/e-1', '/exemptions/%E0%A4%A', '/exemptions/x%2Fy'),
        body,
        async (path, text) => {
          const res = await call('PUT', path, '', text);
          checkAnswer(res, [200, 201, 400]);
        },
      ),
      fuzzOptions(200),
    );
    const list = await call('GET', '/exemptions');
    checkAnswer(list, [200]);
    for (const e of (list.json as { items: { controlId: unknown; reason: unknown; match: unknown }[] }).items) {
      expect(typeof e.controlId).toBe('string');
      expect(typeof e.reason).toBe('string');
      expect(e.match !== null && typeof e.match === 'object').toBe(true);
    }
  });
});
