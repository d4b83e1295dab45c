import { DescribeImageScanFindingsCommand, type ECRClient, type ImageScanFindings } from '@aws-sdk/client-ecr';
import { awsErrorName } from '../../core/aws-errors.js';
import { mapLimit } from '../../core/concurrency.js';
import { parseEcrImage, type EcrImageScanFindings } from '../../inventory/ecr.js';
import { isEksAddonRegistry } from '../../inventory/eks-addon-registries.js';
import { asString } from '../../inventory/read.js';
import type { Gap, KubeObject } from '../../inventory/types.js';
import { toWorkload } from '../../inventory/workloads.js';
import { classifyAwsError, mergeGaps } from './errors.js';
import { isEnhancedScan, listImageFindings, type InspectorClientFor, type InspectorImageFindings } from './inspector-findings.js';

/** The ECR client to ask about images of a registry (account, region); the image's account may differ from the cluster's. */
export type EcrClientFor = (registryId: string, region: string) => ECRClient;

const SEVERITY_ORDER = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNTRIAGED', 'UNDEFINED'];
const TOP_FINDINGS = 10;
// ECR's "no findings to show" answers: the image is there but not judged, or not there.
const UNAVAILABLE: Record<string, string> = {
  ScanNotFoundException: 'not-scanned',
  ImageNotFoundException: 'image-not-found',
  RepositoryNotFoundException: 'repository-not-found',
};

/**
 * Every distinct image in a private ECR registry that a pod-bearing object of the inventory references,
 * except EKS add-on images in AWS's own registries, whose findings no other account can read.
 */
export function ecrImagesOf(resources: readonly KubeObject[]): string[] {
  const images = new Set<string>();
  for (const obj of resources) {
    const w = toWorkload(obj);
    if (!w) continue;
    for (const c of w.containers) {
      const image = asString(c.spec['image']);
      const ref = image ? parseEcrImage(image) : undefined;
      if (ref && !isEksAddonRegistry(ref.registryId)) images.add(image!.trim());
    }
  }
  return [...images].sort();
}

/**
 * DescribeImageScanFindings for each image (by digest when the reference pins one, else by tag).
 * One page is enough for basic scans: `findingSeverityCounts` covers every finding, and only the
 * worst ids are kept. Under enhanced scanning the findings are Inspector's: they are read from
 * inspector2:ListFindings when the registry's own account can be asked (`inspectorFor`).
 */
export async function collectImageScanFindings(
  images: readonly string[],
  ecrFor: EcrClientFor,
  concurrency = 4,
  inspectorFor?: InspectorClientFor,
): Promise<{ imageScanFindings: EcrImageScanFindings[]; gaps: Gap[] }> {
  const gaps: Gap[] = [];
  const imageScanFindings = await mapLimit(images, concurrency, async (image): Promise<EcrImageScanFindings | undefined> => {
    const ref = parseEcrImage(image);
    if (!ref) return undefined;
    const entry: EcrImageScanFindings = { image, registryId: ref.registryId, region: ref.region, repositoryName: ref.repositoryName };
    if (ref.imageTag) entry.imageTag = ref.imageTag;
    if (ref.imageDigest) entry.imageDigest = ref.imageDigest;
    try {
      const out = await ecrFor(ref.registryId, ref.region).send(
        new DescribeImageScanFindingsCommand({
          registryId: ref.registryId,
          repositoryName: ref.repositoryName,
          imageId: ref.imageDigest ? { imageDigest: ref.imageDigest } : { imageTag: ref.imageTag! },
          maxResults: 100,
        }),
      );
      if (out.imageId?.imageDigest) entry.imageDigest = out.imageId.imageDigest;
      if (out.imageScanStatus?.status) entry.scanStatus = out.imageScanStatus.status;
      if (out.imageScanStatus?.description) entry.scanStatusDescription = out.imageScanStatus.description;
      const fromEcr = summarizeFindings(out.imageScanFindings);
      const enhanced = isEnhancedScan(entry.scanStatus, out.imageScanFindings?.enhancedFindings?.length ?? 0);
      const inspector = enhanced && entry.imageDigest ? inspectorFor?.(ref.registryId, ref.region) : undefined;
      if (!inspector) {
        Object.assign(entry, fromEcr);
        return entry;
      }
      try {
        const found = await listImageFindings(inspector, {
          registryId: ref.registryId,
          repositoryName: ref.repositoryName,
          imageDigest: entry.imageDigest!,
        });
        Object.assign(entry, fromInspector(found));
      } catch (e) {
        const failure = classifyAwsError(e, `inspector2:ListFindings ${ref.repositoryName}`);
        // ECR's partial answer can still prove a FAIL; it can never prove a PASS.
        if ((fromEcr.severityCounts?.['CRITICAL'] ?? 0) + (fromEcr.severityCounts?.['HIGH'] ?? 0) > 0) Object.assign(entry, fromEcr);
        else {
          entry.unavailable = { reason: failure.reason, message: failure.message };
          gaps.push({ source: 'ecr:image-scan-findings', reason: failure.reason, message: failure.message });
        }
      }
    } catch (e) {
      const known = UNAVAILABLE[awsErrorName(e)];
      const failure = classifyAwsError(e, `DescribeImageScanFindings ${ref.repositoryName}`);
      entry.unavailable = { reason: known ?? failure.reason, message: failure.message };
      if (!known) gaps.push({ source: 'ecr:image-scan-findings', reason: failure.reason, message: failure.message });
    }
    return entry;
  });
  return {
    imageScanFindings: imageScanFindings.filter((f): f is EcrImageScanFindings => f !== undefined),
    gaps: mergeGaps(gaps, { 'ecr:image-scan-findings': images.length }),
  };
}

