import type { FindingWithHistory } from '../../shared/store/query.js';

function evidenceLines(evidence: Record<string, unknown> | undefined): string[] {
  const entries = Object.entries(evidence ?? {}).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return [];
  return ['  evidence:', ...entries.map(([k, v]) => `    ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)];
}

/**
 * One finding as `hardline findings show` prints it: what, where, why (evidence), who accepted it
 * and from where (the exemption's source), and every state it went through, with the scan and time.
 */
export function findingDetail({ finding: f, history }: FindingWithHistory): string {
  const r = f.resource;
  const t = f.target;
  const lines = [
    `${f.findingId}  ${f.severity.toUpperCase()} ${f.state} (${f.status})`,
    `  control:    ${f.controlId}`,
    `  target:     ${t.kind} ${t.name}${t.accountId ? ` (${t.accountId}${t.region ? ` ${t.region}` : ''})` : ''}`,
    `  resource:   ${r.apiVersion} ${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}${r.container ? ` container ${r.container}` : ''}`,
    `  message:    ${f.message}`,
    `  first seen: ${f.firstSeen}   last seen: ${f.lastSeen}   last changed by scan ${f.scanId}`,
    ...(f.resolvedAt ? [`  resolved:   ${f.resolvedAt}${f.resolvedReason ? ` (${f.resolvedReason})` : ''}`] : []),
    ...(f.exempted
      ? [
          `  exempted:   ${f.exempted.reason}`,
          `              ${f.exempted.by === f.exempted.source ? '' : `by ${f.exempted.by}, `}source ${f.exempted.source}${f.exempted.expires ? `, until ${f.exempted.expires}` : ', no expiry'}`,
        ]
      : []),
    ...(f.exemptionExpired
      ? [`  exemption expired: ${f.exemptionExpired.expires} (${f.exemptionExpired.source}: ${f.exemptionExpired.reason})`]
      : []),
    ...evidenceLines(f.evidence),
    ...(f.evidenceTruncated ? ['  (evidence truncated in the store)'] : []),
    `  history (${history.length} change${history.length === 1 ? '' : 's'}):`,
    ...[...history]
      .sort((a, b) => a.version - b.version)
      .map(
        (h) =>
          `    v${h.version}  ${h.at}  ${h.event.padEnd(10)} ${h.previousState ? `${h.previousState} → ` : ''}${h.state}  ${h.status}  scan ${h.scanId}${h.reason ? `  (${h.reason})` : ''}`,
      ),
  ];
  return lines.join('\n') + '\n';
}
