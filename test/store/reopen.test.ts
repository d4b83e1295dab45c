import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { report, result, tempStore, type TestStore } from './support.js';

const CHILD = fileURLToPath(new URL('./child-open.ts', import.meta.url));

function runChild(dir: string, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // process.execPath is the project's Node 22 (vitest runs under it); tsx loads the TypeScript.
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
      env: { ...process.env, HARDLINE_STORE_DIR: dir, HARDLINE_TABLE: '' },
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let open: TestStore | undefined;
afterEach(async () => {
  await open?.dispose();
  open = undefined;
});

describe('embedded store persistence', () => {
  it('keeps every finding, history entry, exemption and target across a restart', async () => {
    open = await tempStore();
    const results = Array.from({ length: 40 }, (_, i) => result({ name: `p${i}`, severity: i % 2 ? 'high' : 'low' }));
    await open.store.saveScan(report('persist-1', results));
    await open.store.saveScan(report('persist-2', results.slice(0, 30)));
    await open.store.putExemption('keep-me', {
      controlId: 'workload.host-pid',
      match: { namespace: 'shop' },
      reason: 'kept across restarts',
    });
    const before = (await open.store.findings({}, { limit: 500 })).items;
    const summaryBefore = await open.store.summary();
    const someId = before.find((f) => f.state === 'RESOLVED')!.findingId;
    const historyBefore = (await open.store.finding(someId))!.history;

    open = await open.reopen(); // server and LevelDB closed, started again on the same directory
    const after = (await open.store.findings({}, { limit: 500 })).items;
    expect(after).toEqual(before);
    expect(after.filter((f) => f.state === 'RESOLVED')).toHaveLength(10);
    expect(await open.store.summary()).toEqual(summaryBefore);
    expect((await open.store.finding(someId))!.history).toEqual(historyBefore);
    expect((await open.store.exemptions()).map((e) => e.id)).toEqual(['keep-me']);
    expect((await open.store.scan('persist-2'))?.status).toBe('COMPLETED');
    // And the lifecycle carries on from the stored state: the resolved ten come back as REOPENED.
    const out = await open.store.saveScan(report('persist-3', results));
    expect(out.changes).toMatchObject({ reopened: 10, opened: 0, unchanged: 30 });
  });

  it('lets a second process use a store another process has open (through its endpoint), then releases the lock', async () => {
    open = await tempStore();
    await open.store.saveScan(report('shared-1', [result({ name: 'one' }), result({ name: 'two' })]));
    const owner = JSON.parse(readFileSync(join(open.dir, 'owner.json'), 'utf8')) as { pid: number; endpoint: string };
    expect(owner.pid).toBe(process.pid);
    const child = await runChild(open.dir, ['--exempt']);
    expect(child.stderr).not.toMatch(/Error/);
    expect(child.code).toBe(0);
    expect(JSON.parse(child.stdout)).toMatchObject({ count: 2 });
    // The exemption the other process wrote is in this process's store.
    expect((await open.store.exemptions()).map((e) => e.id)).toEqual(['from-child']);
    const dir = open.dir;
    await open.close();
    expect(existsSync(join(dir, 'owner.json'))).toBe(false);
    // With no owner the child opens the files itself.
    const alone = await runChild(dir);
    expect(alone.code).toBe(0);
    expect(JSON.parse(alone.stdout)).toMatchObject({ count: 2 });
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes over a lock left by a process that died', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hardline-stale-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      join(dir, 'owner.json'),
      JSON.stringify({ pid: 2 ** 22 + 12_345, endpoint: 'http://127.0.0.1:1', startedAt: '2026-01-01T00:00:00Z' }),
    );
    open = await tempStore(dir);
    await open.store.saveScan(report('stale-1', [result({ name: 'x' })]));
    expect(JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8')).pid).toBe(process.pid);
  });
});
