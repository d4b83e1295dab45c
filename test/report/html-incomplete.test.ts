import { mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controls } from '../../shared/controls/index.js';
import type { ScanReport } from '../../shared/engine/report.js';
import { formatHtml } from '../../shared/report/html.js';
import { renderedText } from '../../shared/report/pieces.js';
import { REPO_ROOT } from '../support/paths.js';
import { CHROMIUM_PATH, hasBrowser } from '../support/requirements.js';
import { fixtureScan } from './scan-fixture.js';

/**
 * An incomplete scan in headless Chromium: the page opens by saying so, and UNKNOWN rows do not
 * look like failures. The fixture has a target behind a 403 (PARTIAL) and an unreachable one.
 */
const ARTIFACTS = `${REPO_ROOT}test/.artifacts/`;

describe.skipIf(!hasBrowser())('incomplete scan in the HTML report (headless Chromium)', () => {
  let browser: Browser;
  let page: Page;
  let report: ScanReport;

  beforeAll(async () => {
    report = fixtureScan();
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = `${ARTIFACTS}html-incomplete.html`;
    writeFileSync(file, renderedText(formatHtml(report, controls)));
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
    await page.goto(pathToFileURL(file).href);
  });
  afterAll(async () => browser?.close());

  it('opens with a visible banner listing every incomplete target, and marks the score card', async () => {
    expect(report.summary.complete).toBe(false);
    const banner = page.getByTestId('incomplete');
    expect(await banner.isVisible()).toBe(true);
    const items = await banner.locator('li').allTextContents();
    expect(items.map((t) => t.split(':')[0]!.trim()).sort()).toEqual(
      report.summary.incompleteTargets.map((t) => `${t.status} ${t.name}`).sort(),
    );
    expect(await page.getByTestId('score').getAttribute('data-complete')).toBe('false');
    expect(await page.locator('.card.score .l').textContent()).toContain('(incomplete)');
  });

  it('gives UNKNOWN rows their own badge, in a colour no severity uses', async () => {
    const badge = page.locator('tr.finding[data-status="UNKNOWN"] [data-testid="verdict-badge"]').first();
    expect(await badge.textContent()).toBe('unknown');
    // Evaluated as page scripts: the test project has no DOM typings.
    const unknownColour = await page.evaluate(
      `getComputedStyle(document.querySelector('tr.finding[data-status="UNKNOWN"] [data-testid="verdict-badge"]')).backgroundColor`,
    );
    const severityColours = await page.evaluate(
      `[...new Set([...document.querySelectorAll('tr.finding[data-status="FAIL"] .sev')].map((el) => getComputedStyle(el).backgroundColor))]`,
    );
    expect(Array.isArray(severityColours) && severityColours.length).toBeGreaterThan(1);
    expect(typeof unknownColour === 'string' && unknownColour.startsWith('rgb')).toBe(true);
    expect(severityColours).not.toContain(unknownColour);
  });
});
