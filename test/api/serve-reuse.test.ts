import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseReuse } from '../../cli/commands/serve-reuse.js';
import { startApiServer, type RunningServer } from '../../cli/commands/serve.js';
import type { ApiResult } from '../../shared/api/http.js';
import { openStore, type OpenedStore } from '../../shared/store/open.js';
import { prod, report, result, tempStore, type TestStore } from '../store/support.js';
import { TEST_API_SETTINGS } from './support.js';

describe('ResponseReuse', () => {
  const counts = { started: 0, finished: 0 };
  let clock = 0;
  let computed = 0;
  const ok =
    (body: string): (() => Promise<ApiResult>) =>
    async () => (computed++, { statusCode: 200, body });
  const fresh = () =>
    new ResponseReuse(
      () => ({ ...counts }),
      3,
      2_000,
      () => clock,
    );

  it('reuses an answer until a write starts, and never keeps one computed while a write was in flight', async () => {
    const reuse = fresh();
    computed = 0;
    expect((await reuse.answer('/a', ok('1'))).body).toBe('1');
    expect((await reuse.answer('/a', ok('2'))).body).toBe('1');
    expect(computed).toBe(1);
    counts.started++; // a write arrives
    expect((await reuse.answer('/a', ok('3'))).body).toBe('3'); // computed, not kept: the write may be half applied
    expect((await reuse.answer('/a', ok('4'))).body).toBe('4');
    counts.finished++;
    expect((await reuse.answer('/a', ok('5'))).body).toBe('5');
    expect((await reuse.answer('/a', ok('6'))).body).toBe('5');
    expect(computed).toBe(4);
  });

  it('shares one computation among identical requests that arrive while it runs', async () => {
    const reuse = fresh();
    computed = 0;
    let finish!: (r: ApiResult) => void;
    const slow = () => (computed++, new Promise<ApiResult>((r) => (finish = r)));
    const answers = [reuse.answer('/b', slow), reuse.answer('/b', slow), reuse.answer('/b', slow)];
    finish({ statusCode: 200, body: 'shared' });
    expect((await Promise.all(answers)).map((a) => a.body)).toEqual(['shared', 'shared', 'shared']);
    expect(computed).toBe(1);
  });

  it('drops an answer when a write started while it was computed, a non-200 answer, an old one, and the least recently used', async () => {
    const reuse = fresh();
    computed = 0;
    await reuse.answer('/c', async () => {
      counts.started++;
      counts.finished++;
      return { statusCode: 200, body: 'during a write' };
    });
    expect((await reuse.answer('/c', ok('after'))).body).toBe('after');
    await reuse.answer('/e', async () => ({ statusCode: 400, body: 'bad' }));
    expect((await reuse.answer('/e', ok('good'))).body).toBe('good');
    clock += 2_001;
    expect((await reuse.answer('/c', ok('later'))).body).toBe('later');
    for (const k of ['/x', '/y', '/z']) await reuse.answer(k, ok(k));
    expect((await reuse.answer('/c', ok('evicted'))).body).toBe('evicted'); // /c was the least recently used of 4
  });
});

describe('hardline serve reuses answers while the store is unchanged', () => {
  let s: TestStore;
  let writer: OpenedStore;
  let server: RunningServer;
  let queries = 0;
  const t = { ...prod, name: 'reused' };

  beforeAll(async () => {
    s = await tempStore();
    await s.store.saveScan(report('r-1', [result({ name: 'a', target: t })], { targets: [t] }));
    s.raw.middlewareStack.add(
      (next, context) => async (args) => {
        if ((context as { commandName?: string }).commandName === 'QueryCommand') queries++;
        return next(args);
      },
      { step: 'initialize', name: 'testQueries' },
    );
    // Another process's client: its writes reach the store through this process's server.
    writer = await openStore({ env: { HARDLINE_STORE_DIR: s.dir } });
    server = await startApiServer(s.store, {
      port: 0,
      access: { token: 'hl_reuse-test-token-0123456789abcdef', caller: 'local:test' },
      settings: TEST_API_SETTINGS,
      writeCounts: s.writeCounts!,
    });
  });
  afterAll(async () => {
    await server?.close();
    await writer?.close();
    await s?.dispose();
  });

  const names = async () =>
    ((await (await fetch(`${server.url}/findings?cluster=reused`)).json()) as { items: { resource: { name: string } }[] }).items
      .map((f) => f.resource.name)
      .sort();

  it('answers a repeated GET without asking the store again, and sees a write made by another client at once', async () => {
    expect(await names()).toEqual(['a']);
    const before = queries;
    expect(await names()).toEqual(['a']);
    expect(queries).toBe(before);
    await writer.store.saveScan(report('r-2', [result({ name: 'a', target: t }), result({ name: 'b', target: t })], { targets: [t] }));
    expect(await names()).toEqual(['a', 'b']);
    expect(queries).toBeGreaterThan(before);
  });
});
