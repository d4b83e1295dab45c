/**
 * ECR data, JSON-serialisable. Filled by shared/collectors/aws. A registry target (account +
 * region) carries `repositories` and `registryScanning`; a cluster target carries
 * `imageScanFindings` for the ECR images its workloads run.
 * Gap sources: `ecr:repositories`, `ecr:scanning-configuration`, `ecr:lifecycle-policies`,
 * `ecr:repository-policies`, `ecr:image-scan-findings`, `ecr:images`.
 * Snapshots are replayed without validation, so controls still read these fields defensively.
 */

/** A per-repository read that can succeed with "none" (absent) — undefined when the read failed. */
export type EcrPolicyState = { status: 'present'; text: string } | { status: 'absent' };

export interface EcrRepository {
  repositoryName: string;
  repositoryArn?: string;
  registryId?: string;
  imageTagMutability?: string;
  imageTagMutabilityExclusionFilters?: { filterType?: string; filter?: string }[];
  imageScanningConfiguration?: { scanOnPush?: boolean };
  encryptionConfiguration?: { encryptionType?: string; kmsKey?: string };
  /** BatchGetRepositoryScanningConfiguration's view (registry rules already applied by ECR). */
  scanningConfiguration?: { scanOnPush?: boolean; scanFrequency?: string; appliedScanFilters?: { filter?: string; filterType?: string }[] };
  lifecyclePolicy?: EcrPolicyState;
  repositoryPolicy?: EcrPolicyState;
  /** The most recently pushed container image (DescribeImages); undefined when the images could not be listed. */
  latestImage?: EcrLatestImage;
  [key: string]: unknown;
}

/**
 * `none`: the repository holds no container image (empty, or only image indexes, signatures, Helm
 * charts and other artifacts). `present`: the newest container image and its scan findings.
 */
export type EcrLatestImage =
  | { status: 'none'; artifacts: number }
  | { status: 'present'; imageDigest: string; imageTags?: string[]; imagePushedAt?: string; findings: EcrImageScanFindings };

/** GetRegistryScanningConfiguration: scan type and rules with repository filters. */
export interface EcrRegistryScanning {
  scanType?: string;
  rules: { scanFrequency?: string; repositoryFilters?: { filter?: string; filterType?: string }[] }[];
}

export type EcrSeverityCounts = Partial<Record<string, number>>;

/** Scan findings of one image a workload runs, kept small: counts and the worst CVE ids only. */
export interface EcrImageScanFindings {
  /** The image reference exactly as the workload names it. */
  image: string;
  registryId: string;
  region: string;
  repositoryName: string;
  imageTag?: string;
  imageDigest?: string;
  /** ImageScanStatus.status (COMPLETE, ACTIVE, IN_PROGRESS, FAILED, UNSUPPORTED_IMAGE, …). */
  scanStatus?: string;
  scanStatusDescription?: string;
  /** BASIC findings or ENHANCED (Inspector) findings. */
  scanType?: 'BASIC' | 'ENHANCED';
  severityCounts?: EcrSeverityCounts;
  /** Up to ten vulnerability ids, worst first. */
  topFindings?: { id: string; severity: string }[];
  /** Why there are no findings to judge (not scanned, image not found, access denied). */
  unavailable?: { reason: string; message: string };
}

export interface EcrInventory {
  registryId?: string;
  region?: string;
  repositories?: EcrRepository[];
  registryScanning?: EcrRegistryScanning;
  imageScanFindings?: EcrImageScanFindings[];
  [key: string]: unknown;
}

/** An image that lives in a private ECR registry: `<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag|@digest]`. */
export interface EcrImageRef {
  registryId: string;
  region: string;
  repositoryName: string;
  imageTag?: string;
  imageDigest?: string;
}

// Commercial, China (.amazonaws.com.cn) and FIPS hosts; the account id is 12 digits.
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** Parses an image reference; undefined when it is not in a private ECR registry. */
export function parseEcrImage(image: string): EcrImageRef | undefined {
  const trimmed = image.trim();
  const slash = trimmed.indexOf('/');
  if (slash < 0) return undefined;
  const host = ECR_HOST.exec(trimmed.slice(0, slash));
  if (!host) return undefined;
  let rest = trimmed.slice(slash + 1);
  let imageDigest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    imageDigest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let imageTag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    imageTag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (!rest) return undefined;
  const ref: EcrImageRef = { registryId: host[1]!, region: host[2]!, repositoryName: rest };
  // A digest identifies the image exactly; the tag next to it is informational only.
  if (imageDigest) ref.imageDigest = imageDigest;
  else ref.imageTag = imageTag || 'latest';
  if (imageDigest && imageTag) ref.imageTag = imageTag;
  return ref;
}

export function registryHost(accountId: string, region: string): string {
  return `${accountId}.dkr.ecr.${region}.amazonaws.com`;
}
