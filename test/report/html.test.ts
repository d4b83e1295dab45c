import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { controls } from '../../shared/controls/index.js';
import { formatReport } from '../../shared/report/format.js';
import { formatHtml } from '../../shared/report/html.js';
import { renderedText } from '../../shared/report/pieces.js';
import { esc, html } from '../../shared/report/html/escape.js';
import { fixtureScan, LEAKED_KEY, XSS_NAME, XSS_NAMESPACE } from './scan-fixture.js';

describe('HTML report (static checks; the browser test renders it)', () => {
  const page = renderedText(formatHtml(fixtureScan(), controls));

  it('is one self-contained file: no external URL, one inline script allowed by hash in the CSP', () => {
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(page).not.toMatch(/@import|url\(/i);
    const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]![1]!).digest('base64');
    expect(page).toContain(esc(`script-src 'sha256-${hash}'`)); // in an attribute: quotes are entities
    expect(page).toContain(esc("default-src 'none'"));
  });

  it('escapes every value from the scan: hostile names become text, never markup', () => {
    expect(page).not.toContain(XSS_NAME);
    expect(page).not.toContain('<img src=x');
    expect(page).toContain(esc(XSS_NAME));
    expect(page).toContain(esc(XSS_NAMESPACE));
    expect(page).toContain('accepted for the demo &lt;b&gt;until Q1&lt;/b&gt;');
    expect(page).not.toContain(LEAKED_KEY);
  });

  it('the html template escapes interpolations but keeps rendered fragments', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"x"'}">${inner}${[inner, inner]}</p>`.value).toBe(
      '<p title="&quot;x&quot;"><b>&lt;i&gt;</b><b>&lt;i&gt;</b><b>&lt;i&gt;</b></p>',
    );
  });

  it('shows Kubernetes API coverage: readable of discovered clusters, and each unreadable one with its state, reason and step', () => {
    const report = fixtureScan();
    // Only the three clusters below carry an access state.
    for (const t of report.scan.targets) delete t.kubernetesAccess;
    const bare = renderedText(formatHtml(report, controls));
    const aws = { kind: 'cluster' as const, accountId: '444455556666', region: 'eu-west-1', resources: 0, gaps: 0 };
    report.scan.targets.push(
      { ...aws, name: 'good', status: 'OK', kubernetesAccess: { state: 'read' } },
      {
        ...aws,
        name: 'new',
        status: 'PARTIAL',
        kubernetesAccess: {
          state: 'unauthorized',
          reason: 'HTTP 401 <b>Unauthorized</b>',
          step: 'aws eks create-access-entry --cluster-name new',
        },
      },
      {
        ...aws,
        name: 'dark',
        status: 'PARTIAL',
        kubernetesAccess: { state: 'private-no-route', reason: 'private endpoint', step: 'configure a scanner VPC' },
      },
    );
    const out = renderedText(formatHtml(report, controls));
    expect(out).toContain('data-testid="coverage" data-readable="1" data-clusters="3"');
    expect(out).toContain('1 of 3</strong> clusters read (33.3%)');
    const rows = [...out.matchAll(/data-testid="coverage-row" data-state="([a-z-]+)"><td>([^<]+)</g)].map((m) => `${m[2]} ${m[1]}`);
    expect(rows).toEqual(['444455556666/eu-west-1/new unauthorized', '444455556666/eu-west-1/dark private-no-route']);
    expect(out).toContain('<code>aws eks create-access-entry --cluster-name new</code>');
    expect(out).toContain('HTTP 401 &lt;b&gt;Unauthorized&lt;/b&gt;');
    // Reports without AWS clusters have no coverage section.
    expect(bare).not.toContain('data-testid="coverage"');
  });

  it('is a --format of the CLI', () => {
    expect(formatReport(fixtureScan(), 'html', { controls })).toMatch(/<title>hardline report — scan-fixture<\/title>/);
  });
});
