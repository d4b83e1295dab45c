import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type RunningServer } from '../../cli/commands/serve.js';
import { SEVERITIES, type Severity } from '../../shared/core/types.js';
import type { FindingView, FindingWithHistory } from '../../shared/store/query.js';
import type { StoreSummary } from '../../shared/store/summary.js';
import type { ChangeView, Trends } from '../../shared/store/trends.js';
import { TEST_API_SETTINGS } from '../api/support.js';
import { XSS_NAME } from '../report/scan-fixture.js';
import { tempStore, type TestStore } from '../store/support.js';
import { REPO_ROOT } from '../support/paths.js';
import { CHROMIUM_PATH, hasBrowser } from '../support/requirements.js';
import { DASHBOARD_NOW, REOPENED, saveDashboardHistory } from './dashboard-fixture.js';

/**
 * The fleet dashboard of `hardline serve` in headless Chromium, over a store with a week of
 * history: every number on the page is the API's answer to the same question, the filters ask the
 * API again, a finding opens with its history, hostile names stay text, and the page sends only
 * GETs to its own origin. Skipped loudly without Chromium (HARDLINE_REQUIRE_BROWSER=1 fails instead).
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
];
const ARTIFACTS = `${REPO_ROOT}test/.artifacts/`;
const TOKEN = 'hl_dashboard-test-token-0123456789';
const skip = !hasBrowser();

let s: TestStore;
let server: RunningServer;
let browser: Browser;
let page: Page;
const requests: { method: string; url: string }[] = [];
const errors: string[] = [];

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${server.url}${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

const settings = { ...TEST_API_SETTINGS, now: () => DASHBOARD_NOW };
const text = async (testid: string) => (await page.getByTestId(testid).first().textContent())?.trim();
const rowsOf = (p: Page, testid: string, attr: string) =>
  p.locator(`[data-testid="${testid}"]`).evaluateAll((rows, a) => rows.map((r) => r.getAttribute(a)), attr);

/** Until the page has no API request in flight (it says so on the body) and has drawn the answers. */
async function settle(p: Page = page): Promise<void> {
  await p.waitForSelector('body[data-busy="false"]');
  await p.waitForLoadState('networkidle');
}

