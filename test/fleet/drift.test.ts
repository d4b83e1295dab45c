import { beforeAll, describe, expect, it } from 'vitest';
import { registryHost } from '../../shared/inventory/ecr.js';
import { simulateDrift, type DriftResult, type ScriptedCall } from '../support/fleet/drift.js';
import { driftSeconds, matchingEvents, rescans, rescansOf } from '../support/fleet/drift-measure.js';
import type { ClusterDef, Fleet } from '../support/fleet/world.js';

/**
 * One change per event family, each on its own target of a small fleet (2 accounts × 3 clusters),
 * through the whole path in simulated time (test/support/fleet/drift.ts): member rule → changes bus →
 * delayed queue → rescan-targets → the scan state machine → stream → publisher → bus. CloudTrail's
 * delay is pinned at 6 s here; the debounce window is the default 60 s.
 */
let result: DriftResult;
let fleet: Fleet;
const S = 1000;
const key = (c: ClusterDef) => `cluster|${c.accountId}|${c.region}|${c.name}`;
const clusterRef = (c: ClusterDef) => ({ kind: 'cluster' as const, accountId: c.accountId, region: c.region, name: c.name });
let endpoint: ClusterDef;
let burst: ClusterDef;
let doomed: ClusterDef;
let accountA: string;
let accountB: string;

beforeAll(async () => {
  result = await simulateDrift({ accounts: 2, regions: ['eu-west-1'], clustersPerRegion: 3 }, (f): ScriptedCall[] => {
    fleet = f;
    // index % 3 ≠ 0: endpoint restricted to an allow-list at first.
    [endpoint, burst, , , doomed] = [f.clusters[1]!, f.clusters[2]!, f.clusters[3]!, f.clusters[4]!, f.clusters[5]!];
    accountA = f.accountIds[0]!;
    accountB = f.accountIds[1]!;
    const base = { region: 'eu-west-1', deliveryMs: 6 * S };
    return [
      {
        at: 0,
        ...base,
        call: {
          service: 'ecr',
          eventName: 'PutImageTagMutability',
          accountId: accountA,
          region: 'eu-west-1',
          requestParameters: { repositoryName: 'shop/web', imageTagMutability: 'MUTABLE' },
        },
        change: (w, at) => w.changeRepository(accountA, 'eu-west-1', 'shop/web', { kind: 'mutability', at, value: 'MUTABLE' }),
        expect: {
          detailType: 'Finding Opened',
          controlId: 'ecr.tag-immutability',
          target: { kind: 'registry', accountId: accountA, region: 'eu-west-1', name: registryHost(accountA, 'eu-west-1') },
          resourceName: 'shop/web',
        },
      },
      {
        at: 10 * S,
        ...base,
        call: {
          service: 'eks',
          eventName: 'UpdateClusterConfig',
          accountId: endpoint.accountId,
          region: 'eu-west-1',
          requestParameters: { name: endpoint.name, resourcesVpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] } },
        },
        // The update takes 70 s: the first look (a window after the event) finds the cluster UPDATING.
        change: (w, at) => w.changeCluster(endpoint, { kind: 'endpoint-public', at, settleMs: 70 * S }),
        expect: { detailType: 'Finding Opened', controlId: 'eks.endpoint-public-access', target: { ...clusterRef(endpoint) } },
      },
      // 20 calls for one cluster within 10 s (an IaC apply), some delivered twice.
      ...Array.from({ length: 20 }, (_, i): ScriptedCall => ({
        at: 20 * S + i * 500,
        ...base,
        deliveries: i % 4 === 0 ? 2 : 1,
        call: {
          service: 'eks',
          eventName: i % 2 ? 'CreateAccessEntry' : 'AssociateAccessPolicy',
          accountId: burst.accountId,
          region: 'eu-west-1',
          requestParameters: { clusterName: burst.name, principalArn: `arn:aws:iam::${burst.accountId}:role/ci-${i}` },
        },
      })),
      {
        at: 30 * S,
        ...base,
        call: {
          service: 'eks',
          eventName: 'DeleteCluster',
          accountId: doomed.accountId,
          region: 'eu-west-1',
          requestParameters: { name: doomed.name },
        },
        change: (w, at) => w.changeCluster(doomed, { kind: 'delete', at, settleMs: 150 * S }),
      },
      {
        at: 40 * S,
        ...base,
        call: {
          service: 'ecr',
          eventName: 'DeleteRepository',
          accountId: accountB,
          region: 'eu-west-1',
          requestParameters: { repositoryName: 'shop/legacy', force: true },
        },
        change: (w, at) => w.changeRepository(accountB, 'eu-west-1', 'shop/legacy', { kind: 'delete', at }),
      },
      // Noise: a refused call and a read. Neither changes anything; neither may cost a rescan.
      {
        at: 50 * S,
        ...base,
        call: {
          service: 'ecr',
          eventName: 'PutImageTagMutability',
          accountId: accountB,
          region: 'eu-west-1',
          requestParameters: { repositoryName: 'shop/web', imageTagMutability: 'MUTABLE' },
          errorCode: 'AccessDenied',
        },
      },
      {
        at: 51 * S,
        ...base,
        call: {
          service: 'eks',
          eventName: 'DescribeCluster',
          accountId: accountB,
          region: 'eu-west-1',
          requestParameters: { name: doomed.name },
          readOnly: true,
        },
      },
    ];
  });
});