function worstFirst(all: { id: string; severity: string }[]): { id: string; severity: string }[] {
  const rank = (s: string) => {
    const i = SEVERITY_ORDER.indexOf(s);
    return i < 0 ? SEVERITY_ORDER.length : i;
  };
  const seen = new Set<string>();
  return all
    .sort((a, b) => rank(a.severity) - rank(b.severity) || a.id.localeCompare(b.id))
    .filter((x) => !seen.has(x.id) && seen.add(x.id))
    .slice(0, TOP_FINDINGS);
}

function fromInspector(
  found: InspectorImageFindings,
): Pick<EcrImageScanFindings, 'scanType' | 'severityCounts' | 'topFindings' | 'scanStatusDescription'> {
  return {
    scanType: 'ENHANCED',
    severityCounts: found.severityCounts,
    topFindings: worstFirst(found.findings),
    ...(found.truncated
      ? {
          scanStatusDescription:
            'Inspector has more findings than were read; CRITICAL and HIGH counts are complete, lower severities undercounted',
        }
      : {}),
  };
}

function summarizeFindings(f: ImageScanFindings | undefined): Pick<EcrImageScanFindings, 'scanType' | 'severityCounts' | 'topFindings'> {
  if (!f) return {};
  const enhanced = (f.enhancedFindings?.length ?? 0) > 0;
  const all: { id: string; severity: string }[] = [];
  for (const b of f.findings ?? []) if (b.name) all.push({ id: b.name, severity: (b.severity ?? 'UNDEFINED').toUpperCase() });
  for (const e of f.enhancedFindings ?? []) {
    const id = e.packageVulnerabilityDetails?.vulnerabilityId ?? e.title;
    if (id) all.push({ id, severity: (e.severity ?? 'UNTRIAGED').toUpperCase() });
  }
  const topFindings = worstFirst(all);
  const severityCounts: Record<string, number> = {};
  if (f.findingSeverityCounts) {
    for (const [k, v] of Object.entries(f.findingSeverityCounts)) if (typeof v === 'number') severityCounts[k.toUpperCase()] = v;
  } else {
    for (const x of all) severityCounts[x.severity] = (severityCounts[x.severity] ?? 0) + 1;
  }
  // With no findings at all the answer does not say which scanner ran.
  return { ...(all.length > 0 ? { scanType: enhanced ? ('ENHANCED' as const) : ('BASIC' as const) } : {}), severityCounts, topFindings };
}
