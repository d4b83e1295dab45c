import { PutObjectCommand } from '@aws-sdk/client-s3';
import { listClusterNames } from '../collectors/aws/eks-cluster.js';
import { classifyAwsError } from '../collectors/aws/errors.js';
import { listActiveAccounts } from '../collectors/aws/organizations.js';
import { regionNotEnabledReason } from '../collectors/aws/region-reason.js';
import { enabledRegions, type RegionEnablement } from '../collectors/aws/regions.js';
import { allClustersTarget, registryTarget } from '../collectors/aws/targets.js';
import { mapLimit } from '../core/concurrency.js';
import { ConfigError, describeError } from '../core/errors.js';
import { openRun } from '../store/run.js';
import type { PipelineDeps } from './deps.js';
import type { RescanExecutionInput } from './rescan-input.js';
import { requireDiscoverySettings } from './settings.js';
import { discoverNamedTargets } from './targeted-discovery.js';
import type { AwsTarget, DiscoveredTarget, DiscoverInput, DiscoverOutput } from './types.js';

/**
 * Inline mode carries the targets and then every outcome (up to ~0.8 KB each with its counts) in the
 * state, which Step Functions caps at 256 KB: past these the run needs the Distributed Map.
 */
export const INLINE_MAX_TARGETS = 200;
export const INLINE_TARGETS_BUDGET_BYTES = 60_000;

export function targetsKeyOf(scanId: string): string {
  return `scans/${scanId}/targets.json`;
}

const failed = (target: AwsTarget, status: 'UNKNOWN' | 'ERROR', reason: string): DiscoveredTarget => ({
  target,
  failure: { status, reason },
});
const cluster = (accountId: string, region: string, name: string): AwsTarget => ({ kind: 'cluster', accountId, region, name });
// The same pseudo-targets the CLI reports (a region's unlisted clusters, the account's registry), so ids match across both.
const anyCluster = (accountId: string, region: string): AwsTarget => ({
  ...allClustersTarget(accountId, region),
  kind: 'cluster',
  accountId,
  region,
});
const registry = (accountId: string, region: string): AwsTarget => ({
  ...registryTarget(accountId, region),
  kind: 'registry',
  accountId,
  region,
});

/**
 * Step 1 of a run: which (account, region, cluster | registry) targets exist. Opens the run's scan
 * item, lists the organisation's ACTIVE accounts (or the scanner's own), and per account assumes
 * the member role, checks which regions are enabled and lists clusters. Nothing per account
 * throws: a denied AssumeRole, a disabled region or a failed ListClusters becomes a target that
 * carries its failure, so the run reports it (UNKNOWN/ERROR) instead of silently scanning less.
 */
export async function discoverTargets(
  input: DiscoverInput & { request?: RescanExecutionInput | undefined },
  deps: PipelineDeps,
): Promise<DiscoverOutput> {
  const s = deps.settings;
  requireDiscoverySettings(s);
  const accounts = input.request ? await accountsForRescan(deps) : await accountsToScan(deps);
  await openRun(deps.store.ctx, { scanId: input.scanId, startedAt: input.startedAt, framework: s.framework });
  if (input.request) {
    // A rescan: only the named targets, looked at first (deleted, still changing, or to scan).
    const named = await discoverNamedTargets(input.request, accounts, deps);
    const out = await emitTargets(input, named.items, accounts, deps);
    return {
      ...out,
      targeted: true,
      ...(named.deleted.length > 0 ? { deletedTargets: named.deleted } : {}),
      ...(named.settling > 0 ? { settlingTargets: named.settling } : {}),
      ...(named.rejected.length > 0 ? { rejectedTargets: named.rejected } : {}),
      ...(named.problems.length > 0 ? { problems: named.problems } : {}),
    };
  }
  const perAccount = await mapLimit(accounts, s.accountConcurrency, (accountId) => discoverAccount(accountId, deps));
  return emitTargets(input, perAccount.flat(), accounts, deps);
}

