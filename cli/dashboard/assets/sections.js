// The summary sections of the dashboard (cards, coverage, scores, top risks) and the newest changes.
import { $, clear, el, percent, resourceLabel, SEVERITIES, severityBadge, targetLabel, when } from './dom.js';

const FRAMEWORKS = {
  all: 'Overall',
  'nsa-cisa': 'NSA/CISA',
  'cis-eks': 'CIS EKS',
  'pss-baseline': 'PSS baseline',
  'pss-restricted': 'PSS restricted',
};

function card(testid, n, label, cls = '') {
  return el(
    'div',
    { class: `card ${cls}` },
    el('div', { class: 'n', dataset: { testid }, text: n }),
    el('div', { class: 'l', text: label }),
  );
}

export function renderCards(summary) {
  const cov = summary.coverage;
  clear($('#cards')).append(
    ...SEVERITIES.map((s) => card(`open-${s}`, summary.bySeverity[s] ?? 0, `open ${s}`, s)),
    card('open-total', summary.byState.OPEN ?? 0, 'open findings'),
    card('exempted', summary.byState.EXEMPTED ?? 0, 'exempted'),
    card('targets', summary.targets, 'targets'),
    card(
      'coverage-ratio',
      cov.clusters ? percent(cov.ratio) : 'n/a',
      `clusters readable (${cov.readable}/${cov.clusters})`,
      cov.readable < cov.clusters ? 'warn' : '',
    ),
  );
}

export function renderCoverage(cov) {
  $('#coverage-line').textContent = cov.clusters
    ? `${cov.readable} of ${cov.clusters} discovered clusters readable (${percent(cov.ratio)}).${cov.unreadable.length ? ' Their findings are missing until they are onboarded:' : ''}`
    : 'No cluster discovered by the service: only manifests, snapshots and kubeconfig scans are stored.';
  const table = $('#unreadable');
  table.hidden = cov.unreadable.length === 0;
  clear(table.tBodies[0]).append(
    ...cov.unreadable.map((u) =>
      el(
        'tr',
        { dataset: { testid: 'unreadable-row', target: u.targetId } },
        el('td', { text: targetLabel(u) }),
        el('td', {}, el('span', { class: 'badge UNKNOWN', text: u.state })),
        el('td', { text: u.reason ?? '' }),
        el('td', {}, u.step ? el('code', { text: u.step }) : ''),
      ),
    ),
  );
}

function scoreCell(score, testid) {
  if (typeof score !== 'number') return el('td', { class: 'na', dataset: { testid, score: '' }, text: 'n/a' });
  const bar = el('i');
  bar.style.width = `${Math.round(score * 100)}%`; // CSSOM, not a style attribute: allowed by the CSP
  return el('td', { class: 'num', dataset: { testid, score } }, el('span', { class: 'bar' }, bar), percent(score));
}

export function renderScores(summary) {
  const ids = Object.keys(FRAMEWORKS).filter((f) => f === 'all' || f in summary.frameworks);
  const table = $('#scores');
  clear(table.tHead).append(
    el(
      'tr',
      {},
      el('th', { text: 'Target' }),
      ...ids.map((f) => el('th', { text: FRAMEWORKS[f] })),
      ...SEVERITIES.slice(0, 4).map((s) => el('th', { text: s })),
    ),
  );
  const rows = summary.clusters.map((c) =>
    el(
      'tr',
      { dataset: { testid: 'score-row', target: c.targetId, name: c.name } },
      el(
        'td',
        {},
        targetLabel(c),
        ' ',
        el('span', { class: `status ${c.lastStatus}`, text: c.lastStatus }),
        c.deletedAt ? el('span', { class: 'na', text: ` deleted ${when(c.deletedAt)}` }) : '',
      ),
      ...ids.map((f) => scoreCell(c.scores[f], `score-${c.targetId}-${f}`)),
      ...SEVERITIES.slice(0, 4).map((s) =>
        el('td', { class: 'num', dataset: { testid: `open-${c.targetId}-${s}` }, text: c.openBySeverity[s] || '' }),
      ),
    ),
  );
  const fleet = el(
    'tr',
    { class: 'total' },
    el('td', {}, el('strong', { text: 'Fleet' })),
    ...ids.map((f) => scoreCell(summary.frameworks[f]?.score ?? null, `score-fleet-${f}`)),
    ...SEVERITIES.slice(0, 4).map((s) => el('td', { class: 'num', text: summary.bySeverity[s] || '' })),
  );
  clear(table.tBodies[0]).append(...rows, ...(rows.length > 1 ? [fleet] : []));
}

export function renderRisks(summary, severities, pick) {
  const risks = summary.topRisks.filter((r) => severities.has(r.severity));
  clear($('#risks').tBodies[0]).append(
    ...(risks.length === 0 ? [el('tr', {}, el('td', { colspan: 4, class: 'na', text: 'No open risk.' }))] : []),
    ...risks.map((r) =>
      el(
        'tr',
        {
          class: 'link',
          dataset: { testid: 'risk-row', control: r.controlId, severity: r.severity },
          on: { click: () => pick(r.controlId) },
        },
        el('td', {}, el('code', { text: r.controlId }), el('div', { class: 'na', text: r.title })),
        el('td', {}, severityBadge(r.severity)),
        el('td', { class: 'num', dataset: { testid: 'risk-open' }, text: r.open }),
        el('td', { class: 'num', text: r.targets }),
      ),
    ),
  );
}

export function renderChanges(changes, open) {
  const list = clear($('#changes'));
  if (changes.items.length === 0) list.append(el('li', { class: 'na', text: 'No change in the last 30 days.' }));
  for (const c of changes.items) {
    list.append(
      el(
        'li',
        { dataset: { testid: 'change', finding: c.findingId } },
        el(
          'button',
          { type: 'button', class: 'link', on: { click: () => open(c.findingId) } },
          el('span', { class: `event ${c.event}`, text: c.event.toLowerCase() }),
          ' ',
          severityBadge(c.severity),
          ' ',
          el('code', { text: c.controlId }),
          el('div', { class: 'na', text: `${targetLabel(c.target)} · ${resourceLabel(c.resource)} · ${when(c.at)}` }),
        ),
      ),
    );
  }
}
