import type { ScanReport } from '../../engine/report.js';
import { html, type Html } from './escape.js';

/**
 * Kubernetes API coverage of the report's AWS clusters: how many were read, and for every other one
 * the state, what the collector said and the step that onboards it. Absent when no target carries
 * an access state (manifests, kubeconfig contexts).
 */
export function coverageSection(report: ScanReport): Html | string {
  const clusters = report.scan.targets.filter((t) => t.kubernetesAccess);
  if (clusters.length === 0) return '';
  const unreadable = clusters.filter((t) => t.kubernetesAccess!.state !== 'read');
  const readable = clusters.length - unreadable.length;
  const percent = Math.round((readable / clusters.length) * 1000) / 10;
  return html`<h2 id="coverage">Kubernetes API coverage</h2>
<p data-testid="coverage" data-readable="${readable}" data-clusters="${clusters.length}"><strong>${readable} of ${clusters.length}</strong> cluster${clusters.length === 1 ? '' : 's'} read (${percent}%).</p>
${
  unreadable.length === 0
    ? ''
    : html`<table data-testid="coverage-unreadable"><thead><tr><th>cluster</th><th>access</th><th>what happened</th><th>to make it readable</th></tr></thead><tbody>
${unreadable.map(
  (t) =>
    html`<tr data-testid="coverage-row" data-state="${t.kubernetesAccess!.state}"><td>${t.accountId ?? ''}/${t.region ?? ''}/${t.name}</td><td><span class="status">${t.kubernetesAccess!.state}</span></td><td>${t.kubernetesAccess!.reason ?? ''}</td><td><code>${t.kubernetesAccess!.step ?? ''}</code></td></tr>`,
)}
</tbody></table>`
}`;
}
