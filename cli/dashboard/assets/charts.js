// The trend chart: open findings per day stacked by severity (critical at the bottom), and under
// it what each day opened (up) and resolved (down). Plain SVG built with the DOM, sized by
// attributes: no library, no inline style.
import { el, SEVERITIES, svg } from './dom.js';

const WIDTH = 640;
const OPEN_HEIGHT = 150;
const FLOW_HEIGHT = 64;
const LEFT = 34;
const BOTTOM = 18;

const total = (counts) => SEVERITIES.reduce((n, s) => n + (counts?.[s] ?? 0), 0);

function dayTitle(d) {
  const open = SEVERITIES.filter((s) => d.open[s] > 0).map((s) => `${d.open[s]} ${s}`);
  return `${d.date}: ${total(d.open)} open${open.length ? ` (${open.join(', ')})` : ''}; ${total(d.opened)} opened, ${total(d.resolved)} resolved, ${d.exempted} exempted`;
}

function axisLabel(x, y, text, anchor = 'end') {
  return svg('text', { x, y, 'text-anchor': anchor, class: 'axis' }, text);
}

/** Open findings per day, stacked by severity. */
function openChart(days) {
  const max = Math.max(1, ...days.map((d) => total(d.open)));
  const step = (WIDTH - LEFT) / days.length;
  const plot = OPEN_HEIGHT - BOTTOM;
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${OPEN_HEIGHT}`, role: 'img', 'aria-label': 'open findings per day by severity' });
  root.append(
    svg('line', { x1: LEFT, x2: WIDTH, y1: plot, y2: plot, class: 'grid' }),
    svg('line', { x1: LEFT, x2: WIDTH, y1: 4, y2: 4, class: 'grid' }),
    axisLabel(LEFT - 4, 10, max),
    axisLabel(LEFT - 4, plot, 0),
  );
  days.forEach((d, i) => {
    const g = svg('g', {
      class: 'day',
      dataset: { testid: 'trend-day', date: d.date, open: total(d.open), opened: total(d.opened), resolved: total(d.resolved) },
    });
    g.append(svg('title', { text: dayTitle(d) }));
    let y = plot;
    for (const s of SEVERITIES) {
      const h = ((d.open[s] ?? 0) / max) * (plot - 4);
      if (h <= 0) continue;
      y -= h;
      g.append(
        svg('rect', { x: LEFT + i * step + 1, y, width: Math.max(1, step - 2), height: h, class: `fill ${s}`, dataset: { severity: s } }),
      );
    }
    root.append(g);
  });
  // First, middle and last day, anchored so that none runs off the chart.
  const labels = [
    [0, LEFT, 'start'],
    [Math.floor(days.length / 2), LEFT + Math.floor(days.length / 2) * step + step / 2, 'middle'],
    [days.length - 1, WIDTH, 'end'],
  ];
  for (const [i, x, anchor] of days.length > 2 ? labels : labels.slice(0, 1))
    root.append(axisLabel(x, OPEN_HEIGHT - 4, days[i].date.slice(5), anchor));
  return root;
}

/** Opened (up) and resolved (down) per day, around one axis. */
function flowChart(days) {
  const max = Math.max(1, ...days.flatMap((d) => [total(d.opened), total(d.resolved)]));
  const step = (WIDTH - LEFT) / days.length;
  const mid = FLOW_HEIGHT / 2;
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${FLOW_HEIGHT}`, role: 'img', 'aria-label': 'findings opened and resolved per day' });
  root.append(
    svg('line', { x1: LEFT, x2: WIDTH, y1: mid, y2: mid, class: 'grid' }),
    axisLabel(LEFT - 4, 10, `+${max}`),
    axisLabel(LEFT - 4, FLOW_HEIGHT - 2, `−${max}`),
  );
  days.forEach((d, i) => {
    const x = LEFT + i * step + 1;
    const w = Math.max(1, step - 2);
    const up = (total(d.opened) / max) * (mid - 2);
    const down = (total(d.resolved) / max) * (mid - 2);
    if (up > 0)
      root.append(
        svg(
          'rect',
          { x, y: mid - up, width: w, height: up, class: 'fill opened' },
          svg('title', { text: `${d.date}: ${total(d.opened)} opened` }),
        ),
      );
    if (down > 0)
      root.append(
        svg(
          'rect',
          { x, y: mid, width: w, height: down, class: 'fill resolved' },
          svg('title', { text: `${d.date}: ${total(d.resolved)} resolved` }),
        ),
      );
  });
  return root;
}

function legend() {
  return el(
    'div',
    { class: 'legend' },
    SEVERITIES.map((s) => el('span', {}, el('i', { class: `swatch ${s}` }), s)),
    el('span', {}, el('i', { class: 'swatch opened' }), 'opened'),
    el('span', {}, el('i', { class: 'swatch resolved' }), 'resolved'),
  );
}

/** The whole trend block for GET /trends. */
export function trendChart(trends) {
  const days = trends.days ?? [];
  if (days.length === 0) return el('p', { class: 'na', text: 'No history yet.' });
  return el('div', { class: 'chart' }, openChart(days), flowChart(days), legend());
}

export function trendSummary(trends) {
  const days = trends.days ?? [];
  const opened = days.reduce((n, d) => n + total(d.opened), 0);
  const resolved = days.reduce((n, d) => n + total(d.resolved), 0);
  const exempted = days.reduce((n, d) => n + d.exempted, 0);
  return `${trends.from} → ${trends.to}: ${opened} opened, ${resolved} resolved, ${exempted} exempted.`;
}
