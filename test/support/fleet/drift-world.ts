import type { AwsWorldState, ClientIdentity } from './aws-mocks.js';
import type { ClusterDef } from './world.js';

/**
 * The changes of the drift scenario, as AWS would show them over (simulated) time: ECR settings
 * change at once; an EKS cluster configuration update puts the cluster in UPDATING and only shows
 * the new settings when it is done; a deleted cluster is DELETING for a while, then gone
 * (ResourceNotFoundException, and no longer listed); a deleted repository is gone at once.
 */
export type ClusterChange =
  | { kind: 'endpoint-public'; at: number; settleMs: number }
  | { kind: 'audit-logging-on'; at: number; settleMs: number }
  | { kind: 'delete'; at: number; settleMs: number };

export type RepositoryChange = { kind: 'mutability'; at: number; value: 'MUTABLE' | 'IMMUTABLE' } | { kind: 'delete'; at: number };

export class DriftWorld {
  private readonly clusters = new Map<string, ClusterChange[]>();
  private readonly repositories = new Map<string, RepositoryChange[]>();

  constructor(private readonly clock: () => number) {}

  changeCluster(c: ClusterDef, change: ClusterChange): void {
    this.clusters.set(c.key, [...(this.clusters.get(c.key) ?? []), change]);
  }

  changeRepository(accountId: string, region: string, name: string, change: RepositoryChange): void {
    const key = `${accountId}|${region}|${name}`;
    this.repositories.set(key, [...(this.repositories.get(key) ?? []), change]);
  }

  /** Whether ListClusters still names the cluster. */
  listed(c: ClusterDef): boolean {
    const del = (this.clusters.get(c.key) ?? []).find((x) => x.kind === 'delete');
    return !del || this.clock() < del.at + del.settleMs;
  }

  /** Installs the changes into the mocked AWS of the fleet harness. */
  install(state: AwsWorldState): void {
    state.listed = (c) => this.listed(c);
    state.describeCluster = (c, answer) => {
      const changes = (this.clusters.get(c.key) ?? []).filter((x) => x.at <= this.clock());
      if (changes.length === 0) return answer;
      const now = this.clock();
      const cluster = structuredClone(answer.cluster);
      let status = 'ACTIVE';
      for (const ch of changes) {
        const done = now >= ch.at + ch.settleMs;
        if (ch.kind === 'delete') {
          if (done)
            throw Object.assign(new Error(`No cluster found for name: ${c.name}.`), {
              name: 'ResourceNotFoundException',
              $metadata: { httpStatusCode: 404 },
            });
          status = 'DELETING';
          continue;
        }
        if (!done) {
          if (status !== 'DELETING') status = 'UPDATING';
          continue;
        }
        if (ch.kind === 'endpoint-public')
          cluster['resourcesVpcConfig'] = {
            ...(cluster['resourcesVpcConfig'] as Record<string, unknown>),
            endpointPublicAccess: true,
            publicAccessCidrs: ['0.0.0.0/0'],
          };
        else
          cluster['logging'] = {
            clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true }],
          };
      }
      cluster['status'] = status;
      return { ...answer, cluster };
    };
    state.repositories = <T extends { repositoryName: string }>(id: ClientIdentity, repos: T[]): T[] =>
      repos.flatMap((r) => {
        const changes = (this.repositories.get(`${id.accountId}|${id.region}|${r.repositoryName}`) ?? []).filter(
          (x) => x.at <= this.clock(),
        );
        if (changes.some((x) => x.kind === 'delete')) return [];
        const last = changes.filter((x) => x.kind === 'mutability').at(-1);
        return [last ? { ...r, imageTagMutability: last.value } : r];
      });
  }
}

/** Clusters whose endpoint starts out restricted to an allow-list (aws-mocks: index % 3 ≠ 0), and whose audit logging starts incomplete (index % 4 = 0). */
export const restrictedEndpoint = (c: ClusterDef) => c.index % 3 !== 0;
export const partialLogging = (c: ClusterDef) => c.index % 4 === 0;
