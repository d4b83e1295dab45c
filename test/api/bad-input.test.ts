import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, queryDigest } from '../../shared/api/cursor.js';
import { report, result, tempStore, type TestStore } from '../store/support.js';
import { apiClient, TEST_API_SETTINGS } from './support.js';

let s: TestStore;
let call: ReturnType<typeof apiClient>;
let validCursor: string;

beforeAll(async () => {
  s = await tempStore();
  call = apiClient(s.store);
  await s.store.saveScan(
    report(
      'bad-1',
      Array.from({ length: 6 }, (_, i) => result({ name: `b${i}` })),
    ),
  );
  validCursor = ((await call('GET', '/findings', 'severity=high&limit=2')).json as { nextCursor: string }).nextCursor;
});
afterAll(async () => s?.dispose());

const error = (body: unknown) => (body as { error: string }).error;

describe('bad queries get 400 with a message naming the parameter', () => {
  it.each([
    ['severity=nonsense', /severity: 'nonsense' must be one of critical, high/],
    ['severity=', /severity: empty value/],
    ['severity=high,', /severity: empty value/],
    ['state=closed', /state: 'closed' must be one of OPEN, EXEMPTED, RESOLVED/],
    ['limit=0', /limit: must be an integer from 1 to 500/],
    ['limit=-1', /limit/],
    ['limit=abc', /limit/],
    ['limit=1e3', /limit/],
    ['limit=1.5', /limit/],
    ['limit=100000', /limit: .*got 100000/],
    ['limit=99999999999999999999', /limit/],
    ['account=123', /account: '123' must be a 12-digit AWS account id/],
    ['region=mars', /region: 'mars' must be an AWS region/],
    ['namespace=Bad_NS', /namespace/],
    ['control=workload.nope', /control: 'workload.nope' is not a control id/],
    ['serverity=high', /unknown query parameter 'serverity'/],
    ['cursor=', /cursor: empty value/],
    ['cursor=not-a-cursor', /cursor: invalid or tampered/],
    ['cursor=eyJ2IjoxfQ.AAAA', /cursor: invalid or tampered/],
    [`severity=${'x'.repeat(10_000)}`, /severity: 'x{60}…' must be one of/],
    [`severity=${Array.from({ length: 60 }, () => 'high').join(',')}`, /at most 50 values/],
  ])('GET /findings?%s', async (query, message) => {
    const res = await call('GET', '/findings', query);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(error(res.json)).toMatch(message);
  });

  it('refuses a tampered cursor and a cursor of another query', async () => {
    const [body, sig] = validCursor.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as { p: number };
    payload.p = 7;
    const forged = `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`;
    expect(error((await call('GET', '/findings', `severity=high&limit=2&cursor=${forged}`)).json)).toMatch(/tampered/);
    const flipped = `${body.slice(0, -2)}${body.endsWith('A') ? 'B' : 'A'}${body.slice(-1)}.${sig}`;
    expect((await call('GET', '/findings', `severity=high&limit=2&cursor=${flipped}`)).status).toBe(400);
    const other = await call('GET', '/findings', `severity=low&limit=2&cursor=${validCursor}`);
    expect(other.status).toBe(400);
    expect(error(other.json)).toMatch(/another query|other parameters/);
    // The same cursor with the same query (parameters in another order) is fine.
    expect((await call('GET', '/findings', `limit=2&cursor=${validCursor}&severity=high`)).status).toBe(200);
  });

  it('checks a well-signed cursor against the query partitions too (no DynamoDB error → no 500)', async () => {
    const digest = queryDigest('findings', { severity: ['high'] });
    const wrongKey = encodeCursor(
      { p: 0, k: { PK: 'x', SK: 'y', GSI2PK: 'SEVERITY#low#OPEN', GSI2SK: 'z' } },
      digest,
      TEST_API_SETTINGS.cursorKey,
    );
    const res = await call('GET', '/findings', `severity=high&cursor=${wrongKey}`);
    expect(res.status).toBe(400);
    expect(error(res.json)).toMatch(/cursor: does not belong/);
    expect(() => decodeCursor(encodeCursor({ p: 1 }, 'aaaa', TEST_API_SETTINGS.cursorKey), 'bbbb', TEST_API_SETTINGS.cursorKey)).toThrow(
      /other parameters/,
    );
  });

  it.each([
    ['GET', '/findings/not-hex', /id: a finding id is 64 hexadecimal characters, or at least its first 12/],
    ['GET', `/findings/${'a'.repeat(64)}?extra=1`, /unknown query parameter 'extra'/],
    ['GET', '/scans/has%20space', /id: a scan id/],
    ['GET', '/scans/%E0%A4%A', /malformed percent-encoding/],
    ['GET', '/exemptions/..%2Fx', /id: 1-64 characters/],
    ['GET', '/summary?severity=high', /unknown query parameter 'severity'/],
    ['GET', '/clusters?kind=pod', /kind: 'pod' must be one of cluster, registry, manifests/],
  ])('%s %s', async (method, pathAndQuery, message) => {
    const [path, query] = pathAndQuery.split('?') as [string, string | undefined];
    const res = await call(method, path, query ?? '');
    expect(res.status).toBe(400);
    expect(error(res.json)).toMatch(message);
  });

  it.each([
    ['not json', /body: not valid JSON/],
    ['[]', /body: must be a JSON object/],
    ['null', /body: must be a JSON object/],
    ['{"controlId":"workload.privileged"}', /body.reason/],
    ['{"controlId":"workload.privileged","reason":"r","match":{"pod":"x"}}', /body.match/],
    ['{"controlId":"workload.privileged","reason":"r","expires":"someday"}', /body.expires: expires must be a real calendar date/],
    ['{"controlId":"workload.privileged","reason":"r","expires":"2027-02-30"}', /body.expires: expires must be a real calendar date/],
    ['{"controlId":"workload.privileged","reason":"   "}', /body.reason: every exemption needs a reason/],
    ['{"controlId":"workload.priviledged","reason":"r"}', /body.controlId: unknown control id 'workload.priviledged'/],
    ['{"controlId":"workloads.*","reason":"r"}', /body.controlId: 'workloads.\*' matches no control id/],
    ['{"controlId":"workload.privileged","reason":"r","by":"someone-else"}', /body.by: not accepted/],
    [
      `{"controlId":"workload.privileged","reason":"r","expires":"${new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10)}"}`,
      /body.expires: .* more than 365 days ahead \(exemptions.maxDays\)/,
    ],
    ['{"controlId":"workload.privileged","reason":"r","colour":"red"}', /body/],
    ['{"id":5,"controlId":"workload.privileged","reason":"r"}', /body.id: must be a string/],
    ['{"id":"other","controlId":"workload.privileged","reason":"r"}', /differs from the id in the path/],
    [JSON.stringify({ controlId: 'workload.privileged', reason: 'x'.repeat(20_000) }), /body: larger than/],
  ])('PUT /exemptions/e1 with %s', async (body, message) => {
    const res = await call('PUT', '/exemptions/e1', '', body);
    expect(res.status).toBe(400);
    expect(error(res.json)).toMatch(message);
  });

  it('refuses exemption changes nobody vouched for (no IAM caller) with 403, and records the caller as `by`', async () => {
    const anonymous = apiClient(s.store, undefined, { caller: null });
    const body = JSON.stringify({ controlId: 'workload.privileged', reason: 'r' });
    const put = await anonymous('PUT', '/exemptions/nobody', '', body);
    expect(put.status).toBe(403);
    expect(error(put.json)).toMatch(/authenticated caller/);
    expect((await anonymous('DELETE', '/exemptions/nobody')).status).toBe(403);
    expect((await call('GET', '/exemptions/nobody')).status).toBe(404);
    const ok = await call('PUT', '/exemptions/somebody', '', body);
    expect(ok.status).toBe(201);
    expect((ok.json as { exemption: { by: string } }).exemption.by).toBe('arn:aws:iam::111122223333:user/test-admin');
    expect((await call('DELETE', '/exemptions/somebody')).status).toBe(204);
  });

  it('needs a body for PUT and reads base64 bodies', async () => {
    expect(error((await call('PUT', '/exemptions/e1')).json)).toMatch(/body: a JSON exemption is required/);
    const b64 = Buffer.from(JSON.stringify({ controlId: 'workload.privileged', reason: 'encoded' })).toString('base64');
    const res = await call('PUT', '/exemptions/e2', '', b64, (e) => (e.isBase64Encoded = true));
    expect(res.status).toBe(201);
  });
});

