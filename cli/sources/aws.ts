import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createSdkClientFactory, REQUEST_TIMEOUTS, type CredentialProvider } from '../../shared/collectors/aws/clients.js';
import { classifyAwsError } from '../../shared/collectors/aws/errors.js';
import { liveKubernetesCollector } from '../../shared/collectors/aws/kubernetes-part.js';
import { listActiveAccounts } from '../../shared/collectors/aws/organizations.js';
import { SessionCache, sessionNameFor } from '../../shared/collectors/aws/sessions.js';
import {
  collectAwsTargets as collectTargets,
  type AwsAccountScanOptions,
  type TargetSelection,
} from '../../shared/collectors/aws/targets.js';
import { EKS_CLUSTER_NAME, REGION } from '../../shared/core/aws-ids.js';
import { splitCommaList } from '../../shared/core/comma-list.js';
import { ConfigError, describeError, UsageError } from '../../shared/core/errors.js';
import type { TargetInput } from '../../shared/inventory/types.js';
import type { Progress } from '../progress.js';

export interface AwsSourceFlags {
  aws?: boolean;
  regions?: string;
  org?: boolean;
  roleName?: string;
  externalId?: string;
  /** `cluster:NAME,registry`: only these targets, through the same collectors, without listing the account. */
  targets?: string;
}

const ROLE_NAME = /^[\w+=,.@/-]{1,64}$/;
const DEFAULT_MAX_ATTEMPTS = 5;

/** `--regions eu-west-1,us-east-1` → validated list; empty when the flag is absent. */
export function parseRegions(value: string | undefined): string[] {
  if (value === undefined) return [];
  const regions = splitCommaList(value);
  const bad = regions.filter((r) => !REGION.test(r));
  if (regions.length === 0 || bad.length > 0) {
    throw new UsageError(`--regions must be a comma-separated list of AWS regions (got '${bad.join(', ') || value}')`);
  }
  return regions;
}

/** `--targets cluster:prod,cluster:dev,registry` → the selection; anything else is a usage error (exit 2). */
export function parseTargets(value: string): TargetSelection {
  const items = splitCommaList(value);
  if (items.length === 0) throw new UsageError('--targets is empty: give cluster:NAME and/or registry (comma-separated)');
  const clusters: string[] = [];
  let registry = false;
  for (const item of items) {
    const cluster = /^cluster:(.*)$/.exec(item);
    if (item === 'registry') registry = true;
    else if (cluster && EKS_CLUSTER_NAME.test(cluster[1]!)) clusters.push(cluster[1]!);
    else throw new UsageError(`--targets: unknown target '${item}' (expected cluster:NAME with an EKS cluster name, or registry)`);
  }
  return { clusters, registry };
}

/** AWS_MAX_ATTEMPTS as the SDK reads it (hardline sets retryMode itself, so it passes maxAttempts explicitly too). */
function maxAttempts(): number {
  const n = Number(process.env['AWS_MAX_ATTEMPTS']);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_MAX_ATTEMPTS;
}

function checkFlags(flags: AwsSourceFlags): TargetSelection | undefined {
  if (flags.org && flags.roleName !== undefined && !ROLE_NAME.test(flags.roleName)) {
    throw new UsageError(`--role-name '${flags.roleName}' is not an IAM role name`);
  }
  if (!flags.org && flags.externalId !== undefined) throw new UsageError('--external-id is only used with --org');
  return flags.targets === undefined ? undefined : parseTargets(flags.targets);
}

/**
 * EKS clusters and ECR registries of the current account, or of every ACTIVE account of the
 * organisation (`--org`, through `--role-name` with `--external-id`). Clients are built with only
 * region, credentials and retry settings, so the SDK's own configuration decides endpoints and
 * credentials: profiles, AWS_REGION, AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> all apply.
 */
export async function collectAwsTargets(flags: AwsSourceFlags, progress: Progress): Promise<TargetInput[]> {
  const only = checkFlags(flags);
  const attempts = maxAttempts();
  const explicit = parseRegions(flags.regions);
  const sts = new STSClient({
    ...(explicit[0] ? { region: explicit[0] } : {}),
    retryMode: 'adaptive',
    maxAttempts: attempts,
    requestHandler: REQUEST_TIMEOUTS,
  });
  let home: string;
  try {
    home = await sts.config.region();
  } catch (e) {
    throw new ConfigError(`no AWS region configured: set AWS_REGION, a profile region, or --regions (${describeError(e)})`, { cause: e });
  }
  const regions = explicit.length > 0 ? explicit : [home];

  progress.update('AWS: who am I (sts:GetCallerIdentity)');
  let caller: { account: string; partition: string };
  try {
    const me = await sts.send(new GetCallerIdentityCommand({}));
    if (!me.Account) throw new Error('GetCallerIdentity returned no account');
    caller = { account: me.Account, partition: me.Arn?.split(':')[1] || 'aws' };
  } catch (e) {
    throw new ConfigError(`cannot use the AWS credentials: ${classifyAwsError(e, 'sts:GetCallerIdentity').message}`, { cause: e });
  }
  const defaultCredentials = () => sts.config.credentials();

  let accounts = [caller.account];
  let sessions: SessionCache | undefined;
  if (flags.org) {
    progress.update('AWS: listing organisation accounts');
    try {
      accounts = (
        await listActiveAccounts(
          new OrganizationsClient({ region: home, retryMode: 'adaptive', maxAttempts: attempts, requestHandler: REQUEST_TIMEOUTS }),
        )
      ).map((a) => a.id);
    } catch (e) {
      throw new ConfigError(
        `--org: cannot list the organisation's accounts: ${classifyAwsError(e, 'organizations:ListAccounts').message}`,
        { cause: e },
      );
    }
    sessions = new SessionCache(sts, {
      roleName: flags.roleName ?? 'hardline-read',
      ...(flags.externalId ? { externalId: flags.externalId } : {}),
      sessionName: sessionNameFor(new Date().toISOString().replace(/[:.]/g, '')),
      partition: caller.partition,
    });
  }
  // The caller's own account is read with the caller's credentials: no role to assume into itself.
  const credentialsFor = (accountId: string): CredentialProvider | undefined =>
    sessions && accountId !== caller.account ? sessions.provider(accountId) : undefined;
  const clients = createSdkClientFactory({ region: home, maxAttempts: attempts, credentialsFor });
  const options: AwsAccountScanOptions = {
    clients,
    regions,
    kubernetes: liveKubernetesCollector({ defaultCredentials }),
    knownAccounts: new Set(accounts),
    progress: (m) => progress.update(`AWS: ${m}`),
  };
  if (sessions) {
    const s = sessions;
    options.openSession = (accountId) => (accountId === caller.account ? Promise.resolve() : s.credentials(accountId));
    options.checkRegionEnablement = true;
  }
  if (!only) return collectTargets(accounts, options);
  const notFound = new Map<string, number>();
  options.only = only;
  options.onClusterNotFound = (_a, _r, name) => notFound.set(name, (notFound.get(name) ?? 0) + 1);
  const inputs = await collectTargets(accounts, options);
  // A name no account and region knows is a typo, like a PATH that does not exist: nothing is scanned or saved.
  const unknown = only.clusters.filter((name) => notFound.get(name) === accounts.length * regions.length);
  if (unknown.length > 0)
    throw new UsageError(
      `--targets: no cluster named ${unknown.join(', ')} in ${accounts.length === 1 ? `account ${accounts[0]}` : `${accounts.length} accounts`}, region${regions.length === 1 ? '' : 's'} ${regions.join(', ')}`,
    );
  return inputs;
}
