import type { AwsClientFactory } from '../../../shared/collectors/aws/clients.js';
import { collectImageScanFindings, ecrImagesOf } from '../../../shared/collectors/aws/ecr-images.js';
import { collectEcrRegistry } from '../../../shared/collectors/aws/ecr-registry.js';
import { collectEksCluster } from '../../../shared/collectors/aws/eks-cluster.js';
import { eksClusterClients, registryTarget } from '../../../shared/collectors/aws/targets.js';
import { controls as catalog } from '../../../shared/controls/index.js';
import { DEFAULT_EXEMPTIONS } from '../../../shared/engine/default-exemptions.js';
import { runScan } from '../../../shared/engine/scan.js';
import { findingId } from '../../../shared/findings/id.js';
import { isFindingResult } from '../../../shared/findings/lifecycle.js';
import { selectControls } from '../../../shared/frameworks/index.js';
import type { Inventory } from '../../../shared/inventory/types.js';
import type { PipelineSettings } from '../../../shared/pipeline/settings.js';
import { targetId } from '../../../shared/store/keys.js';
import { objectsOf, type ClusterDef, type Fleet } from './world.js';

/**
 * What the store should hold for a target, computed without the pipeline: the objects the fake API
 * server serves (as generated, not as collected), the EKS and ECR data the mocked AWS answers, the
 * engine with the run's settings. Findings are FAIL and UNKNOWN results; exempted ones EXEMPTED.
 */
export type Expected = Map<string, 'OPEN' | 'EXEMPTED'>;

function expectedOf(inventory: Inventory, settings: PipelineSettings, startedAt: string): Expected {
  const report = runScan([{ inventory }], {
    controls: selectControls(catalog, settings.framework),
    exemptions: settings.config.defaultExemptions ? DEFAULT_EXEMPTIONS : [],
    config: settings.config,
    framework: settings.framework,
    scanId: 'expected',
    startedAt: new Date(startedAt),
    finishedAt: () => new Date(startedAt),
  });
  const out: Expected = new Map();
  for (const r of report.results)
    if (isFindingResult(r)) out.set(findingId(r.target, r.controlId, r.resource), r.exempted ? 'EXEMPTED' : 'OPEN');
  return out;
}

export async function expectedForCluster(
  fleet: Fleet,
  c: ClusterDef,
  run: 1 | 2,
  aws: AwsClientFactory,
  settings: PipelineSettings,
  startedAt: string,
): Promise<Expected> {
  const resources = objectsOf(fleet, c, run);
  const eks = await collectEksCluster(eksClusterClients(aws, c.accountId, c.region), c.name);
  const images = await collectImageScanFindings(ecrImagesOf(resources), (_registry, region) => aws.ecr(c.accountId, region));
  const inventory: Inventory = {
    target: { kind: 'cluster', accountId: c.accountId, region: c.region, name: c.name, arn: c.arn },
    collectedAt: startedAt,
    origin: 'live',
    resources,
    eks: eks.eks,
    ecr: { imageScanFindings: images.imageScanFindings },
    gaps: [...eks.gaps, ...images.gaps],
  };
  return expectedOf(inventory, settings, startedAt);
}

export async function expectedForRegistry(
  accountId: string,
  region: string,
  aws: AwsClientFactory,
  settings: PipelineSettings,
  startedAt: string,
): Promise<Expected> {
  const { ecr, gaps } = await collectEcrRegistry(aws.ecr(accountId, region), { region, inspector: aws.inspector(accountId, region) });
  return expectedOf(
    { target: registryTarget(accountId, region), collectedAt: startedAt, origin: 'live', resources: [], ecr, gaps },
    settings,
    startedAt,
  );
}

export const clusterTargetId = (c: Pick<ClusterDef, 'accountId' | 'region' | 'name'>) =>
  targetId({ kind: 'cluster', accountId: c.accountId, region: c.region, name: c.name });
export const registryTargetId = (accountId: string, region: string) => targetId(registryTarget(accountId, region));
