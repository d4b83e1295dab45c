import {
  BatchGetRepositoryScanningConfigurationCommand,
  GetLifecyclePolicyCommand,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  paginateDescribeRepositories,
  type ECRClient,
  type Repository,
} from '@aws-sdk/client-ecr';
import type { Inspector2Client } from '@aws-sdk/client-inspector2';
import { isAwsError } from '../../core/aws-errors.js';
import { chunk, mapLimit } from '../../core/concurrency.js';
import type { EcrInventory, EcrPolicyState, EcrRegistryScanning, EcrRepository } from '../../inventory/ecr.js';
import type { Gap } from '../../inventory/types.js';
import { collectLatestImages } from './ecr-latest-images.js';
import { gapFrom, mergeGaps } from './errors.js';
import { toJson } from './json.js';

/** ECR's limit for BatchGetRepositoryScanningConfiguration. */
export const SCANNING_BATCH_SIZE = 25;

export interface EcrRegistryCollection {
  ecr: EcrInventory;
  gaps: Gap[];
}

/**
 * One registry (account + region): every repository with its settings, the registry-level
 * scanning rules, the effective scanning configuration per repository, lifecycle and repository
 * policies, and (when the region is known, to name the images) each repository's most recently
 * pushed image with its scan findings. Every failed call is a gap; "no policy" is a real answer
 * (absent), not a gap.
 */
export async function collectEcrRegistry(
  ecr: ECRClient,
  opts: { concurrency?: number; region?: string; inspector?: Inspector2Client } = {},
): Promise<EcrRegistryCollection> {
  const concurrency = opts.concurrency ?? 4;
  const inv: EcrInventory = {};
  if (opts.region) inv.region = opts.region;
  const raw: Repository[] = [];
  try {
    for await (const page of paginateDescribeRepositories({ client: ecr }, {})) raw.push(...(page.repositories ?? []));
  } catch (e) {
    return { ecr: inv, gaps: [gapFrom('ecr:repositories', e, 'DescribeRepositories')] };
  }
  const repositories = raw.filter((r) => r.repositoryName).map(toRepository);
  inv.repositories = repositories;
  if (repositories[0]?.registryId) inv.registryId = repositories[0].registryId;
  const gaps: Gap[] = [];

  try {
    const out = await ecr.send(new GetRegistryScanningConfigurationCommand({}));
    if (out.registryId) inv.registryId = out.registryId;
    inv.registryScanning = {
      ...(out.scanningConfiguration?.scanType ? { scanType: out.scanningConfiguration.scanType } : {}),
      rules: (out.scanningConfiguration?.rules ?? []).map((r) => toJson(r) as EcrRegistryScanning['rules'][number]),
    };
  } catch (e) {
    gaps.push(gapFrom('ecr:scanning-configuration', e, 'GetRegistryScanningConfiguration'));
  }

  const byName = new Map(repositories.map((r) => [r.repositoryName, r]));
  const batches = chunk(
    repositories.map((r) => r.repositoryName),
    SCANNING_BATCH_SIZE,
  );
  await mapLimit(batches, concurrency, async (repositoryNames) => {
    try {
      const out = await ecr.send(new BatchGetRepositoryScanningConfigurationCommand({ repositoryNames }));
      for (const c of out.scanningConfigurations ?? []) {
        const repo = c.repositoryName ? byName.get(c.repositoryName) : undefined;
        if (!repo) continue;
        repo.scanningConfiguration = toJson({
          scanOnPush: c.scanOnPush,
          scanFrequency: c.scanFrequency,
          appliedScanFilters: c.appliedScanFilters,
        }) as EcrRepository['scanningConfiguration'];
      }
    } catch (e) {
      gaps.push(
        gapFrom('ecr:scanning-configuration', e, `BatchGetRepositoryScanningConfiguration (${repositoryNames.length} repositories)`),
      );
    }
  });

  await mapLimit(repositories, concurrency, async (repo) => {
    const { repositoryName, registryId } = repo;
    const ids = { repositoryName, ...(registryId ? { registryId } : {}) };
    const lifecycle = await readPolicy(
      () => ecr.send(new GetLifecyclePolicyCommand(ids)).then((o) => o.lifecyclePolicyText),
      'LifecyclePolicyNotFoundException',
    );
    if ('state' in lifecycle) repo.lifecyclePolicy = lifecycle.state;
    else gaps.push(gapFrom('ecr:lifecycle-policies', lifecycle.error, `GetLifecyclePolicy ${repositoryName}`));
    const policy = await readPolicy(
      () => ecr.send(new GetRepositoryPolicyCommand(ids)).then((o) => o.policyText),
      'RepositoryPolicyNotFoundException',
    );
    if ('state' in policy) repo.repositoryPolicy = policy.state;
    else gaps.push(gapFrom('ecr:repository-policies', policy.error, `GetRepositoryPolicy ${repositoryName}`));
  });

  if (opts.region) {
    const latest = { region: opts.region, concurrency, ...(inv.registryId ? { registryId: inv.registryId } : {}) };
    gaps.push(...(await collectLatestImages(ecr, repositories, { ...latest, ...(opts.inspector ? { inspector: opts.inspector } : {}) })));
  }

  const n = repositories.length;
  return {
    ecr: inv,
    gaps: mergeGaps(gaps, { 'ecr:lifecycle-policies': n, 'ecr:repository-policies': n, 'ecr:scanning-configuration': batches.length + 1 }),
  };
}

async function readPolicy(
  read: () => Promise<string | undefined>,
  notFound: string,
): Promise<{ state: EcrPolicyState } | { error: unknown }> {
  try {
    const text = await read();
    return { state: text ? { status: 'present', text } : { status: 'absent' } };
  } catch (e) {
    if (isAwsError(e, notFound)) return { state: { status: 'absent' } };
    return { error: e };
  }
}

function toRepository(r: Repository): EcrRepository {
  const json = toJson(r) as Record<string, unknown>;
  return { ...json, repositoryName: r.repositoryName! };
}
