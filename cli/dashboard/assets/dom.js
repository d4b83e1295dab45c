// DOM helpers of the dashboard. Values from the store only ever become text nodes or attribute
// values (never markup), so a resource named `<script>` is shown as those characters.

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(node, attrs, children) {
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = String(v);
    else if (k === 'dataset') for (const [dk, dv] of Object.entries(v)) node.dataset[dk] = String(dv);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) node.addEventListener(ev, fn);
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** An HTML element: `el('td', { class: 'num', text: 3 })`, children as nodes or text. */
export function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element, same shape as `el`. */
export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

export const $ = (selector) => document.querySelector(selector);

export function severityBadge(severity) {
  return el('span', { class: `sev ${SEVERITIES.includes(severity) ? severity : 'info'}`, text: severity });
}

/** `2026-11-16 10:00 UTC` from an ISO time; the input itself when it is not one. */
export function when(iso) {
  const t = Date.parse(iso ?? '');
  if (Number.isNaN(t)) return iso ?? '';
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `82.5%`, or `n/a` when nothing was judged. */
export function percent(score) {
  return typeof score === 'number' ? `${Math.round(score * 1000) / 10}%` : 'n/a';
}

/** A target as people read it: name (account · region). */
export function targetLabel(t) {
  if (!t) return '';
  return t.accountId ? `${t.name} (${t.accountId} · ${t.region ?? ''})` : t.name;
}

export function resourceLabel(r) {
  if (!r) return '';
  const ns = r.namespace ? `${r.namespace}/` : '';
  return `${r.kind}/${ns}${r.name}${r.container ? ` [${r.container}]` : ''}`;
}
