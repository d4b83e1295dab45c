import { KUBERNETES_ACCESS_STATES, type KubernetesAccessState } from '../cluster-access/kubernetes-access.js';
import type { TargetItem } from './items.js';

/** A cluster whose Kubernetes API the last scan could not read completely, and what to do about it. */
export interface UnreadableCluster {
  targetId: string;
  name: string;
  accountId?: string;
  region?: string;
  state: Exclude<KubernetesAccessState, 'read'>;
  reason?: string;
  step?: string;
  lastScannedAt: string;
}

/**
 * Fleet coverage from the target markers: clusters the service discovered (markers that carry a
 * Kubernetes access state; deleted clusters left out) and how many of them it could read.
 */
export interface FleetCoverage {
  clusters: number;
  readable: number;
  /** readable / clusters (4 decimals); null when no cluster was discovered. */
  ratio: number | null;
  byState: Record<KubernetesAccessState, number>;
  unreadable: UnreadableCluster[];
}

export function fleetCoverage(markers: readonly TargetItem[]): FleetCoverage {
  const byState = Object.fromEntries(KUBERNETES_ACCESS_STATES.map((s) => [s, 0])) as Record<KubernetesAccessState, number>;
  const unreadable: UnreadableCluster[] = [];
  let clusters = 0;
  for (const t of markers) {
    const access = t.kubernetesAccess;
    if (t.kind !== 'cluster' || !access || t.deletedAt) continue;
    clusters++;
    byState[access.state]++;
    if (access.state === 'read') continue;
    const u: UnreadableCluster = { targetId: t.targetId ?? '', name: t.name, state: access.state, lastScannedAt: t.lastScannedAt };
    if (t.accountId) u.accountId = t.accountId;
    if (t.region) u.region = t.region;
    if (access.reason) u.reason = access.reason;
    if (access.step) u.step = access.step;
    unreadable.push(u);
  }
  unreadable.sort(
    (a, b) =>
      (a.accountId ?? '').localeCompare(b.accountId ?? '') ||
      (a.region ?? '').localeCompare(b.region ?? '') ||
      a.name.localeCompare(b.name),
  );
  const readable = byState.read;
  return { clusters, readable, ratio: clusters === 0 ? null : Math.round((readable / clusters) * 10_000) / 10_000, byState, unreadable };
}
