import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingKeys } from '../../shared/store/keys.js';
import { report, result, tempStore, type TestStore } from '../store/support.js';
import { runMainInProcess } from '../support/cli-async.js';
import { apiClient } from './support.js';

/** Two findings whose ids share their first 12 characters (sha256 ids never do by chance; these are planted). */
const TWIN_PREFIX = 'ab12cd34ef56';
const twins = [`${TWIN_PREFIX}${'0'.repeat(52)}`, `${TWIN_PREFIX}${'1'.repeat(52)}`];

let s: TestStore;
let call: ReturnType<typeof apiClient>;
let ids: string[];
const commands: { name: string; index?: string }[] = [];

beforeAll(async () => {
  s = await tempStore();
  call = apiClient(s.store);
  await s.store.saveScan(
    report(
      'short-1',
      ['alpha', 'beta', 'gamma'].map((name) => result({ name, severity: 'high' })),
    ),
  );
  ids = ((await call('GET', '/findings', 'limit=10')).json as { items: { findingId: string }[] }).items.map((f) => f.findingId);
  for (const [i, findingId] of twins.entries()) {
    const keys = findingKeys({
      findingId,
      controlId: 'workload.privileged',
      severity: 'low',
      state: 'OPEN',
      targetId: 'planted',
      cluster: 'prod',
    });
    const r = result({ name: `twin-${i}`, severity: 'low' });
    await s.store.ctx.doc.send(
      new PutCommand({
        TableName: s.store.ctx.table,
        Item: {
          ...keys,
          entity: 'finding',
          findingId,
          ...r,
          state: 'OPEN',
          firstSeen: '2026-11-01T00:00:00Z',
          lastSeen: '2026-11-01T00:00:00Z',
          scanId: 'planted',
          version: 1,
        },
      }),
    );
  }
  s.raw.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push({
        name: (context as { commandName?: string }).commandName ?? '',
        index: (args.input as { IndexName?: string }).IndexName,
      });
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
});
afterAll(async () => s?.dispose());

describe('GET /findings/{id} with the short ids tables print', () => {
  it('answers the 12-character short id (any case) with the full finding, like the full id', async () => {
    const id = ids[0]!;
    commands.length = 0;
    const short = await call('GET', `/findings/${id.slice(0, 12).toUpperCase()}`);
    expect(short.status).toBe(200);
    expect((short.json as { finding: { findingId: string } }).finding.findingId).toBe(id);
    // An index query on the id prefix, never a Scan of the table.
    expect(commands.map((c) => c.name)).not.toContain('ScanCommand');
    expect(commands).toContainEqual({ name: 'QueryCommand', index: 'byScan' });
    expect((await call('GET', `/findings/${id}`)).json).toEqual(short.json);
  });

  it('an ambiguous prefix is 400 listing the candidates; an unknown one 404; fewer than 12 characters 400', async () => {
    const ambiguous = await call('GET', `/findings/${TWIN_PREFIX}`);
    expect(ambiguous.status).toBe(400);
    const message = (ambiguous.json as { error: string }).error;
    expect(message).toMatch(/ambiguous/);
    for (const twin of twins) expect(message).toContain(twin);
    expect((await call('GET', `/findings/${TWIN_PREFIX}1`)).status).toBe(200);
    expect((await call('GET', '/findings/ffffffffffff')).status).toBe(404);
    expect((await call('GET', `/findings/${ids[0]!.slice(0, 11)}`)).status).toBe(400);
  });
});

describe('hardline findings ID', () => {
  const env = () => ({ HARDLINE_STORE_DIR: s.dir, HARDLINE_TABLE: undefined });

  it('shows one finding by its short id (table and json)', async () => {
    const id = ids[1]!;
    const table = await runMainInProcess(['findings', id.slice(0, 12)], env());
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(id);
    expect(table.stdout).toMatch(/history \(1 change\):\n\s+v1 .* OPENED/);
    const json = await runMainInProcess(['findings', id.slice(0, 12), '--format', 'json'], env());
    expect((JSON.parse(json.stdout) as { finding: { findingId: string } }).finding.findingId).toBe(id);
  });

  it('an ambiguous short id is exit 2 listing the candidates; an unknown one and mixing with filters too', async () => {
    const ambiguous = await runMainInProcess(['findings', TWIN_PREFIX], env());
    expect(ambiguous.code).toBe(2);
    for (const twin of twins) expect(ambiguous.stderr).toContain(twin);
    const unknown = await runMainInProcess(['findings', 'ffffffffffff'], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no finding ffffffffffff/);
    const mixed = await runMainInProcess(['findings', ids[0]!.slice(0, 12), '--severity', 'high'], env());
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/drop --severity/);
  });

  it('the table prints the 12-character ids it accepts', async () => {
    const list = await runMainInProcess(['findings', '--severity', 'high'], env());
    for (const id of ids) expect(list.stdout).toContain(id.slice(0, 12));
  });
});
