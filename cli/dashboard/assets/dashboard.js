// The fleet view: reads GET /summary, /trends, /changes, /findings and /findings/{id} of this
// server and draws them. It sends only GETs. The cluster filter narrows the summary sections; the
// severity, state and control filters narrow the findings list (and the top risks by severity).
import { trendChart, trendSummary } from './charts.js';
import { findingDetails, historyRows } from './finding.js';
import { $, clear, el, percent, resourceLabel, SEVERITIES, severityBadge, targetLabel, when } from './dom.js';

const FRAMEWORKS = {
  all: 'Overall',
  'nsa-cisa': 'NSA/CISA',
  'cis-eks': 'CIS EKS',
  'pss-baseline': 'PSS baseline',
  'pss-restricted': 'PSS restricted',
};
const TOKEN_KEY = 'hardline-serve-token';
const PAGE = 50;

const filters = { cluster: '', severities: new Set(SEVERITIES), state: 'OPEN', control: '' };
let nextCursor;

let pending = 0;
/** Requests in flight, on the body (`data-busy`): what a person sees as "loading", and what tests wait for. */
function busy(delta) {
  pending += delta;
  document.body.dataset.busy = String(pending > 0);
}

async function api(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  const token = sessionStorage.getItem(TOKEN_KEY);
  busy(+1);
  try {
    const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, cache: 'no-store', credentials: 'omit' });
    const body = await res.json().catch(() => ({}));
    if (res.status === 401) $('#token-form').hidden = false;
    if (!res.ok) throw new Error(`${url.pathname}: ${body.error ?? `HTTP ${res.status}`}`);
    return body;
  } finally {
    busy(-1);
  }
}

function report(error) {
  const status = $('#status');
  status.hidden = false;
  status.textContent = `Could not load — ${error.message}`;
}

function card(testid, n, label, cls = '') {
  return el(
    'div',
    { class: `card ${cls}` },
    el('div', { class: 'n', dataset: { testid }, text: n }),
    el('div', { class: 'l', text: label }),
  );
}

