import { paginateDescribeImages, type ECRClient, type ImageDetail } from '@aws-sdk/client-ecr';
import type { Inspector2Client } from '@aws-sdk/client-inspector2';
import { mapLimit } from '../../core/concurrency.js';
import { registryHost, type EcrRepository } from '../../inventory/ecr.js';
import type { Gap } from '../../inventory/types.js';
import { collectImageScanFindings } from './ecr-images.js';
import { gapFrom, mergeGaps } from './errors.js';

// Image indexes (multi-arch lists) are not scanned themselves: their platform images are.
const INDEX_TYPES = new Set(['application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.oci.image.index.v1+json']);
const IMAGE_CONFIG_TYPES = new Set(['application/vnd.docker.container.image.v1+json', 'application/vnd.oci.image.config.v1+json']);
// cosign stores signatures, attestations and SBOMs as image-shaped manifests tagged after the image's digest.
const COSIGN_TAG = /^sha256-[0-9a-f]{64}\.(sig|att|sbom)$/;

/** A container image, not an index, a signature, a Helm chart or another OCI artifact. */
export function isContainerImage(image: Pick<ImageDetail, 'imageManifestMediaType' | 'artifactMediaType' | 'imageTags'>): boolean {
  if (image.imageManifestMediaType && INDEX_TYPES.has(image.imageManifestMediaType)) return false;
  if (image.artifactMediaType && !IMAGE_CONFIG_TYPES.has(image.artifactMediaType)) return false;
  const tags = image.imageTags ?? [];
  return tags.length === 0 || !tags.every((t) => COSIGN_TAG.test(t));
}

/** The most recently pushed container image (ties: the greater digest, so the pick is stable). */
export function latestContainerImage(images: readonly ImageDetail[]): ImageDetail | undefined {
  let latest: ImageDetail | undefined;
  for (const image of images) {
    if (!image.imageDigest || !isContainerImage(image)) continue;
    const at = image.imagePushedAt?.getTime() ?? 0;
    const best = latest?.imagePushedAt?.getTime() ?? 0;
    if (!latest || at > best || (at === best && image.imageDigest > latest.imageDigest!)) latest = image;
  }
  return latest;
}

/**
 * Each repository's most recently pushed container image (DescribeImages, every page: ECR does not
 * sort) and its scan findings, read as for running images — ECR's DescribeImageScanFindings, and
 * Inspector for images under enhanced scanning. Sets `latestImage` on each repository it could list.
 */
export async function collectLatestImages(
  ecr: ECRClient,
  repositories: EcrRepository[],
  opts: { region: string; registryId?: string; inspector?: Inspector2Client; concurrency?: number },
): Promise<Gap[]> {
  const concurrency = opts.concurrency ?? 4;
  const gaps: Gap[] = [];
  const picked = new Map<string, { repo: EcrRepository; image: ImageDetail }>();
  await mapLimit(repositories, concurrency, async (repo) => {
    const { repositoryName } = repo;
    const registryId = repo.registryId ?? opts.registryId;
    const images: ImageDetail[] = [];
    try {
      const input = { repositoryName, ...(registryId ? { registryId } : {}) };
      for await (const page of paginateDescribeImages({ client: ecr, pageSize: 1000 }, input)) images.push(...(page.imageDetails ?? []));
    } catch (e) {
      gaps.push(gapFrom('ecr:images', e, `DescribeImages ${repositoryName}`));
      return;
    }
    const image = latestContainerImage(images);
    if (!image || !registryId) {
      repo.latestImage = { status: 'none', artifacts: images.length };
      return;
    }
    picked.set(`${registryHost(registryId, opts.region)}/${repositoryName}@${image.imageDigest}`, { repo, image });
  });
  const { imageScanFindings, gaps: findingGaps } = await collectImageScanFindings(
    [...picked.keys()],
    () => ecr,
    concurrency,
    opts.inspector ? () => opts.inspector : undefined,
  );
  for (const findings of imageScanFindings) {
    const entry = picked.get(findings.image);
    if (!entry) continue;
    const { image } = entry;
    entry.repo.latestImage = {
      status: 'present',
      imageDigest: image.imageDigest!,
      ...(image.imageTags?.length ? { imageTags: [...image.imageTags].sort() } : {}),
      ...(image.imagePushedAt ? { imagePushedAt: image.imagePushedAt.toISOString() } : {}),
      findings,
    };
  }
  return [...mergeGaps(gaps, { 'ecr:images': repositories.length }), ...findingGaps];
}