/** The run's targets for the map: inline in the state, or in S3 for the Distributed Map. */
async function emitTargets(
  input: DiscoverInput,
  items: DiscoveredTarget[],
  accounts: string[],
  deps: PipelineDeps,
): Promise<DiscoverOutput> {
  const s = deps.settings;
  const out: DiscoverOutput = { scanId: input.scanId, startedAt: input.startedAt, targetCount: items.length, knownAccounts: accounts };
  const body = JSON.stringify(items);
  if (s.mapMode === 'inline') {
    if (items.length > INLINE_MAX_TARGETS || body.length > INLINE_TARGETS_BUDGET_BYTES) {
      throw new ConfigError(`${items.length} targets (${body.length} bytes) do not fit the inline map; deploy with mapMode 'distributed'`);
    }
    return { ...out, items };
  }
  const key = targetsKeyOf(input.scanId);
  if (!deps.s3) throw new ConfigError('discover needs the S3 client');
  await deps.s3.send(new PutObjectCommand({ Bucket: s.runsBucket!, Key: key, Body: body, ContentType: 'application/json' }));
  return { ...out, targetsKey: key };
}

/**
 * Rescans come in bursts (an apply across many clusters starts many at once): their account list
 * is kept for a while per container rather than listed from Organizations every time, whose API
 * throttles early. An account that joined since is covered by the next scheduled run.
 */
const RESCAN_ACCOUNTS_TTL_MS = 15 * 60_000;
let rescanAccounts: { at: number; accounts: string[] } | undefined;

async function accountsForRescan(deps: PipelineDeps): Promise<string[]> {
  if (deps.settings.orgMode === 'account') return accountsToScan(deps);
  const now = deps.now().getTime();
  const cached = rescanAccounts;
  if (cached && now >= cached.at && now - cached.at < RESCAN_ACCOUNTS_TTL_MS) return cached.accounts;
  const accounts = await accountsToScan(deps);
  rescanAccounts = { at: now, accounts };
  return accounts;
}

async function accountsToScan(deps: PipelineDeps): Promise<string[]> {
  const s = deps.settings;
  if (s.orgMode === 'account') return [s.accountId!];
  if (!deps.organizations) throw new ConfigError('discover needs the Organizations client in organisation mode');
  try {
    const accounts = (await listActiveAccounts(deps.organizations)).map((a) => a.id);
    if (accounts.length === 0) throw new ConfigError('the organisation lists no ACTIVE account');
    return accounts;
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    // Without the account list there is nothing to scan: the run fails (and alarms), it does not report "0 findings".
    throw new ConfigError(`cannot list the organisation's accounts: ${classifyAwsError(e, 'organizations:ListAccounts').message}`, {
      cause: e,
    });
  }
}

export async function discoverAccount(accountId: string, deps: PipelineDeps): Promise<DiscoveredTarget[]> {
  const regions = deps.settings.regions;
  try {
    await deps.openSession(accountId);
  } catch (e) {
    const f = classifyAwsError(e, `account ${accountId}: cannot assume the member role ${deps.settings.memberRoleName}`);
    return regions.flatMap((region) => [
      failed(anyCluster(accountId, region), f.status, f.message),
      failed(registry(accountId, region), f.status, f.message),
    ]);
  }
  let enablement: RegionEnablement;
  try {
    enablement = await enabledRegions({ account: deps.aws.account(accountId), ec2: () => deps.aws.ec2(accountId, regions[0]!) });
  } catch (e) {
    enablement = { known: false, reason: describeError(e) };
  }
  const perRegion = await mapLimit(regions, 4, async (region): Promise<DiscoveredTarget[]> => {
    if (enablement.known && !enablement.enabled.has(region)) {
      const reason = regionNotEnabledReason(region, accountId, enablement.source);
      return [failed(anyCluster(accountId, region), 'UNKNOWN', reason), failed(registry(accountId, region), 'UNKNOWN', reason)];
    }
    const found: DiscoveredTarget[] = [];
    try {
      const names = await listClusterNames(deps.aws.eks(accountId, region));
      for (const name of names) found.push({ target: cluster(accountId, region, name) });
    } catch (e) {
      const f = classifyAwsError(e, `ListClusters in ${accountId}/${region}`);
      found.push(failed(anyCluster(accountId, region), f.status, f.message));
    }
    found.push({ target: registry(accountId, region) });
    return found;
  });
  return perRegion.flat();
}
