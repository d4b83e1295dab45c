import type { Severity } from '../../core/types.js';
import { incompleteParts, type ScanReport } from '../../engine/report.js';
import type { Result } from '../../engine/types.js';
import { frameworks } from '../../frameworks/index.js';
import { type Html, html } from './escape.js';
import { SEVERITIES, type ReportView, type ScoreCell, type TargetView } from './view.js';

const pct = (score: number | null) => (score === null ? null : Math.round(score * 1000) / 10);

function scoreCell(c: ScoreCell, testId: string): Html {
  const p = pct(c.score);
  if (p === null) return html`<td data-testid="${testId}" data-score=""><span class="na">n/a</span></td>`;
  return html`<td class="num" data-testid="${testId}" data-score="${String(c.score)}" title="${c.passed} passed, ${c.failed} failed"><span class="bar"><i style="width:${p}%"></i></span>${p}%</td>`;
}

/** Said first and plainly: a clean page over a scan that could not read everything is not an all-clear. */
export function completenessBanner(report: ScanReport): Html | string {
  const parts = incompleteParts(report);
  if (parts.length === 0) return '';
  return html`<section class="incomplete" data-testid="incomplete" role="alert"><strong>Incomplete scan</strong> — ${parts.join(', ')}. The score and counts cover only what could be read and judged.
<ul>${report.summary.incompleteTargets.map((t) => html`<li><span class="status ${t.status}">${t.status}</span> ${t.name}: ${t.reason}</li>`)}</ul></section>`;
}

export function summaryCards(report: ScanReport, view: ReportView): Html {
  const s = report.summary;
  const score = pct(s.score);
  const complete = s.complete;
  const sevCards = SEVERITIES.map(
    (sev) =>
      html`<div class="card ${sev}"><div class="n" data-testid="count-${sev}">${s.bySeverity[sev]}</div><div class="l">${sev}</div></div>`,
  );
  return html`<section class="cards" aria-label="summary">
<div class="card score${complete ? '' : ' incomplete'}"><div class="n" data-testid="score" data-score="${s.score === null ? '' : String(s.score)}" data-complete="${String(complete)}">${score === null ? 'n/a' : `${score}%`}</div><div class="l">compliance score${complete ? '' : ' (incomplete)'}</div></div>
${sevCards}
<div class="card"><div class="n" data-testid="count-findings">${view.findingCount}</div><div class="l">findings to act on</div></div>
<div class="card"><div class="n" data-testid="count-exempted">${s.exempted}</div><div class="l">exempted</div></div>
<div class="card"><div class="n" data-testid="count-pass">${s.byStatus.PASS}</div><div class="l">passed checks</div></div>
<div class="card"><div class="n" data-testid="count-unknown">${s.byStatus.UNKNOWN}</div><div class="l">unknown (not readable)</div></div>
<div class="card"><div class="n" data-testid="count-error">${s.byStatus.ERROR}</div><div class="l">errors</div></div>
</section>`;
}

function targetRow(t: TargetView, isAll: boolean): Html {
  const status = t.report?.status;
  return html`<tr data-testid="score-row" data-target="${t.key}">
<td>${isAll ? html`<strong>${t.label}</strong>` : t.label}${status ? html` <span class="status ${status}">${status}</span>` : ''}${t.report?.reason ? html`<div class="evidence">${t.report.reason}</div>` : ''}</td>
${scoreCell(t.overall, `score-${t.key}-overall`)}
${frameworks.map((f) => scoreCell(t.byFramework.get(f.id)!, `score-${t.key}-${f.id}`))}
${SEVERITIES.slice(0, 4).map((sev) => html`<td>${t.bySeverity[sev] || ''}</td>`)}
</tr>`;
}

const SHORT_NAME: Record<(typeof frameworks)[number]['id'], string> = {
  'nsa-cisa': 'NSA/CISA',
  'cis-eks': 'CIS EKS',
  'pss-baseline': 'PSS baseline',
  'pss-restricted': 'PSS restricted',
};

export function scoreTable(view: ReportView): Html {
  return html`<h2>Compliance score per target and framework</h2>
<p class="na">passed / (passed + failed); exempted results are left out, as in the JSON summary.</p>
<table id="scores"><thead><tr><th>Target</th><th>Overall</th>${frameworks.map((f) => html`<th title="${f.title} ${f.version}">${SHORT_NAME[f.id]}</th>`)}<th>Crit.</th><th>High</th><th>Med.</th><th>Low</th></tr></thead>
<tbody>${view.targets.map((t) => targetRow(t, false))}${view.targets.length > 1 ? targetRow(view.all, true) : ''}</tbody></table>`;
}

export function topControls(view: ReportView): Html {
  if (view.topControls.length === 0) return html`<h2>Top failing controls</h2><p>No failing controls.</p>`;
  return html`<h2>Top failing controls</h2>
<table id="top-controls"><thead><tr><th>Control</th><th>Severity</th><th>Failures</th><th>Targets</th></tr></thead><tbody>
${view.topControls.map((c) => html`<tr data-control="${c.controlId}"><td><code>${c.controlId}</code> ${c.title}</td><td><span class="sev ${c.severity}">${c.severity}</span></td><td data-testid="top-failures">${c.failures}</td><td>${c.targets}</td></tr>`)}
</tbody></table>`;
}

