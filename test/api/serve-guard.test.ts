import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostMatches } from '../../cli/commands/serve-guard.js';
import { startApiServer, type RunningServer } from '../../cli/commands/serve.js';
import { localStoreSecrets } from '../../cli/sources/store-secrets.js';
import { saveReport } from '../../cli/sources/store.js';
import { storeLocation } from '../../shared/store/location.js';
import { report, result, tempStore, type TestStore } from '../store/support.js';
import { REPO_ROOT } from '../support/paths.js';
import { TEST_API_SETTINGS } from './support.js';

const TOKEN = 'hl_guard-test-token-0123456789abcdef';
let s: TestStore;
let server: RunningServer;
let port: number;

beforeAll(async () => {
  s = await tempStore();
  await s.store.saveScan(report('guard-1', [result({ name: 'a', severity: 'high' })]));
  server = await startApiServer(s.store, { port: 0, access: { token: TOKEN, caller: 'local:alice' }, settings: TEST_API_SETTINGS });
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server?.close();
  await s?.dispose();
});

/** A raw HTTP request with any Host header (fetch does not let a caller set Host, a browser page under DNS rebinding sends its own). */
function call(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; json: { error?: string; exemption?: { by: string } } | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, setHost: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as { error?: string }) : undefined }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const exemption = JSON.stringify({ controlId: 'workload.privileged', reason: 'agent', match: { namespace: 'ops' } });

describe('hardline serve refuses requests for another Host (DNS rebinding)', () => {
  it('answers the bound address and localhost on its port', async () => {
    expect((await call('GET', '/summary', { host: `127.0.0.1:${port}` })).status).toBe(200);
    expect((await call('GET', '/summary', { host: `localhost:${port}` })).status).toBe(200);
  });

  it.each([
    ['attacker.example'],
    ['attacker.example:PORT'],
    ['127.0.0.1:OTHER'],
    ['127.0.0.1.attacker.example:PORT'],
    ['user@127.0.0.1:PORT'],
  ])('Host %s → 421 with a message', async (pattern) => {
    const host = pattern.replace('OTHER', String(port + 1)).replace('PORT', String(port));
    const res = await call('GET', '/findings', { host });
    expect(res.status).toBe(421);
    expect(res.json?.error).toMatch(/is not this server \(127\.0\.0\.1:\d+\)/);
  });

  it('no Host header at all is refused (node answers 400 for HTTP/1.1 before the API is reached)', async () => {
    expect([400, 421]).toContain((await call('GET', '/findings', {})).status);
  });

  it('a write through a rebound name is refused before the token is even looked at', async () => {
    const res = await call('PUT', '/exemptions/rebound', { host: `attacker.example:${port}`, authorization: `Bearer ${TOKEN}` }, exemption);
    expect(res.status).toBe(421);
    expect(await s.store.exemption('rebound')).toBeUndefined();
  });

  it('the rule per bound address: loopback names, the exact address, or IP literals when bound to every interface', () => {
    expect(hostMatches('[::1]:8787', '::1', 8787)).toBe(true);
    expect(hostMatches('127.0.0.1:8787', '::1', 8787)).toBe(false);
    expect(hostMatches('10.0.0.5:8787', '10.0.0.5', 8787)).toBe(true);
    expect(hostMatches('build-host:8787', '10.0.0.5', 8787)).toBe(false);
    expect(hostMatches('10.0.0.5:8787', '0.0.0.0', 8787)).toBe(true);
    expect(hostMatches('[fd00::1]:8787', '::', 8787)).toBe(true);
    expect(hostMatches('evil.example:8787', '0.0.0.0', 8787)).toBe(false);
    expect(hostMatches('127.0.0.1', '127.0.0.1', 80)).toBe(true);
  });
});

