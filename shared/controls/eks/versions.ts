import type { EksVersionSupport } from '../../inventory/eks.js';

export type { EksVersionSupport };

/**
 * Amazon EKS Kubernetes version support dates, as AWS publishes them. Standard support lasts 14
 * months from the EKS release, extended support 12 more; after that EKS auto-upgrades the
 * cluster. The live answer (eks:DescribeClusterVersions, collected into the inventory) is used
 * when there is one; this table is the offline fallback (snapshots, a member role without the
 * permission). Update it when AWS releases a version, and move the checked date with it.
 */
export const EKS_VERSIONS_CHECKED = '2026-11-24';

export const EKS_VERSION_SUPPORT: readonly EksVersionSupport[] = [
  { version: '1.35', release: '2026-01-28', endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27' },
  { version: '1.34', release: '2025-10-06', endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02' },
  { version: '1.33', release: '2025-05-28', endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29' },
  { version: '1.32', release: '2025-01-25', endOfStandardSupport: '2026-03-23', endOfExtendedSupport: '2027-03-23' },
  { version: '1.31', release: '2024-09-26', endOfStandardSupport: '2025-11-26', endOfExtendedSupport: '2026-11-26' },
  { version: '1.30', release: '2024-05-23', endOfStandardSupport: '2025-07-23', endOfExtendedSupport: '2026-07-23' },
  { version: '1.29', release: '2024-01-23', endOfStandardSupport: '2025-03-23', endOfExtendedSupport: '2026-03-23' },
  { version: '1.28', release: '2023-09-26', endOfStandardSupport: '2024-11-26', endOfExtendedSupport: '2025-11-26' },
];

export type SupportPhase = 'standard' | 'extended' | 'ended' | 'newer-than-table';

export interface SupportVerdict {
  phase: SupportPhase;
  entry?: EksVersionSupport;
}

/** `1.30`, `1.30.2`, `v1.30` → [1, 30]; undefined when it is not a version. */
export function parseMinor(version: string): [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

const DAY_MS = 86_400_000;
/** The instant a support phase is over: the day after its last day, 00:00 UTC. */
export function endInstant(lastDay: string): number {
  return Date.parse(`${lastDay}T00:00:00Z`) + DAY_MS;
}

/** Where a Kubernetes minor version stands on `now` (always the scan's clock, never the system's). */
export function supportPhase(
  version: string,
  now: Date,
  table: readonly EksVersionSupport[] = EKS_VERSION_SUPPORT,
): SupportVerdict | undefined {
  const v = parseMinor(version);
  if (!v) return undefined;
  const key = `${v[0]}.${v[1]}`;
  const entry = table.find((e) => e.version === key);
  if (!entry) {
    const newest = table.map((e) => parseMinor(e.version)!).reduce((a, b) => (b[0] > a[0] || (b[0] === a[0] && b[1] > a[1]) ? b : a));
    const newer = v[0] > newest[0] || (v[0] === newest[0] && v[1] > newest[1]);
    // Older than the table: those versions are past extended support already (the table keeps every version still supported).
    return { phase: newer ? 'newer-than-table' : 'ended' };
  }
  const t = now.getTime();
  if (t < endInstant(entry.endOfStandardSupport)) return { phase: 'standard', entry };
  if (t < endInstant(entry.endOfExtendedSupport)) return { phase: 'extended', entry };
  return { phase: 'ended', entry };
}
