import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controls } from '../../shared/controls/index.js';
import { SEVERITIES } from '../../shared/core/types.js';
import type { ScanReport, ScanReportJson } from '../../shared/engine/report.js';
import type { Result } from '../../shared/engine/types.js';
import { formatHtml } from '../../shared/report/html.js';
import { renderedText } from '../../shared/report/pieces.js';
import { runCli } from '../support/cli.js';
import { REPO_ROOT } from '../support/paths.js';
import { CHROMIUM_PATH, hasBrowser } from '../support/requirements.js';
import { fixtureScan, XSS_NAME, XSS_NAMESPACE } from './scan-fixture.js';

/**
 * The HTML report in headless Chromium (Debian's `chromium`; .ci/run installs it): it renders,
 * its numbers are the JSON report's, the filters work without a server, hostile names stay text.
 * Without Chromium it is skipped loudly (HARDLINE_REQUIRE_BROWSER=1, as in CI, makes that a failure).
 */
const CHROMIUM = CHROMIUM_PATH;
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = `${REPO_ROOT}test/.artifacts/`;
const SCREENSHOT = `${ARTIFACTS}html-report.png`;
const skip = !hasBrowser();

const attention = (r: Result) => !r.exempted && ['FAIL', 'UNKNOWN', 'ERROR'].includes(r.status);
/** passed / (passed + failed), exempted left out — computed here independently of the formatter. */
function score(results: readonly Result[]): number | null {
  const judged = results.filter((r) => !r.exempted);
  const passed = judged.filter((r) => r.status === 'PASS').length;
  const failed = judged.filter((r) => r.status === 'FAIL').length;
  return passed + failed === 0 ? null : Math.round((passed / (passed + failed)) * 10_000) / 10_000;
}

