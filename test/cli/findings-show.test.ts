import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FindingWithHistory } from '../../shared/store/query.js';
import { runMainInProcess } from '../support/cli-async.js';
import { agentDeployment } from '../support/cli.js';

/** A finding's life through the real CLI and the embedded store: opened, exempted from a file, resolved. */
describe('hardline findings show ID', () => {
  let dir: string;
  let env: Record<string, string | undefined>;
  const scanIds: string[] = [];
  let shortId: string;
  let exemptionsFile: string;
  let openTable: string;

  const save = async (...extra: string[]) => {
    const r = await runMainInProcess(['scan', join(dir, 'k8s'), '--save', '--controls', 'workload.privileged', ...extra], env);
    const id = /saved scan (\S+) /.exec(r.stderr)?.[1];
    expect(id, r.stderr).toBeDefined();
    scanIds.push(id!);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hl-show-'));
    env = { HARDLINE_STORE_DIR: join(dir, 'store'), HARDLINE_TABLE: undefined };
    const k8s = join(dir, 'k8s');
    await import('node:fs').then((fs) => fs.mkdirSync(k8s));
    writeFileSync(join(k8s, 'agent.yaml'), agentDeployment(true));
    exemptionsFile = join(dir, 'exemptions.yaml');
    writeFileSync(
      exemptionsFile,
      '- controlId: workload.privileged\n  match: { namespace: ops }\n  reason: node agent needs the host\n  by: alice@example.com\n',
    );
    await save();
    const list = await runMainInProcess(['findings', '--format', 'json'], env);
    const items = (JSON.parse(list.stdout) as { items: { findingId: string }[] }).items;
    expect(items).toHaveLength(1);
    shortId = items[0]!.findingId.slice(0, 12);
    openTable = (await runMainInProcess(['findings'], env)).stdout;
    await save('--exemptions', exemptionsFile);
  });

  it('the table names the exemption source in EXEMPTED BY; without exempted rows there is no such column', async () => {
    const exempted = await runMainInProcess(['findings', '--state', 'exempted'], env);
    expect(exempted.code).toBe(0);
    const [head, row] = exempted.stdout.split('\n');
    expect(head).toMatch(/ID\s+EXEMPTED BY$/);
    expect(row).toMatch(new RegExp(`${shortId}\\s+file:${exemptionsFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`));
    expect(openTable.split('\n')[0]).toMatch(/MESSAGE\s+ID$/);
    expect(openTable).toContain(shortId);
  });

  it('shows details, evidence, the exemption with its source, and every state change with scan ids and times', async () => {
    const r = await runMainInProcess(['findings', 'show', shortId], env);
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(new RegExp(`^${shortId}[0-9a-f]{52}  CRITICAL EXEMPTED \\(FAIL\\)`));
    expect(out).toContain('control:    workload.privileged');
    expect(out).toContain('resource:   apps/v1 Deployment/ops/agent container agent');
    expect(out).toMatch(/evidence:\n\s+field: .*privileged/);
    expect(out).toContain('exempted:   node agent needs the host');
    expect(out).toContain(`by alice@example.com, source file:${exemptionsFile}, no expiry`);
    expect(out).toMatch(new RegExp(`v1  \\S+Z  OPENED\\s+OPEN  FAIL  scan ${scanIds[0]}`));
    expect(out).toMatch(new RegExp(`v2  \\S+Z  EXEMPTED\\s+OPEN → EXEMPTED  FAIL  scan ${scanIds[1]}  \\(node agent needs the host\\)`));
  });

  it('--format json is the GET /findings/{id} answer; a resolved finding shows its resolution in the history', async () => {
    writeFileSync(join(dir, 'k8s', 'agent.yaml'), agentDeployment(false));
    await save('--exemptions', exemptionsFile);
    const r = await runMainInProcess(['findings', 'show', shortId, '--format', 'json'], env);
    expect(r.code, r.stderr).toBe(0);
    const found = JSON.parse(r.stdout) as FindingWithHistory;
    expect(found.finding.state).toBe('RESOLVED');
    expect(found.history.map((h) => [h.event, h.scanId])).toEqual([
      ['OPENED', scanIds[0]],
      ['EXEMPTED', scanIds[1]],
      ['RESOLVED', scanIds[2]],
    ]);
    const text = (await runMainInProcess(['findings', 'show', shortId], env)).stdout;
    expect(text).toMatch(/resolved: {3}\S+Z/);
    expect(text).toContain('history (3 changes):');
  });

  it('a bad, unknown or missing id is a usage error (exit 2)', async () => {
    for (const [args, message] of [
      [['findings', 'show', 'zz'], /a finding id is 64 hexadecimal characters/],
      [['findings', 'show', 'ffffffffffff'], /no finding ffffffffffff/],
      [['findings', 'show'], /missing required argument 'id'/],
      [['findings', 'show', shortId, '--format', 'xml'], /--format must be table or json/],
    ] as const) {
      const r = await runMainInProcess(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
