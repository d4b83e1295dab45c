import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type RunningServer } from '../../cli/commands/serve.js';
import { DASHBOARD_CSP } from '../../cli/dashboard/assets.js';
import { TEST_API_SETTINGS } from '../api/support.js';
import { report, result, tempStore, type TestStore } from '../store/support.js';
import { REPO_ROOT } from '../support/paths.js';

/**
 * The dashboard's files as `hardline serve` sends them (no browser needed): same origin, a strict
 * policy on every one, nothing else served from disk, the API routes unchanged beside them, and
 * beyond loopback the files (which hold no data) load while every API read still needs the token.
 */
const TOKEN = 'hl_assets-test-token-0123456789abcdef';
let s: TestStore;
let local: RunningServer;
let wide: RunningServer;
let widePort: number;

beforeAll(async () => {
  s = await tempStore();
  await s.store.saveScan(report('assets-1', [result({ name: 'a' })]));
  const access = { token: TOKEN, caller: 'local:test' };
  local = await startApiServer(s.store, { port: 0, access, settings: TEST_API_SETTINGS });
  wide = await startApiServer(s.store, { port: 0, host: '0.0.0.0', access, settings: TEST_API_SETTINGS });
  widePort = Number(new URL(wide.url).port);
});
afterAll(async () => {
  await local?.close();
  await wide?.close();
  await s?.dispose();
});

describe('hardline serve: the dashboard files', () => {
  it('serves the page and each of its files with its type and the strict policy', async () => {
    const files = readdirSync(`${REPO_ROOT}cli/dashboard/assets`);
    expect(files.sort()).toEqual([
      'charts.js',
      'dashboard.css',
      'dashboard.js',
      'dom.js',
      'favicon.svg',
      'finding.js',
      'index.html',
      'sections.js',
    ]);
    const types: Record<string, RegExp> = { js: /^text\/javascript/, css: /^text\/css/, svg: /^image\/svg\+xml/, html: /^text\/html/ };
    for (const f of files) {
      const path = f === 'index.html' ? '/' : `/assets/${f}`;
      const res = await fetch(`${local.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(types[f.split('.').pop()!]!);
      expect(res.headers.get('content-security-policy'), path).toBe(DASHBOARD_CSP);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect((await res.text()).length, path).toBeGreaterThan(50);
    }
    expect(DASHBOARD_CSP).toMatch(/^default-src 'self'; script-src 'self'; style-src 'self';/);
    expect(DASHBOARD_CSP).not.toMatch(/unsafe|\*|https?:/);
  });

  it('the page loads only its own files: no CDN, no inline script or style', async () => {
    const page = await (await fetch(`${local.url}/`)).text();
    const refs = [...page.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs.sort()).toEqual(['/assets/dashboard.css', '/assets/dashboard.js', '/assets/favicon.svg']);
    expect(page).not.toMatch(/<style|style=|\son[a-z]+=/i);
    expect([...page.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1])).toEqual(['']);
    for (const f of ['dashboard.js', 'charts.js', 'dom.js', 'finding.js', 'sections.js']) {
      // The SVG namespace is a name, not an address anything is fetched from.
      const js = (await (await fetch(`${local.url}/assets/${f}`)).text()).replace("'http://www.w3.org/2000/svg'", '');
      expect(js, f).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function|https?:\/\//);
      // Reads only: the page never sends anything but GET.
      expect(js, f).not.toMatch(/method:\s*['"](POST|PUT|DELETE|PATCH)/i);
    }
  });

  it('serves nothing else from disk, and the API routes answer beside the page', async () => {
    for (const path of [
      '/assets/',
      '/assets/assets.ts',
      '/assets/%2e%2e/assets.ts',
      '/cli/dashboard/assets.ts',
      '/package.json',
      '/index.htm',
    ]) {
      const res = await fetch(`${local.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
    }
    expect((await fetch(`${local.url}/summary`)).status).toBe(200);
    expect((await fetch(`${local.url}/trends?days=7`)).status).toBe(200);
    expect((await fetch(`${local.url}/`, { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await fetch(`${local.url}/`, { method: 'HEAD' })).status).toBe(200);
  });

  it('beyond loopback: the files load without the token, every API read needs it', async () => {
    const base = `http://127.0.0.1:${widePort}`;
    expect((await fetch(`${base}/`)).status).toBe(200);
    expect((await fetch(`${base}/assets/dashboard.js`)).status).toBe(200);
    for (const path of ['/summary', '/findings', '/trends', '/changes', '/assets/nothing.js']) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(401);
    }
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await fetch(`${base}/summary`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${base}/`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  });
});