describe.skipIf(skip)('HTML report in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let report: ScanReport;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    report = fixtureScan();
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = `${ARTIFACTS}html-report.html`;
    writeFileSync(file, renderedText(formatHtml(report, controls)));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(pathToFileURL(file).href);
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
  });
  afterAll(async () => browser?.close());

  const text = async (testId: string) => (await page.getByTestId(testId).first().textContent())?.trim();

  it('renders without errors, makes no network request, and the screenshot is saved', () => {
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    expect(existsSync(SCREENSHOT)).toBe(true);
  });

  it('shows the JSON summary: severity counts, score, exempted, passes and unknowns', async () => {
    for (const s of SEVERITIES) expect(Number(await text(`count-${s}`)), s).toBe(report.summary.bySeverity[s]);
    expect(Number(await page.getByTestId('score').getAttribute('data-score'))).toBe(report.summary.score);
    expect(await text('score')).toBe(`${Math.round(report.summary.score! * 1000) / 10}%`);
    expect(Number(await text('count-exempted'))).toBe(report.summary.exempted);
    expect(Number(await text('count-pass'))).toBe(report.summary.byStatus.PASS);
    expect(Number(await text('count-unknown'))).toBe(report.summary.byStatus.UNKNOWN);
    expect(Number(await text('count-findings'))).toBe(report.results.toArray().filter(attention).length);
  });

  it('lists every finding once, exempted ones apart, with remediation', async () => {
    expect(await page.locator('.target-group tr.finding').count()).toBe(report.results.toArray().filter(attention).length);
    expect(await page.locator('.exempted-block tr.finding').count()).toBe(report.summary.exempted);
    expect(await page.locator('.target-group tr.finding details.fix').count()).toBe(report.results.toArray().filter(attention).length);
    const groups = await page.locator('.target-group > h3').allTextContents();
    expect(groups.some((g) => g.startsWith('prod-eu (111122223333 · eu-west-1)'))).toBe(true);
    expect(groups.some((g) => g.startsWith('examples/manifests'))).toBe(true);
  });

  it("scores per target and framework are the JSON results' scores", async () => {
    const cluster = report.results.toArray().filter((r) => r.target.name === 'prod-eu');
    const key = '111122223333|eu-west-1|cluster|prod-eu';
    const cell = page.locator(`[data-testid="score-${key}-overall"]`);
    expect(Number(await cell.getAttribute('data-score'))).toBe(score(cluster));
    const nsa = (await import('../../shared/frameworks/index.js')).frameworkById('nsa-cisa')!;
    const nsaResults = cluster.filter((r) => nsa.controls.includes(r.controlId));
    expect(Number(await page.locator(`[data-testid="score-${key}-nsa-cisa"]`).getAttribute('data-score'))).toBe(score(nsaResults));
    const unreachable = page.locator('[data-testid="score-row"][data-target="444455556666|us-east-1|cluster|private-cluster"]');
    await expect(unreachable.textContent()).resolves.toContain('UNKNOWN');
    await expect(unreachable.textContent()).resolves.toContain('n/a');
  });

  it('hostile resource names are shown as text and never run', async () => {
    expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
    const headings = await page.locator('.res-group > h5, .ns-group > h4').allTextContents();
    expect(headings).toContain(`Pod/${XSS_NAME}`);
    expect(headings).toContain(`namespace ${XSS_NAMESPACE}`);
    expect(await page.locator('img').count()).toBe(0);
    // A second picture for people: the findings of the cluster, hostile names shown as text.
    await page.locator('.res-group > h5', { hasText: 'Pod/<script>' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}html-report-findings.png` });
  });

  it('filters by severity and by control, client-side', async () => {
    const total = report.results.toArray().filter(attention);
    for (const s of SEVERITIES.filter((x) => x !== 'critical')) await page.locator(`input[name="severity"][value="${s}"]`).uncheck();
    const critical = total.filter((r) => r.severity === 'critical');
    expect(Number(await text('shown-count'))).toBe(critical.length);
    expect(await page.locator('.target-group tr.finding:visible').count()).toBe(critical.length);
    expect(await page.locator('.target-group:visible').count()).toBe(new Set(critical.map((r) => r.target.name)).size);

    for (const s of SEVERITIES) await page.locator(`input[name="severity"][value="${s}"]`).check();
    await page.selectOption('#filter-control', 'workload.privilege-escalation');
    const escalation = total.filter((r) => r.controlId === 'workload.privilege-escalation');
    expect(Number(await text('shown-count'))).toBe(escalation.length);
    expect(await page.locator('tr.finding:visible').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-control')))).toEqual(
      escalation.map(() => 'workload.privilege-escalation'),
    );

    await page.selectOption('#filter-control', '');
    expect(Number(await text('shown-count'))).toBe(total.length);
  });

  it('ranks by severity first: top failing controls and the resources inside each namespace', async () => {
    const rank = (s: string | null) => SEVERITIES.length - SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);
    const nonIncreasing = (xs: number[]) => xs.every((x, i) => i === 0 || xs[i - 1]! >= x);
    const top = await page.locator('#top-controls tbody tr .sev').allTextContents();
    expect(top.length).toBeGreaterThan(1);
    expect(nonIncreasing(top.map((s) => rank(s.trim())))).toBe(true);
    const critical = new Set(
      report.results
        .toArray()
        .filter((r) => r.status === 'FAIL' && !r.exempted && r.severity === 'critical')
        .map((r) => r.controlId),
    );
    expect(critical.size).toBeGreaterThan(0);
    const listed = await page.locator('#top-controls tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-control')));
    expect(listed.slice(0, critical.size).sort()).toEqual([...critical].sort());
    // The worst finding of each resource (its first row) never gets worse further down a namespace.
    const groups = await page
      .locator('.ns-group')
      .evaluateAll((nss) =>
        nss.map((ns) => [...ns.querySelectorAll('.res-group')].map((g) => g.querySelector('tr.finding')!.getAttribute('data-severity'))),
      );
    expect(groups.some((g) => g.length > 2)).toBe(true);
    for (const g of groups) expect(nonIncreasing(g.map(rank)), g.join(',')).toBe(true);
  });

  it('the CLI writes the same numbers as its JSON for the same examples', async () => {
    const htmlFile = `${ARTIFACTS}examples-report.html`;
    const run = runCli(['scan', 'examples', '--format', 'html', '--output', htmlFile]);
    expect(run.code, run.stderr).toBe(1);
    const json = JSON.parse(runCli(['scan', 'examples', '--format', 'json']).stdout) as ScanReportJson;
    const other = await browser.newPage();
    await other.goto(pathToFileURL(htmlFile).href);
    for (const s of SEVERITIES)
      expect(Number((await other.getByTestId(`count-${s}`).textContent())?.trim()), s).toBe(json.summary.bySeverity[s]);
    expect(Number(await other.getByTestId('score').getAttribute('data-score'))).toBe(json.summary.score);
    expect(await other.locator('tr.finding').count()).toBe(json.results.filter(attention).length + json.summary.exempted);
    await other.close();
  });
});
