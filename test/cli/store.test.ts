import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listFindings } from '../../cli/commands/findings.js';
import { scanSources } from '../../cli/commands/scan.js';
import { startApiServer, type RunningServer } from '../../cli/commands/serve.js';
import { saveReport, storedExemptions } from '../../cli/sources/store.js';
import { TEST_API_SETTINGS } from '../api/support.js';
import { report, result, tempStore, type TestStore } from '../store/support.js';
import { agentDeployment } from '../support/cli.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

const TOKEN = 'hl_test-token-of-this-store-0123456789';
let s: TestStore;
let server: RunningServer;
beforeAll(async () => {
  s = await tempStore();
  const results = [
    ...Array.from({ length: 12 }, (_, i) => result({ name: `hi${i}`, severity: 'high' })),
    result({ name: 'crit', severity: 'critical' }),
    result({ name: 'med', severity: 'medium' }),
  ];
  await s.store.saveScan(report('cli-1', results));
  server = await startApiServer(s.store, { port: 0, access: { token: TOKEN, caller: 'local:tester' }, settings: TEST_API_SETTINGS });
});
afterAll(async () => {
  await server?.close();
  await s?.dispose();
});

describe('hardline serve (the API handler over node:http)', () => {
  it('answers GET /findings?severity=high&state=OPEN with correct, paginated results over real HTTP', async () => {
    const names: string[] = [];
    let url = `${server.url}/findings?severity=high&state=OPEN&limit=5`;
    let pages = 0;
    for (;;) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const body = (await res.json()) as { items: { resource: { name: string }; severity: string; state: string }[]; nextCursor?: string };
      expect(body.items.every((f) => f.severity === 'high' && f.state === 'OPEN')).toBe(true);
      names.push(...body.items.map((f) => f.resource.name));
      pages++;
      if (!body.nextCursor) break;
      url = `${server.url}/findings?severity=high&state=OPEN&limit=5&cursor=${encodeURIComponent(body.nextCursor)}`;
    }
    expect(pages).toBe(3);
    expect(names.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `hi${i}`).sort());
  });

  it('answers GET /findings?severity=nonsense with 400 and a JSON error', async () => {
    const res = await fetch(`${server.url}/findings?severity=nonsense`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: expect.stringMatching(/^severity: 'nonsense' must be one of/) });
  });

  it('serves PUT/DELETE with bodies, 404s and refuses oversized bodies', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const put = await fetch(`${server.url}/exemptions/http-test`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ controlId: 'workload.privileged', reason: 'over http' }),
    });
    expect(put.status).toBe(201);
    expect(((await put.json()) as { exemption: { by: string } }).exemption.by).toBe('local:tester');
    expect((await fetch(`${server.url}/exemptions/http-test`, { method: 'DELETE', headers: auth })).status).toBe(204);
    expect((await fetch(`${server.url}/nowhere`)).status).toBe(404);
    const big = await fetch(`${server.url}/exemptions/x`, { method: 'PUT', headers: auth, body: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
  });

  it('runs as the real `hardline serve` command and stops cleanly on SIGINT, releasing the store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hardline-serve-'));
    try {
      expect(await saveReport(report('serve-1', [result({ name: 'x', severity: 'high' })]), { env: { HARDLINE_STORE_DIR: dir } })).toMatch(
        /saved scan serve-1/,
      );
      const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'serve', '--port', '0'], {
        cwd: REPO,
        env: { ...process.env, HARDLINE_STORE_DIR: dir, HARDLINE_TABLE: '' },
      });
      let stderr = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          const m = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
          if (m) resolve(m[1]!);
        });
        child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
      });
      const ok = await fetch(`${url}/findings?severity=high&state=OPEN`);
      expect(((await ok.json()) as { count: number }).count).toBe(1);
      expect((await fetch(`${url}/findings?severity=nonsense`)).status).toBe(400);
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stderr).toMatch(/stopped/);
      expect(existsSync(join(dir, 'owner.json'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--save, findings and stored exemptions', () => {
  it('saveReport says where it saved, what changed and how to query', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hardline-save-'));
    try {
      const first = await saveReport(report('save-1', [result({ name: 'a' }), result({ name: 'b' })]), {
        env: { HARDLINE_STORE_DIR: dir },
        cwd: tmpdir(),
      });
      expect(first).toBe(
        `saved scan save-1 to the embedded store in ${basename(dir)} (2 new, 0 resolved, 0 unchanged); query it with \`hardline findings --severity high\` or \`hardline serve\``,
      );
      const second = await saveReport(report('save-2', [result({ name: 'a' }), result({ name: 'b', status: 'PASS' })]), {
        env: { HARDLINE_STORE_DIR: dir },
        cwd: dir,
      });
      expect(second).toMatch(/0 new, 1 resolved, 1 unchanged/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hardline findings lists with filters, pages and validates flags like the API', async () => {
    const env = { HARDLINE_STORE_DIR: s.dir };
    const table = await listFindings({ severity: 'HIGH', state: 'open', limit: '5', format: 'table' }, { env });
    expect(table.count).toBe(5);
    expect(table.text).toMatch(/SEVERITY +STATE +CONTROL/);
    expect(table.text).toMatch(/more: add --cursor \S+ \(or --all\)/);
    const every = await listFindings({ severity: 'high', limit: '5', all: true, format: 'json' }, { env });
    expect(JSON.parse(every.text)).toMatchObject({ count: 12 });
    await expect(listFindings({ severity: 'nonsense', limit: '50', format: 'table' }, { env })).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/--severity: 'nonsense'/),
    });
    await expect(
      listFindings({ limit: '50', format: 'table' }, { env: { HARDLINE_STORE_DIR: join(s.dir, 'missing') } }),
    ).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/no findings store yet/) });
  });

  it('applies exemptions stored through the API on the next scan, and a scan without a store starts no database', async () => {
    const manifests = mkdtempSync(join(tmpdir(), 'hardline-manifests-'));
    writeFileSync(join(manifests, 'agent.yaml'), agentDeployment(true));
    try {
      vi.stubEnv('HARDLINE_STORE_DIR', join(manifests, 'no-store-here'));
      expect(await storedExemptions()).toEqual({ exemptions: [] });
      expect(existsSync(join(manifests, 'no-store-here'))).toBe(false);

      vi.stubEnv('HARDLINE_STORE_DIR', s.dir);
      const flags = { framework: 'all', failOn: 'low', controls: 'workload.privileged' };
      const before = await scanSources([manifests], flags);
      const fail = before.report.results.toArray().find((r) => r.controlId === 'workload.privileged' && r.status === 'FAIL')!;
      expect(fail.exempted).toBeUndefined();
      await s.store.putExemption('ops-agent', {
        controlId: 'workload.privileged',
        match: { namespace: 'ops', name: 'agent' },
        reason: 'node agent needs it',
        by: 'secops',
      });
      const after = await scanSources([manifests], flags);
      const exempted = after.report.results.toArray().find((r) => r.controlId === 'workload.privileged' && r.status === 'FAIL')!;
      expect(exempted.exempted).toEqual({ by: 'secops', reason: 'node agent needs it', source: 'store:secops' });
      // Saved, it is stored as EXEMPTED, not dropped.
      expect(await saveReport(after.report, { env: { HARDLINE_STORE_DIR: s.dir } })).toMatch(/1 exempted/);
      await s.store.deleteExemption('ops-agent');
      expect((await storedExemptions()).exemptions).toEqual([]);
    } finally {
      vi.unstubAllEnvs();
      rmSync(manifests, { recursive: true, force: true });
    }
  });
});
