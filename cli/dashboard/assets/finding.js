// The drill-down of one finding (GET /findings/{id}): what it is, where, and every state it went through.
import { el, resourceLabel, severityBadge, targetLabel, when } from './dom.js';

function fact(term, ...value) {
  return [el('dt', { text: term }), el('dd', {}, ...value)];
}

function evidence(ev) {
  if (!ev) return [];
  const parts = Object.entries(ev)
    .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return parts.length ? fact('Evidence', el('span', { class: 'evidence', text: parts.join(' · ') })) : [];
}

export function findingDetails(f) {
  const exemption = f.exempted
    ? fact(
        'Exempted',
        `by ${f.exempted.by}${f.exempted.source ? ` (${f.exempted.source})` : ''}: ${f.exempted.reason}${f.exempted.expires ? `, until ${f.exempted.expires}` : ''}`,
      )
    : [];
  return [
    ...fact('Severity', severityBadge(f.severity), ` ${f.status}`),
    ...fact('State', el('span', { dataset: { testid: 'drill-state' }, text: f.state })),
    ...fact('Target', targetLabel(f.target)),
    ...fact('Resource', el('span', { dataset: { testid: 'drill-resource' }, text: resourceLabel(f.resource) })),
    ...fact('Message', f.message),
    ...evidence(f.evidence),
    ...exemption,
    ...fact('Seen', `${when(f.firstSeen)} → ${when(f.lastSeen)}`),
    ...(f.resolvedAt ? fact('Resolved', `${when(f.resolvedAt)}${f.resolvedReason ? ` (${f.resolvedReason})` : ''}`) : []),
    ...fact('Finding id', el('code', { text: f.findingId })),
  ];
}

export function historyRows(events) {
  return [...events]
    .sort((a, b) => a.version - b.version)
    .map((h) =>
      el(
        'tr',
        { dataset: { testid: 'history-row', version: h.version, event: h.event } },
        el('td', { class: 'num', text: h.version }),
        el('td', {}, el('span', { class: `event ${h.event}`, text: h.event.toLowerCase() })),
        el('td', { text: h.previousState ? `${h.previousState} → ${h.state}` : h.state }),
        el('td', { class: 'num', text: when(h.at) }),
        el('td', {}, el('code', { text: h.scanId })),
        el('td', { text: h.reason ?? '' }),
      ),
    );
}
