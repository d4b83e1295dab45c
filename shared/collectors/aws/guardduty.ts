import { GetDetectorCommand, paginateListDetectors, type GuardDutyClient } from '@aws-sdk/client-guardduty';
import type { EksGuardDuty } from '../../inventory/eks.js';
import type { Gap } from '../../inventory/types.js';
import { gapFrom } from './errors.js';
import type { ScanReadCache } from './scan-cache.js';

/**
 * GuardDuty's detector of an account and region with its features (EKS audit logs, runtime
 * monitoring and their agent management). A region has at most one detector; none means GuardDuty
 * is off there. Read once per account and region and scan, however many clusters it holds.
 */
export async function readGuardDuty(client: GuardDutyClient): Promise<EksGuardDuty> {
  const ids: string[] = [];
  for await (const page of paginateListDetectors({ client }, {})) ids.push(...(page.DetectorIds ?? []));
  const detectorId = ids.sort()[0];
  if (!detectorId) return { features: [] };
  const out = await client.send(new GetDetectorCommand({ DetectorId: detectorId }));
  const state: EksGuardDuty = {
    detectorId,
    features: (out.Features ?? []).flatMap((f) =>
      f.Name
        ? [
            {
              name: f.Name,
              ...(f.Status ? { status: f.Status } : {}),
              additionalConfiguration: (f.AdditionalConfiguration ?? []).flatMap((c) =>
                c.Name ? [{ name: c.Name, ...(c.Status ? { status: c.Status } : {}) }] : [],
              ),
            },
          ]
        : [],
    ),
  };
  if (out.Status) state.status = out.Status;
  const audit = out.DataSources?.Kubernetes?.AuditLogs?.Status;
  if (audit) state.kubernetesAuditLogs = audit;
  return state;
}

export async function collectGuardDuty(
  client: GuardDutyClient,
  where: { accountId: string; region: string },
  cache: ScanReadCache,
): Promise<{ guardDuty?: EksGuardDuty; gaps: Gap[] }> {
  try {
    return { guardDuty: await cache.read(`guardduty|${where.accountId}|${where.region}`, () => readGuardDuty(client)), gaps: [] };
  } catch (e) {
    return { gaps: [gapFrom('guardduty:detector', e, `GuardDuty ListDetectors/GetDetector in ${where.accountId}/${where.region}`)] };
  }
}