describe('change rescans, end to end in simulated time', () => {
  it('tag mutability flipped → exactly that registry rescanned (no listing, no cluster read) → Finding Opened for ecr.tag-immutability within 2 minutes', () => {
    const registryKey = `registry|${accountA}|eu-west-1|`;
    const runs = rescansOf(result, registryKey);
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run.items.map((i) => `${i.target.kind}|${i.target.accountId}|${i.target.region}`)).toEqual([`registry|${accountA}|eu-west-1`]);
    expect(run.calls.filter((c) => c.name === 'ListClusters' || c.name === 'DescribeCluster')).toEqual([]);
    expect(
      run.calls.filter((c) => c.name === 'DescribeRepositories').every((c) => c.accountId === accountA && c.region === 'eu-west-1'),
    ).toBe(true);
    const drift = driftSeconds(result, result.script[0]!)!;
    // The debounce window is part of it: nothing happens before 60 s.
    expect(drift).toBeGreaterThan(60);
    expect(drift).toBeLessThanOrEqual(120);
  });

  it('UpdateClusterConfig making the endpoint public → that cluster looked at while UPDATING (no scan, a follow-up), then its EKS part rescanned → Finding Opened', () => {
    const runs = rescansOf(result, key(endpoint));
    expect(runs.length).toBeGreaterThanOrEqual(2);
    const [first, ...rest] = runs;
    expect(first!.items).toEqual([]);
    expect(first!.followUps).toBe(1);
    const scanned = rest.find((r) => r.items.length > 0)!;
    expect(scanned.items.map((i) => i.target.name)).toEqual([endpoint.name]);
    expect(new Set(scanned.calls.filter((c) => c.name === 'DescribeCluster').map((c) => c.resource))).toEqual(new Set([endpoint.name]));
    expect(scanned.calls.some((c) => c.name === 'ListClusters')).toBe(false);
    expect(driftSeconds(result, result.script[1]!)).toBeDefined();
    // Settling took 70 s; the event follows within a follow-up step of it.
    expect(driftSeconds(result, result.script[1]!)!).toBeLessThanOrEqual(180);
  });

  it('20 events (some delivered twice) for one cluster within 10 s → one rescan', () => {
    expect(rescansOf(result, key(burst))).toHaveLength(1);
    expect(rescansOf(result, key(burst))[0]!.items.map((i) => i.target.name)).toEqual([burst.name]);
  });

  it('DeleteCluster → DELETING looks queue follow-ups; once DescribeCluster answers ResourceNotFound, every open finding resolves as target-deleted', () => {
    const runs = rescansOf(result, key(doomed));
    const retiring = runs.find((r) => r.summary.deletedTargets.deleted === 1)!;
    expect(retiring).toBeDefined();
    expect(runs.indexOf(retiring)).toBeGreaterThan(0);
    expect(retiring.items).toEqual([]);
    expect(retiring.calls).toContainEqual({
      name: 'DescribeCluster',
      accountId: doomed.accountId,
      region: 'eu-west-1',
      resource: doomed.name,
    });
    const resolved = matchingEvents(
      result,
      { detailType: 'Finding Resolved', target: clusterRef(doomed), resolvedReason: 'target-deleted' },
      result.start,
    );
    const opened = matchingEvents(result, { detailType: 'Finding Opened', target: clusterRef(doomed) }, 0);
    expect(opened.length).toBeGreaterThan(0);
    expect(resolved.map((e) => e.detail['findingId']).sort()).toEqual(opened.map((e) => e.detail['findingId']).sort());
    expect(retiring.summary.deletedTargets.resolvedFindings).toBe(opened.length);
    // Only the deleted cluster's findings were resolved as deleted.
    expect(
      result.events.filter(
        (e) => e.detail['resolvedReason'] === 'target-deleted' && (e.detail['target'] as { kind: string }).kind === 'cluster',
      ).length,
    ).toBe(opened.length);
  });

  it('DeleteRepository → the repository confirmed gone by name, its findings resolved as target-deleted in the registry rescan', () => {
    const runs = rescansOf(result, `registry|${accountB}|eu-west-1|`);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.calls).toContainEqual({
      name: 'DescribeRepositories',
      accountId: accountB,
      region: 'eu-west-1',
      resource: 'shop/legacy',
    });
    const target = { kind: 'registry' as const, accountId: accountB, region: 'eu-west-1', name: registryHost(accountB, 'eu-west-1') };
    const resolved = matchingEvents(
      result,
      { detailType: 'Finding Resolved', target, resourceName: 'shop/legacy', resolvedReason: 'target-deleted' },
      result.start,
    );
    const opened = matchingEvents(result, { detailType: 'Finding Opened', target, resourceName: 'shop/legacy' }, 0);
    expect(opened.length).toBeGreaterThan(0);
    expect(resolved.map((e) => e.detail['findingId']).sort()).toEqual(opened.map((e) => e.detail['findingId']).sort());
    expect(matchingEvents(result, { detailType: 'Finding Resolved', target, resourceName: 'shop/web' }, result.start)).toEqual([]);
  });

  it('a refused call and a read are filtered by the member rule: no message, no rescan; no target was rescanned that no change named', () => {
    expect(result.counts.cloudTrailEvents - result.counts.forwarded).toBe(2);
    const named = new Set([`registry|${accountA}|eu-west-1|`, `registry|${accountB}|eu-west-1|`, key(endpoint), key(burst), key(doomed)]);
    for (const r of rescans(result)) {
      const t = (r.input as { targets: { kind: string; accountId: string; region: string; name?: string }[] }).targets[0]!;
      expect(named.has(`${t.kind}|${t.accountId}|${t.region}|${t.name ?? ''}`)).toBe(true);
    }
    expect(fleet.clusters).toHaveLength(6);
  });
});
