import { paginateListAccessEntries, paginateListAssociatedAccessPolicies, type EKSClient } from '@aws-sdk/client-eks';
import { mapLimit } from '../../core/concurrency.js';
import type { EksAccessEntry } from '../../inventory/eks.js';
import type { Gap } from '../../inventory/types.js';
import { gapFrom } from './errors.js';

export interface AccessEntriesResult {
  accessEntries?: EksAccessEntry[];
  gaps: Gap[];
}

/**
 * Access entries and their associated access policies. A cluster in CONFIG_MAP mode has none by
 * construction (ListAccessEntries would reject the call), so its list is empty, not a gap.
 */
export async function collectAccessEntries(
  eks: EKSClient,
  clusterName: string,
  authenticationMode: string | undefined,
  concurrency: number,
): Promise<AccessEntriesResult> {
  if (authenticationMode === 'CONFIG_MAP') return { accessEntries: [], gaps: [] };
  const gaps: Gap[] = [];
  const principals: string[] = [];
  try {
    for await (const page of paginateListAccessEntries({ client: eks }, { clusterName })) principals.push(...(page.accessEntries ?? []));
  } catch (e) {
    return { gaps: [gapFrom('eks:access-entries', e, `ListAccessEntries ${clusterName}`)] };
  }
  const accessEntries = await mapLimit(principals, concurrency, async (principalArn): Promise<EksAccessEntry> => {
    const entry: EksAccessEntry = { principalArn };
    try {
      const policies: NonNullable<EksAccessEntry['associatedAccessPolicies']> = [];
      for await (const page of paginateListAssociatedAccessPolicies({ client: eks }, { clusterName, principalArn })) {
        for (const p of page.associatedAccessPolicies ?? []) {
          const scope: { type?: string; namespaces?: string[] } = {};
          if (p.accessScope?.type) scope.type = p.accessScope.type;
          if (p.accessScope?.namespaces?.length) scope.namespaces = [...p.accessScope.namespaces];
          policies.push({ ...(p.policyArn ? { policyArn: p.policyArn } : {}), accessScope: scope });
        }
      }
      entry.associatedAccessPolicies = policies;
    } catch (e) {
      gaps.push(gapFrom('eks:access-entries', e, `ListAssociatedAccessPolicies ${clusterName} ${principalArn}`));
    }
    return entry;
  });
  return { accessEntries, gaps };
}
