import {
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  paginateListAddons,
  paginateListNodegroups,
  type EKSClient,
} from '@aws-sdk/client-eks';
import { DescribeRepositoriesCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { mapLimit } from '../../core/concurrency.js';
import { isAwsError } from '../../core/aws-errors.js';

/**
 * Whether a named target can be scanned now, before a rescan reads it: `gone` only on
 * ResourceNotFound (the confirming Describe of a deletion), `settling` while the cluster or one of
 * its nodegroups or add-ons is being created, updated or deleted (DescribeCluster shows the old
 * settings until an update is done), `ready` otherwise. Any other failure is `unknown`: the scan
 * step then meets it and records the reason.
 */
export type ClusterState =
  { state: 'ready' } | { state: 'gone' } | { state: 'settling'; what: string } | { state: 'unknown'; error: unknown };

const TRANSITIONAL = new Set(['CREATING', 'UPDATING', 'DELETING', 'PENDING']);

export async function clusterState(eks: EKSClient, name: string, concurrency = 4): Promise<ClusterState> {
  let status: string | undefined;
  try {
    status = (await eks.send(new DescribeClusterCommand({ name }))).cluster?.status;
  } catch (e) {
    if (isAwsError(e, 'ResourceNotFoundException')) return { state: 'gone' };
    return { state: 'unknown', error: e };
  }
  if (status && TRANSITIONAL.has(status)) return { state: 'settling', what: `cluster ${name} is ${status}` };
  try {
    const parts = await Promise.all([partStates(eks, name, 'nodegroup', concurrency), partStates(eks, name, 'addon', concurrency)]);
    const busy = parts.flat().find((p) => p.status && TRANSITIONAL.has(p.status));
    return busy ? { state: 'settling', what: `${busy.kind} ${name}/${busy.name} is ${busy.status}` } : { state: 'ready' };
  } catch (e) {
    // The scan reads these again and reports what it cannot: a failed look here only means "do not wait".
    return { state: 'unknown', error: e };
  }
}

async function partStates(
  eks: EKSClient,
  clusterName: string,
  kind: 'nodegroup' | 'addon',
  concurrency: number,
): Promise<{ kind: string; name: string; status?: string }[]> {
  const names: string[] = [];
  if (kind === 'nodegroup')
    for await (const page of paginateListNodegroups({ client: eks }, { clusterName })) names.push(...(page.nodegroups ?? []));
  else for await (const page of paginateListAddons({ client: eks }, { clusterName })) names.push(...(page.addons ?? []));
  return mapLimit(names, concurrency, async (name) => {
    try {
      const status =
        kind === 'nodegroup'
          ? (await eks.send(new DescribeNodegroupCommand({ clusterName, nodegroupName: name }))).nodegroup?.status
          : (await eks.send(new DescribeAddonCommand({ clusterName, addonName: name }))).addon?.status;
      return { kind, name, ...(status ? { status } : {}) };
    } catch (e) {
      // Deleted between the list and the describe: it is settled (gone).
      if (isAwsError(e, 'ResourceNotFoundException')) return { kind, name };
      throw e;
    }
  });
}

/** The confirming Describe of a deleted repository: true only on RepositoryNotFoundException. */
export async function repositoryGone(ecr: ECRClient, registryId: string, repositoryName: string): Promise<boolean> {
  try {
    await ecr.send(new DescribeRepositoriesCommand({ registryId, repositoryNames: [repositoryName] }));
    return false;
  } catch (e) {
    if (isAwsError(e, 'RepositoryNotFoundException')) return true;
    throw e;
  }
}