function renderCards(summary) {
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

function renderCoverage(cov) {
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

function renderScores(summary) {
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

function renderRisks(summary) {
  const risks = summary.topRisks.filter((r) => filters.severities.has(r.severity));
  clear($('#risks').tBodies[0]).append(
    ...(risks.length === 0 ? [el('tr', {}, el('td', { colspan: 4, class: 'na', text: 'No open risk.' }))] : []),
    ...risks.map((r) =>
      el(
        'tr',
        {
          class: 'link',
          dataset: { testid: 'risk-row', control: r.controlId, severity: r.severity },
          on: { click: () => setControl(r.controlId) },
        },
        el('td', {}, el('code', { text: r.controlId }), el('div', { class: 'na', text: r.title })),
        el('td', {}, severityBadge(r.severity)),
        el('td', { class: 'num', dataset: { testid: 'risk-open' }, text: r.open }),
        el('td', { class: 'num', text: r.targets }),
      ),
    ),
  );
}

function renderChanges(changes) {
  const list = clear($('#changes'));
  if (changes.items.length === 0) list.append(el('li', { class: 'na', text: 'No change in the last 30 days.' }));
  for (const c of changes.items) {
    list.append(
      el(
        'li',
        { dataset: { testid: 'change', finding: c.findingId } },
        el(
          'button',
          { type: 'button', class: 'link', on: { click: () => openFinding(c.findingId) } },
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

function findingRow(f) {
  return el(
    'tr',
    {
      class: 'link',
      dataset: { testid: 'finding-row', finding: f.findingId, severity: f.severity, state: f.state },
      on: { click: () => openFinding(f.findingId) },
    },
    el('td', {}, severityBadge(f.severity)),
    el('td', {}, el('code', { text: f.controlId }), el('div', { class: 'na', text: f.message })),
    el('td', { text: targetLabel(f.target) }),
    el('td', { dataset: { testid: 'finding-resource' }, text: resourceLabel(f.resource) }),
    el('td', { text: f.state }),
    el('td', { class: 'num', text: when(f.lastSeen) }),
  );
}

function findingQuery() {
  const severity = filters.severities.size === SEVERITIES.length ? '' : [...filters.severities].join(',');
  return { cluster: filters.cluster, severity, state: filters.state, control: filters.control, limit: PAGE };
}

async function loadFindings(append = false) {
  const body = $('#findings').tBodies[0];
  if (!append) clear(body);
  if (filters.severities.size === 0) {
    nextCursor = undefined;
    $('#findings-count').textContent = '(no severity selected)';
    $('#more').hidden = true;
    return;
  }
  const page = await api('/findings', { ...findingQuery(), cursor: append ? nextCursor : undefined });
  body.append(...page.items.map(findingRow));
  nextCursor = page.nextCursor;
  $('#more').hidden = !nextCursor;
  const shown = body.rows.length;
  $('#findings-count').textContent = `(${shown} shown${nextCursor ? ', more below' : ''})`;
  $('#findings').dataset.shown = String(shown);
}

function fillClusters(summary) {
  const select = $('#filter-cluster');
  const names = [...new Set(summary.clusters.map((c) => c.name))].sort();
  const chosen = select.value;
  clear(select).append(el('option', { value: '', text: 'all targets' }), ...names.map((n) => el('option', { value: n, text: n })));
  select.value = names.includes(chosen) ? chosen : '';
}

async function loadSummary() {
  const fleet = await api('/summary');
  fillClusters(fleet);
  const summary = filters.cluster ? await api('/summary', { cluster: filters.cluster }) : fleet;
  renderCards(summary);
  renderCoverage(summary.coverage);
  renderScores(summary);
  renderRisks(summary);
  return summary;
}

let lastSummary;
async function refresh() {
  $('#status').hidden = true;
  try {
    const [summary, trends, changes] = await Promise.all([loadSummary(), api('/trends', { days: 30 }), api('/changes', { limit: 12 })]);
    lastSummary = summary;
    clear($('#trend')).append(trendChart(trends));
    $('#trend-line').textContent = trendSummary(trends);
    renderChanges(changes);
    await loadFindings();
    $('#updated').textContent = `updated ${when(new Date().toISOString())}`;
    document.body.dataset.loaded = 'true';
  } catch (e) {
    report(e);
  }
}

function setControl(id) {
  filters.control = id;
  $('#filter-control').textContent = id;
  $('#filter-control-chip').hidden = !id;
  loadFindings().catch(report);
  if (id) $('#findings-h').scrollIntoView({ block: 'start' });
}

async function openFinding(id) {
  if (location.hash !== `#finding=${id}`) history.replaceState(null, '', `#finding=${id}`);
  const panel = $('#drilldown');
  try {
    const { finding, history: events } = await api(`/findings/${encodeURIComponent(id)}`);
    $('#drill-title').textContent = finding.controlId;
    clear($('#drill-facts')).append(...findingDetails(finding));
    clear($('#drill-history').tBodies[0]).append(...historyRows(events));
    panel.dataset.finding = finding.findingId;
    panel.hidden = false;
  } catch (e) {
    report(e);
  }
}

function closeFinding() {
  $('#drilldown').hidden = true;
  history.replaceState(null, '', location.pathname + location.search);
}

function wire() {
  const fieldset = $('#filter-severity');
  for (const s of SEVERITIES) {
    const box = el('input', { type: 'checkbox', name: 'severity', value: s, checked: true });
    box.addEventListener('change', () => {
      if (box.checked) filters.severities.add(s);
      else filters.severities.delete(s);
      if (lastSummary) renderRisks(lastSummary);
      loadFindings().catch(report);
    });
    fieldset.append(el('label', {}, box, ' ', severityBadge(s)));
  }
  $('#filter-cluster').addEventListener('change', (e) => {
    filters.cluster = e.target.value;
    refresh();
  });
  $('#filter-state').addEventListener('change', (e) => {
    filters.state = e.target.value;
    loadFindings().catch(report);
  });
  $('#clear-control').addEventListener('click', () => setControl(''));
  $('#more').addEventListener('click', () => loadFindings(true).catch(report));
  $('#refresh').addEventListener('click', refresh);
  $('#drill-close').addEventListener('click', closeFinding);
  document.addEventListener('keydown', (e) => e.key === 'Escape' && closeFinding());
  $('#token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('#token').value.trim());
    $('#token-form').hidden = true;
    refresh();
  });
  window.addEventListener('hashchange', followLink);
  followLink();
}

/** `#finding=<id>` opens that finding: a link to it can be shared. */
function followLink() {
  const linked = /^#finding=([0-9a-f]{12,64})$/.exec(location.hash);
  if (linked) openFinding(linked[1]);
  else $('#drilldown').hidden = true;
}

wire();
refresh();