describe('hardline serve needs the store token for changes', () => {
  const host = () => ({ host: `127.0.0.1:${port}` });

  it('a PUT without the token is 401 and changes nothing; reads stay open on loopback', async () => {
    const res = await call('PUT', '/exemptions/no-token', host(), exemption);
    expect(res.status).toBe(401);
    expect(res.json?.error).toMatch(/need Authorization: Bearer <token>/);
    expect(await s.store.exemption('no-token')).toBeUndefined();
    expect((await call('GET', '/exemptions', host())).status).toBe(200);
  });

  it('a wrong token is 401, for reads too', async () => {
    expect((await call('PUT', '/exemptions/wrong', { ...host(), authorization: 'Bearer hl_guess' }, exemption)).status).toBe(401);
    expect((await call('GET', '/findings', { ...host(), authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect(await s.store.exemption('wrong')).toBeUndefined();
  });

  it('with the token the change is made and recorded as made by the local user (the body cannot say otherwise)', async () => {
    const auth = { ...host(), authorization: `Bearer ${TOKEN}` };
    const put = await call('PUT', '/exemptions/with-token', auth, exemption);
    expect(put.status).toBe(201);
    expect(put.json?.exemption?.by).toBe('local:alice');
    const spoof = await call(
      'PUT',
      '/exemptions/with-token',
      auth,
      JSON.stringify({ controlId: 'workload.privileged', reason: 'r', by: 'arn:aws:iam::1:user/ceo' }),
    );
    expect(spoof.status).toBe(400);
    expect((await s.store.exemptionsForScan()).find((e) => e.by === 'local:alice')?.source).toBe('store:local:alice');
    expect((await call('DELETE', '/exemptions/with-token', host())).status).toBe(401);
    expect((await call('DELETE', '/exemptions/with-token', auth)).status).toBe(204);
  });
});

describe('the store secrets', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'hardline-secrets-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are random per store, made once, kept beside the store with mode 0600', () => {
    const loc = storeLocation({ HARDLINE_STORE_DIR: join(dir, 'a') }, dir);
    const first = localStoreSecrets(loc, dir);
    const again = localStoreSecrets(loc, dir);
    const other = localStoreSecrets(storeLocation({ HARDLINE_STORE_DIR: join(dir, 'b') }, dir), dir);
    expect(again.token).toBe(first.token);
    expect(again.cursorKey.equals(first.cursorKey)).toBe(true);
    expect(other.token).not.toBe(first.token);
    expect(other.cursorKey.equals(first.cursorKey)).toBe(false);
    expect(first.cursorKey.length).toBe(32);
    expect(first.tokenFile).toBe(join(dir, 'a', 'serve-token'));
    for (const f of ['serve-token', 'cursor-key']) expect(statSync(join(dir, 'a', f)).mode & 0o777).toBe(0o600);
    expect(readFileSync(first.tokenFile, 'utf8').trim()).toBe(first.token);
  });

  it('a token file others can read is made private again, with a warning', () => {
    const loc = storeLocation({ HARDLINE_STORE_DIR: join(dir, 'c') }, dir);
    const { tokenFile } = localStoreSecrets(loc, dir);
    chmodSync(tokenFile, 0o644);
    const { warnings } = localStoreSecrets(loc, dir);
    expect(warnings.join('\n')).toMatch(/readable by others/);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
  });

  it('`hardline serve` prints the token at start; writes with it work, writes without it do not', async () => {
    const storeDir = join(dir, 'served');
    await saveReport(report('serve-token-1', [result({ name: 'x', severity: 'high' })]), { env: { HARDLINE_STORE_DIR: storeDir } });
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'serve', '--port', '0'], {
      cwd: REPO_ROOT,
      env: { ...process.env, HARDLINE_STORE_DIR: storeDir, HARDLINE_TABLE: '' },
    });
    try {
      let stderr = '';
      const { url, token } = await new Promise<{ url: string; token: string }>((resolve, reject) => {
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          const m = /at (http:\/\/127\.0\.0\.1:\d+)[\s\S]*token for changes \(kept in .*serve-token, mode 0600\): (hl_\S+)/.exec(stderr);
          if (m) resolve({ url: m[1]!, token: m[2]! });
        });
        child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
      });
      expect(readFileSync(join(storeDir, 'serve-token'), 'utf8').trim()).toBe(token);
      const body = JSON.stringify({ controlId: 'workload.privileged', reason: 'via serve' });
      expect((await fetch(`${url}/exemptions/cli`, { method: 'PUT', body })).status).toBe(401);
      const put = await fetch(`${url}/exemptions/cli`, { method: 'PUT', body, headers: { authorization: `Bearer ${token}` } });
      expect(put.status).toBe(201);
      expect(((await put.json()) as { exemption: { by: string } }).exemption.by).toMatch(/^local:/);
    } finally {
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGINT');
      await exited;
    }
  }, 60_000);
});
