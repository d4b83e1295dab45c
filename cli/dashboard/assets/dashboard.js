// The fleet view: reads GET /summary, /trends, /changes, /findings and /findings/{id} of this
// server and draws them. It sends only GETs. The cluster filter narrows the summary sections; the
// severity, state and control filters narrow the findings list (and the top risks by severity).
import { trendChart, trendSummary } from './charts.js';
import { findingDetails, historyRows } from './finding.js';
import { $, clear, el, resourceLabel, SEVERITIES, severityBadge, targetLabel, when } from './dom.js';
import { renderCards, renderChanges, renderCoverage, renderRisks, renderScores } from './sections.js';

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

function findingRow(f) {
  return el(
    'tr',
    {
      class: 'link',
      dataset: { testid: 'finding-row', finding: f.findingId, severity: f.severity, state: f.state, status: f.status },
      on: { click: () => openFinding(f.findingId) },
    },
    el('td', {}, severityBadge(f.severity)),
    el('td', {}, el('code', { text: f.controlId }), el('div', { class: 'na', text: f.message })),
    el('td', { text: targetLabel(f.target) }),
    el('td', { dataset: { testid: 'finding-resource' }, text: resourceLabel(f.resource) }),
    // An open UNKNOWN or ERROR is not a confirmed failure: the row says so beside its state.
    el('td', {}, f.state, ...(f.status === 'FAIL' ? [] : [' ', el('span', { class: `status ${f.status}`, text: f.status })])),
    el('td', { class: 'num', text: when(f.lastSeen) }),
  );
}

function findingQuery() {
  const severity = filters.severities.size === SEVERITIES.length ? '' : [...filters.severities].join(',');
  return { cluster: filters.cluster, severity, state: filters.state, control: filters.control, limit: PAGE };
}

// Filters can change faster than answers arrive: only the newest request of each kind is drawn.
let findingsAsked = 0;
let refreshesAsked = 0;

async function loadFindings(append = false) {
  const mine = ++findingsAsked;
  const body = $('#findings').tBodies[0];
  const page =
    filters.severities.size === 0 ? { items: [] } : await api('/findings', { ...findingQuery(), cursor: append ? nextCursor : undefined });
  if (mine !== findingsAsked) return;
  if (!append) clear(body);
  body.append(...page.items.map(findingRow));
  nextCursor = page.nextCursor;
  $('#more').hidden = !nextCursor;
  const shown = body.rows.length;
  $('#findings-count').textContent =
    filters.severities.size === 0 ? '(no severity selected)' : `(${shown} shown${nextCursor ? ', more below' : ''})`;
}

function fillClusters(summary) {
  const select = $('#filter-cluster');
  const names = [...new Set(summary.clusters.map((c) => c.name))].sort();
  const chosen = select.value;
  clear(select).append(el('option', { value: '', text: 'all targets' }), ...names.map((n) => el('option', { value: n, text: n })));
  select.value = names.includes(chosen) ? chosen : '';
}

let lastSummary;
async function refresh() {
  const mine = ++refreshesAsked;
  $('#status').hidden = true;
  document.body.dataset.loaded = 'false';
  try {
    const [fleet, narrowed, trends, changes] = await Promise.all([
      api('/summary'),
      filters.cluster ? api('/summary', { cluster: filters.cluster }) : undefined,
      api('/trends', { days: 30 }),
      api('/changes', { limit: 12 }),
    ]);
    const summary = narrowed ?? fleet;
    if (mine !== refreshesAsked) return;
    fillClusters(fleet);
    lastSummary = summary;
    renderCards(summary);
    renderCoverage(summary.coverage);
    renderScores(summary);
    renderRisks(summary, filters.severities, setControl);
    clear($('#trend')).append(trendChart(trends));
    $('#trend-line').textContent = trendSummary(trends);
    renderChanges(changes, openFinding);
    await loadFindings();
    if (mine !== refreshesAsked) return;
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

let drillAsked = 0;
async function openFinding(id) {
  const mine = ++drillAsked;
  if (location.hash !== `#finding=${id}`) history.replaceState(null, '', `#finding=${id}`);
  const panel = $('#drilldown');
  try {
    const { finding, history: events } = await api(`/findings/${encodeURIComponent(id)}`);
    if (mine !== drillAsked) return;
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
      if (lastSummary) renderRisks(lastSummary, filters.severities, setControl);
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