describe('unknown routes and methods', () => {
  it('404 for an unknown path, 405 with Allow for a wrong method', async () => {
    const nope = await call('GET', '/nope');
    expect(nope.status).toBe(404);
    expect(error(nope.json)).toMatch(/no route GET \/nope/);
    const del = await call('DELETE', '/findings');
    expect(del.status).toBe(405);
    expect(del.headers['allow']).toBe('GET');
  });
});

describe('never a 500 for bad input (fuzzed)', () => {
  const params = ['account', 'region', 'cluster', 'control', 'severity', 'state', 'namespace', 'limit', 'cursor', 'x', 'Severity'];
  it('GET /findings with arbitrary query strings answers 200 or 400, and 400 always carries an error message', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom(...params),
            fc.oneof(fc.string(), fc.constantFrom('high', 'OPEN', 'prod', '1', '500', validCursor, 'workload.privileged')),
          ),
          { maxLength: 4 },
        ),
        async (pairs) => {
          const query = new URLSearchParams(pairs).toString();
          const res = await call('GET', '/findings', query);
          expect([200, 400]).toContain(res.status);
          if (res.status === 400) expect(error(res.json)).toMatch(/\w/);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('arbitrary paths and methods never give a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'PUT', 'DELETE', 'POST', 'PATCH'),
        fc.array(fc.oneof(fc.constantFrom('findings', 'scans', 'exemptions', 'clusters', 'summary', '%', '..'), fc.string()), {
          maxLength: 3,
        }),
        fc.option(fc.string()),
        async (method, segments, body) => {
          const path = `/${segments.map((s) => s.replace(/[/?#]/g, '')).join('/')}`;
          const res = await call(method, path, '', body ?? undefined);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});
