import { paginateDescribeClusterVersions, type EKSClient } from '@aws-sdk/client-eks';
import type { EksVersionSupport } from '../../inventory/eks.js';

/** The published versions are the same for every cluster of a partition: one answer per container is enough. */
export type ClusterVersionCache = { versions?: Promise<EksVersionSupport[]> };

const day = (d: Date | undefined): string | undefined => (d && !Number.isNaN(d.getTime()) ? d.toISOString().slice(0, 10) : undefined);

/**
 * Every EKS Kubernetes version with its support dates (eks:DescribeClusterVersions, all statuses).
 * The dates are the last day of each phase, as in the published table. Throws when the call fails:
 * the caller falls back to the table.
 */
export async function describeClusterVersions(eks: EKSClient): Promise<EksVersionSupport[]> {
  const out: EksVersionSupport[] = [];
  for await (const page of paginateDescribeClusterVersions({ client: eks }, { clusterType: 'eks', includeAll: true })) {
    for (const v of page.clusterVersions ?? []) {
      const [release, standard, extended] = [day(v.releaseDate), day(v.endOfStandardSupportDate), day(v.endOfExtendedSupportDate)];
      if (!v.clusterVersion || !standard || !extended) continue;
      out.push({ version: v.clusterVersion, release: release ?? '', endOfStandardSupport: standard, endOfExtendedSupport: extended });
    }
  }
  return out;
}

/** The cached answer; a failed call is not cached (the next cluster asks again, then the table decides). */
export async function clusterVersionsFor(eks: EKSClient, cache: ClusterVersionCache): Promise<EksVersionSupport[] | undefined> {
  const pending = (cache.versions ??= describeClusterVersions(eks));
  try {
    const versions = await pending;
    return versions.length > 0 ? versions : undefined;
  } catch {
    if (cache.versions === pending) delete cache.versions;
    return undefined;
  }
}