describe.skipIf(skip)('hardline serve: the fleet dashboard in headless Chromium', () => {
  beforeAll(async () => {
    s = await tempStore();
    await saveDashboardHistory(s.store);
    server = await startApiServer(s.store, { port: 0, access: { token: TOKEN, caller: 'local:test' }, settings });
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (r) => requests.push({ method: r.method(), url: r.url() }));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${server.url}/`);
    await page.waitForSelector('body[data-loaded="true"]');
    await page.screenshot({ path: `${ARTIFACTS}dashboard.png` });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await s?.dispose();
  });

  it('serves the page with a strict policy and loads without errors, only GETs to its own origin', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const body = await res.text();
    expect(body).not.toMatch(/<script>(?!<\/script>)|<script(?![^>]*\bsrc=)[^>]*>[^<]|\son\w+=|style=/i);
    expect(errors).toEqual([]);
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.filter((r) => !r.url.startsWith(server.url))).toEqual([]);
    expect(new Set(requests.map((r) => r.method))).toEqual(new Set(['GET']));
  });

  it('the cards, coverage, scores and top risks are the numbers of GET /summary', async () => {
    const summary = await api<StoreSummary>('/summary');
    for (const sev of SEVERITIES) expect(Number(await text(`open-${sev}`)), sev).toBe(summary.bySeverity[sev]);
    expect(Number(await text('open-total'))).toBe(summary.byState.OPEN);
    expect(Number(await text('exempted'))).toBe(summary.byState.EXEMPTED);
    expect(Number(await text('targets'))).toBe(summary.targets);
    expect(summary.coverage.clusters).toBe(2);
    expect(await text('coverage')).toContain(`${summary.coverage.readable} of ${summary.coverage.clusters} discovered clusters readable`);
    expect(await rowsOf(page, 'unreadable-row', 'data-target')).toEqual(summary.coverage.unreadable.map((u) => u.targetId));
    expect(await page.getByTestId('unreadable-row').first().textContent()).toContain('private-no-route');
    expect(await rowsOf(page, 'score-row', 'data-target')).toEqual(summary.clusters.map((c) => c.targetId));
    for (const c of summary.clusters) {
      for (const fw of ['all', 'nsa-cisa']) {
        const cell = await page.getByTestId(`score-${c.targetId}-${fw}`).getAttribute('data-score');
        expect(cell === '' ? null : Number(cell), `${c.name} ${fw}`).toBe(c.scores[fw] ?? null);
      }
    }
    expect(summary.topRisks.length).toBeGreaterThan(3);
    expect(await rowsOf(page, 'risk-row', 'data-control')).toEqual(summary.topRisks.map((r) => r.controlId));
    expect((await page.getByTestId('risk-open').allTextContents()).map(Number)).toEqual(summary.topRisks.map((r) => r.open));
  });

  it('the trend is GET /trends day by day, with the day the Deployment was fixed and the day it broke again', async () => {
    const trends = await api<Trends>('/trends?days=30');
    const total = (c: Record<Severity, number>) => SEVERITIES.reduce((n, x) => n + c[x], 0);
    expect(await rowsOf(page, 'trend-day', 'data-date')).toEqual(trends.days.map((d) => d.date));
    expect((await rowsOf(page, 'trend-day', 'data-open')).map(Number)).toEqual(trends.days.map((d) => total(d.open)));
    expect((await rowsOf(page, 'trend-day', 'data-opened')).map(Number)).toEqual(trends.days.map((d) => total(d.opened)));
    expect((await rowsOf(page, 'trend-day', 'data-resolved')).map(Number)).toEqual(trends.days.map((d) => total(d.resolved)));
    const fixedDay = trends.days.find((d) => d.date === '2026-11-27')!;
    const brokenDay = trends.days.find((d) => d.date === '2026-11-29')!;
    expect(total(fixedDay.resolved)).toBeGreaterThan(0);
    // What resolved came back: open ones as opened, exempted ones exempted again.
    expect(total(brokenDay.opened)).toBeGreaterThan(0);
    expect(total(brokenDay.opened) + brokenDay.exempted).toBe(total(fixedDay.resolved));
  });

  it('the newest changes are GET /changes, newest first', async () => {
    const changes = await api<{ items: ChangeView[] }>('/changes?limit=12');
    expect(changes.items.length).toBe(12);
    expect(await rowsOf(page, 'change', 'data-finding')).toEqual(changes.items.map((c) => c.findingId));
  });

  it('the findings list is GET /findings?state=OPEN, and every filter asks the API again', async () => {
    const open = await api<{ items: FindingView[] }>('/findings?state=OPEN&limit=50');
    expect(await rowsOf(page, 'finding-row', 'data-finding')).toEqual(open.items.map((f) => f.findingId));
    // An open finding the scanner could not decide must not read as a confirmed failure.
    const unknown = open.items.find((f) => f.status === 'UNKNOWN')!;
    expect(unknown).toBeDefined();
    expect(await rowsOf(page, 'finding-row', 'data-status')).toEqual(open.items.map((f) => f.status));
    const unknownRow = page.locator(`[data-testid="finding-row"][data-finding="${unknown.findingId}"]`);
    expect(await unknownRow.locator('td').nth(4).textContent()).toBe('OPEN UNKNOWN');
    const failing = open.items.find((f) => f.status === 'FAIL')!;
    expect(await page.locator(`[data-testid="finding-row"][data-finding="${failing.findingId}"] td`).nth(4).textContent()).toBe('OPEN');

    for (const sev of SEVERITIES.filter((x) => x !== 'critical')) await page.locator(`input[name="severity"][value="${sev}"]`).uncheck();
    await settle();
    const critical = await api<{ items: FindingView[] }>('/findings?state=OPEN&severity=critical&limit=50');
    expect(critical.items.length).toBeGreaterThan(0);
    expect(await rowsOf(page, 'finding-row', 'data-finding')).toEqual(critical.items.map((f) => f.findingId));
    expect(new Set(await rowsOf(page, 'risk-row', 'data-severity'))).toEqual(new Set(['critical']));
    for (const sev of SEVERITIES) await page.locator(`input[name="severity"][value="${sev}"]`).check();
    await settle();

    await page.selectOption('#filter-state', 'EXEMPTED');
    await settle();
    const exempted = await api<{ items: FindingView[] }>('/findings?state=EXEMPTED&limit=50');
    expect(exempted.items.length).toBeGreaterThan(0);
    expect(await rowsOf(page, 'finding-row', 'data-finding')).toEqual(exempted.items.map((f) => f.findingId));
    expect(new Set(await rowsOf(page, 'finding-row', 'data-state'))).toEqual(new Set(['EXEMPTED']));
    await page.selectOption('#filter-state', 'OPEN');
    await settle();

    await page.selectOption('#filter-cluster', 'prod-eu');
    await settle();
    const prod = await api<StoreSummary>('/summary?cluster=prod-eu');
    for (const sev of SEVERITIES) expect(Number(await text(`open-${sev}`)), sev).toBe(prod.bySeverity[sev]);
    expect(await rowsOf(page, 'score-row', 'data-name')).toEqual(['prod-eu']);
    const prodFindings = await api<{ items: FindingView[] }>('/findings?cluster=prod-eu&state=OPEN&limit=50');
    expect(await rowsOf(page, 'finding-row', 'data-finding')).toEqual(prodFindings.items.map((f) => f.findingId));
    await page.selectOption('#filter-cluster', '');
    await settle();
    const top = (await api<StoreSummary>('/summary')).topRisks[0]!;
    await page.locator(`[data-testid="risk-row"][data-control="${top.controlId}"]`).click();
    await settle();
    const byControl = await api<{ items: FindingView[] }>(`/findings?state=OPEN&control=${top.controlId}&limit=50`);
    expect(await rowsOf(page, 'finding-row', 'data-finding')).toEqual(byControl.items.map((f) => f.findingId));
    expect(byControl.items).toHaveLength(top.open);
    await page.locator('#clear-control').click();
    await settle();
    expect(await page.getByTestId('finding-row').count()).toBe(open.items.length);
  });

  it('a finding opens with its whole history (opened, resolved, reopened), also from a link', async () => {
    const open = await api<{ items: FindingView[] }>(`/findings?cluster=${REOPENED.target}&state=OPEN&limit=500`);
    const reopened = open.items.find((f) => f.resource.kind === REOPENED.kind && f.resource.name === REOPENED.name)!;
    const detail = await api<FindingWithHistory>(`/findings/${reopened.findingId}`);
    expect(detail.history.map((h) => h.event)).toEqual(['OPENED', 'RESOLVED', 'REOPENED']);

    await page.goto(`${server.url}/#finding=${reopened.findingId}`);
    await page.waitForSelector('#drilldown:not([hidden])');
    expect(await page.locator('#drilldown').getAttribute('data-finding')).toBe(reopened.findingId);
    expect(await rowsOf(page, 'history-row', 'data-event')).toEqual(['OPENED', 'RESOLVED', 'REOPENED']);
    expect(await page.locator('[data-testid="history-row"] code').allTextContents()).toEqual(detail.history.map((h) => h.scanId));
    expect(await text('drill-state')).toBe('OPEN');
    await page.screenshot({ path: `${ARTIFACTS}dashboard-finding.png` });
    await page.locator('#drill-close').click();
    expect(await page.locator('#drilldown').isHidden()).toBe(true);
    await settle();
    const first = page.getByTestId('finding-row').first();
    const id = await first.getAttribute('data-finding');
    await first.click();
    await page.waitForSelector('#drilldown:not([hidden])');
    expect(await page.locator('#drilldown').getAttribute('data-finding')).toBe(id);
    const history = (await api<FindingWithHistory>(`/findings/${id}`)).history;
    expect(await page.getByTestId('history-row').count()).toBe(history.length);
    await page.locator('#drill-close').click();
  });

  it('a hostile resource name is shown as text, in the list and in the drill-down, and never runs', async () => {
    const hostile = (await api<{ items: FindingView[] }>('/findings?cluster=prod-eu&state=OPEN&limit=500')).items.find(
      (f) => f.resource.name === XSS_NAME,
    )!;
    expect(hostile).toBeDefined();
    await page.locator('#filter-cluster').selectOption('prod-eu');
    await settle();
    const row = page.locator(`[data-testid="finding-row"][data-finding="${hostile.findingId}"]`);
    // Pages of 50: the next page is one click on "Load more" (a cursor of the API) away.
    while ((await row.count()) === 0 && (await page.locator('#more').isVisible())) {
      await page.locator('#more').click();
      await settle();
    }
    await row.click();
    await page.waitForSelector('#drilldown:not([hidden])');
    expect(await text('drill-resource')).toContain(XSS_NAME);
    await page.screenshot({ path: `${ARTIFACTS}dashboard-hostile.png` });
    const cells = await page.getByTestId('finding-resource').allTextContents();
    expect(cells.some((c) => c.includes(XSS_NAME))).toBe(true);
    expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
    expect(await page.locator('main img, aside img').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('refuses a foreign Host for the page as for the API', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const port = Number(new URL(server.url).port);
      const req = request({ host: '127.0.0.1', port, path: '/', headers: { host: `evil.example:${port}` }, setHost: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });
});

describe.skipIf(skip)('the dashboard beyond loopback', () => {
  it('loads its files without the token, then asks for it before reading any finding', async () => {
    const store = await tempStore();
    await saveDashboardHistory(store.store);
    const wide = await startApiServer(store.store, { port: 0, host: '0.0.0.0', access: { token: TOKEN, caller: 'local:test' }, settings });
    const b = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
    try {
      const url = `http://127.0.0.1:${new URL(wide.url).port}`;
      expect((await fetch(`${url}/summary`)).status).toBe(401);
      const p = await b.newPage();
      await p.goto(`${url}/`);
      await p.waitForSelector('#token-form:not([hidden])');
      expect(await p.getByTestId('finding-row').count()).toBe(0);
      await p.fill('#token', TOKEN);
      await p.click('#token-form button[type="submit"]');
      await p.waitForSelector('body[data-loaded="true"]');
      const summary = (await (await fetch(`${url}/summary`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as StoreSummary;
      expect(Number((await p.getByTestId('open-total').textContent())?.trim())).toBe(summary.byState.OPEN);
    } finally {
      await b.close();
      await wide.close();
      await store.dispose();
    }
  });
});
