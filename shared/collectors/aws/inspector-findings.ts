import { paginateListFindings, type Inspector2Client } from '@aws-sdk/client-inspector2';

/** The Inspector client to ask about images of a registry: only the registry's own account sees its findings. */
export type InspectorClientFor = (registryId: string, region: string) => Inspector2Client | undefined;

// ECR's enhanced-scanning states (Inspector): basic scans say COMPLETE, IN_PROGRESS, FAILED instead.
const ENHANCED_STATUSES = new Set(['ACTIVE', 'PENDING', 'SCAN_ELIGIBILITY_EXPIRED', 'FINDINGS_UNAVAILABLE']);
/** Pages of 100 read at most per image (worst first): enough for every CRITICAL and HIGH of any real image. */
const MAX_PAGES = 10;

export function isEnhancedScan(status: string | undefined, enhancedFindings: number): boolean {
  return enhancedFindings > 0 || (status !== undefined && ENHANCED_STATUSES.has(status));
}

export interface InspectorImageFindings {
  severityCounts: Record<string, number>;
  findings: { id: string; severity: string }[];
  /** More findings than were read (lower severities are undercounted; CRITICAL and HIGH come first). */
  truncated: boolean;
}

/**
 * ACTIVE package-vulnerability findings of one image digest, from Inspector (inspector2:ListFindings),
 * sorted worst first. Under enhanced scanning Inspector holds the findings; ECR's
 * DescribeImageScanFindings does not return all of them in every case (large findings sets,
 * continuous rescans), so its answer alone must not make a PASS. Throws what the SDK throws.
 */
export async function listImageFindings(
  inspector: Inspector2Client,
  image: { registryId: string; repositoryName: string; imageDigest: string },
): Promise<InspectorImageFindings> {
  const severityCounts: Record<string, number> = {};
  const findings: InspectorImageFindings['findings'] = [];
  let pages = 0;
  let truncated = false;
  const paginator = paginateListFindings(
    { client: inspector, pageSize: 100 },
    {
      filterCriteria: {
        awsAccountId: [{ comparison: 'EQUALS', value: image.registryId }],
        ecrImageRepositoryName: [{ comparison: 'EQUALS', value: image.repositoryName }],
        ecrImageHash: [{ comparison: 'EQUALS', value: image.imageDigest }],
        findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
        findingType: [{ comparison: 'EQUALS', value: 'PACKAGE_VULNERABILITY' }],
      },
      sortCriteria: { field: 'SEVERITY', sortOrder: 'DESC' },
    },
  );
  for await (const page of paginator) {
    for (const f of page.findings ?? []) {
      const severity = (f.severity ?? 'UNTRIAGED').toUpperCase();
      severityCounts[severity] = (severityCounts[severity] ?? 0) + 1;
      const id = f.packageVulnerabilityDetails?.vulnerabilityId ?? f.title;
      if (id) findings.push({ id, severity });
    }
    if (++pages >= MAX_PAGES && page.nextToken) {
      truncated = true;
      break;
    }
  }
  return { severityCounts, findings, truncated };
}