function evidence(r: Result): Html | string {
  if (!r.evidence) return '';
  const parts = Object.entries(r.evidence)
    .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(', ') : String(v)}`);
  return html`<div class="evidence">${parts.join(' · ')}</div>`;
}

/** A FAIL shows its severity; UNKNOWN and ERROR show what they are, in their own colour, the severity beneath. */
function verdictBadge(r: Result): Html {
  if (r.status === 'FAIL' || r.status === 'PASS') return html`<span class="sev ${r.severity}">${r.severity}</span>`;
  return html`<span class="badge ${r.status}" data-testid="verdict-badge">${r.status.toLowerCase()}</span><div class="na">${r.severity}</div>`;
}

function findingRow(r: Result, view: ReportView, exempted: boolean): Html {
  const control = view.controls.get(r.controlId);
  return html`<tr class="finding" data-severity="${r.severity}" data-status="${r.status}" data-control="${r.controlId}" data-exempted="${exempted ? 'true' : 'false'}">
<td>${verdictBadge(r)}</td>
<td><code>${r.controlId}</code><div>${control?.title ?? ''}</div></td>
<td>${r.resource.container ?? ''}</td>
<td><span class="status ${r.status}">${r.status}</span> <span data-testid="finding-message">${r.message}</span>${evidence(r)}
${control ? html`<details class="fix"><summary>Remediation</summary><p>${control.remediation}</p></details>` : ''}
${exempted && r.exempted ? html`<div class="evidence">Exempted by ${r.exempted.by}: ${r.exempted.reason}${r.exempted.expires ? ` (until ${r.exempted.expires})` : ''}</div>` : ''}</td>
</tr>`;
}

const FINDING_HEAD = html`<thead><tr><th style="width:90px">Severity</th><th style="width:30%">Control</th><th style="width:110px">Container</th><th>Finding</th></tr></thead>`;

export function filters(view: ReportView): Html {
  const ids = [
    ...new Set(
      [...view.findings.flatMap((t) => t.namespaces.flatMap((n) => n.resources.flatMap((r) => r.findings))), ...view.exempted].map(
        (r) => r.controlId,
      ),
    ),
  ].sort();
  return html`<div class="filters" role="search">
<strong>Filter</strong>
${SEVERITIES.map((s: Severity) => html`<label><input type="checkbox" name="severity" value="${s}" checked> <span class="sev ${s}">${s}</span></label>`)}
<label>Control <select id="filter-control"><option value="">all controls</option>${ids.map((id) => html`<option value="${id}">${id}</option>`)}</select></label>
<span><strong id="shown-count" data-testid="shown-count">${view.findingCount}</strong> of ${view.findingCount} findings shown</span>
</div>`;
}

/** The findings, one piece per resource, so a large report is written as it is rendered. */
export function* findingsSection(view: ReportView): Generator<string> {
  yield html`<h2>Findings by target, namespace and resource</h2>`.value;
  if (view.findingCount === 0) {
    yield html`<p>Nothing to act on.</p>`.value;
    return;
  }
  for (const t of view.findings) {
    yield html`<section class="target-group" data-target="${t.key}"><h3>${t.label} <span class="na">(${t.count})</span></h3>\n`.value;
    for (const ns of t.namespaces) {
      yield html`<div class="ns-group"><h4>namespace ${ns.namespace}</h4>\n`.value;
      for (const res of ns.resources) {
        yield html`<div class="res-group"><h5>${res.label}</h5><table>${FINDING_HEAD}<tbody>${res.findings.map((r) => findingRow(r, view, false))}</tbody></table></div>`
          .value;
      }
      yield '\n</div>';
    }
    yield '</section>';
  }
}

/** The exempted findings, one piece per row. */
export function* exemptedSection(report: ScanReport, view: ReportView): Generator<string> {
  const expired = report.scan.expiredExemptions;
  yield html`<h2 id="exempted">Exempted findings (${view.exempted.length})</h2>
<p class="na">Accepted risks: they keep their real status and do not fail the scan.</p>\n`.value;
  if (view.exempted.length === 0) yield html`<p>None.</p>`.value;
  else {
    yield html`<div class="exempted-block"><table>${FINDING_HEAD}<tbody>`.value;
    for (const r of view.exempted) yield findingRow(r, view, true).value;
    yield '</tbody></table></div>';
  }
  yield '\n';
  if (expired.length > 0)
    yield html`<h2>Expired exemptions (no longer applied)</h2><ul>${expired.map((e) => html`<li><code>${e.controlId}</code> expired ${e.expires}: ${e.reason}</li>`)}</ul>`
      .value;
}

export function problemsSection(report: ScanReport): Html | string {
  const bad = report.scan.targets.filter((t) => t.status === 'ERROR' || t.status === 'UNKNOWN' || t.status === 'PARTIAL');
  const errors = report.scan.errors;
  if (bad.length === 0 && errors.length === 0) return '';
  return html`<h2>What could not be read</h2><ul>
${bad.map((t) => html`<li><span class="status ${t.status}">${t.status}</span> ${t.name}: ${t.reason ?? ''}</li>`)}
${errors.map((e) => html`<li>skipped ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}</li>`)}
</ul>`;
}
