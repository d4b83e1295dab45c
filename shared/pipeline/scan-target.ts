import type { AddonVersionCache } from '../collectors/aws/eks-addons.js';
import type { ClusterVersionCache } from '../collectors/aws/eks-versions.js';
import { classifyAwsError } from '../collectors/aws/errors.js';
import { ScanReadCache } from '../collectors/aws/scan-cache.js';
import { scanCluster, scanRegistry, type AwsAccountScanOptions } from '../collectors/aws/targets.js';
import { controls as catalog } from '../controls/index.js';
import { ConfigError, InputError } from '../core/errors.js';
import { DEFAULT_EXEMPTIONS } from '../engine/default-exemptions.js';
import { summarize, type ScanReport, type Summary, type TargetReport } from '../engine/report.js';
import { runScan } from '../engine/scan.js';
import type { Exemption } from '../engine/types.js';
import { selectControls } from '../frameworks/index.js';
import type { TargetInput } from '../inventory/types.js';
import type { ScanChanges } from '../store/items.js';
import { retireDeletedRepositories } from './deleted-repositories.js';
import type { PipelineDeps } from './deps.js';
import type { AwsTarget, ScanStepInput, TargetOutcome } from './types.js';

// Add-on versions per (Kubernetes version, add-on) and EKS version support dates are the same for every cluster: keep them for the container's life.
const addonVersions: AddonVersionCache = new Map();
const clusterVersionCache: ClusterVersionCache = {};
// GuardDuty detectors and managed IAM policies: shared by the clusters this container scans in one run, never across runs.
let scanCache = new ScanReadCache();

function scanCacheFor(scanId: string): ScanReadCache {
  if (scanCache.scanId !== scanId) scanCache = new ScanReadCache(scanId);
  return scanCache;
}

/**
 * scan-cluster: one EKS cluster end to end — assume the member role, read EKS data, read the
 * Kubernetes API when it can be reached (a private endpoint outside the scanner's VPC is a gap, so
 * dependent controls say UNKNOWN), evaluate, save the target's findings. A target that cannot be
 * read is recorded UNKNOWN/ERROR with the reason; only a failure to save throws (the map retries).
 */
export async function scanClusterStep(input: ScanStepInput, deps: PipelineDeps): Promise<TargetOutcome> {
  if (input.item.target.kind !== 'cluster') throw new InputError(`scan-cluster got a ${input.item.target.kind} target`);
  if (!deps.kubernetes) throw new ConfigError('scan-cluster needs the Kubernetes collector');
  return scanStep(input, deps, (t, opts) => scanCluster(t.accountId, t.region, t.name, opts, addonVersions));
}

/** scan-registry: one account's ECR in one region (repositories, scanning configuration, policies). */
export async function scanRegistryStep(input: ScanStepInput, deps: PipelineDeps): Promise<TargetOutcome> {
  if (input.item.target.kind !== 'registry') throw new InputError(`scan-registry got a ${input.item.target.kind} target`);
  return scanStep(input, deps, async (t, opts) => {
    const collected = await scanRegistry(t.accountId, t.region, opts);
    if (input.item.rescan) await retireDeletedRepositories(collected, input, deps);
    return collected;
  });
}

type Collect = (target: AwsTarget, opts: AwsAccountScanOptions) => Promise<TargetInput>;

async function scanStep(input: ScanStepInput, deps: PipelineDeps, collect: Collect): Promise<TargetOutcome> {
  const { target, failure } = input.item;
  const collected = failure ? { target, failure } : await collectTarget(target, input, deps, collect);
  const { report, changes } = await evaluateAndSave(input, [collected], deps);
  // The results' counts only: the run judges completeness from every target's status itself.
  return outcomeOf(report.scan.targets[0]!, true, { summary: summarize(report.results), changes });
}

async function collectTarget(target: AwsTarget, input: ScanStepInput, deps: PipelineDeps, collect: Collect): Promise<TargetInput> {
  try {
    await deps.openSession(target.accountId);
  } catch (e) {
    const f = classifyAwsError(e, `account ${target.accountId}: cannot assume the member role ${deps.settings.memberRoleName}`);
    return { target, failure: { status: f.status, reason: f.message } };
  }
  return collect(target, {
    clients: deps.aws,
    regions: [target.region],
    ...(deps.kubernetes ? { kubernetes: deps.kubernetes } : {}),
    knownAccounts: new Set([...input.knownAccounts, target.accountId]),
    clusterVersionCache,
    scanCache: scanCacheFor(input.scanId),
    now: deps.now,
  });
}

/** Exemptions a scan applies: the built-in ones (unless configured off) and those granted through the API. */
export async function exemptionsForRun(deps: PipelineDeps): Promise<Exemption[]> {
  const builtIn = deps.settings.config.defaultExemptions ? [...DEFAULT_EXEMPTIONS] : [];
  return [...builtIn, ...(await deps.store.exemptionsForScan())];
}

/**
 * Evaluates the collected target(s) and saves them as part of the run (the run's scan item is left
 * to discover and summarize). Also used by summarize for targets whose scan step saved nothing.
 */
export async function evaluateAndSave(
  run: Pick<ScanStepInput, 'scanId' | 'startedAt'>,
  collected: readonly TargetInput[],
  deps: PipelineDeps,
): Promise<{ report: ScanReport; changes: ScanChanges }> {
  const s = deps.settings;
  const controls = selectControls(catalog, s.framework);
  const report = runScan(collected, {
    controls,
    exemptions: await exemptionsForRun(deps),
    config: s.config,
    framework: s.framework,
    startedAt: new Date(run.startedAt),
    now: deps.now(),
    scanId: run.scanId,
    finishedAt: deps.now,
    onboarding: s.onboarding,
  });
  const saved = await deps.store.saveScan(report, {
    partOfRun: true,
    evaluatedControls: controls.map((c) => c.id),
    retentionDays: s.retentionDays,
    now: deps.now,
  });
  return { report, changes: saved.changes };
}

/** A target's line in the run: what the map carries from the scan step to summarize. */
export function outcomeOf(t: TargetReport, recorded: boolean, extra: { summary?: Summary; changes?: ScanChanges } = {}): TargetOutcome {
  const outcome: TargetOutcome = {
    target: {
      kind: t.kind as AwsTarget['kind'],
      accountId: t.accountId!,
      region: t.region!,
      name: t.name,
      ...(t.arn ? { arn: t.arn } : {}),
    },
    status: t.status,
    resources: t.resources,
    gaps: t.gaps,
    recorded,
    ...extra,
  };
  if (t.reason) outcome.reason = t.reason;
  // The state only: reason and step stay on the target marker (the map's results must stay small).
  if (t.kubernetesAccess) outcome.kubernetesAccess = { state: t.kubernetesAccess.state };
  return outcome;
}
