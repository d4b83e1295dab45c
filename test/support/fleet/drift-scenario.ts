import { seededRandom } from '../random.js';
import { registryHost } from '../../../shared/inventory/ecr.js';
import { cloudTrailDelayS, type DriftResult, type ScriptedCall } from './drift.js';
import { driftSeconds, percentile, rescans } from './drift-measure.js';
import type { DriftWorld } from './drift-world.js';
import { partialLogging, restrictedEndpoint } from './drift-world.js';
import type { ClusterDef, Fleet } from './world.js';

/**
 * A morning of changes across the fleet, seeded: each change hits its own target, some come as a
 * burst (20 calls within 10 s, as an IaC apply makes them), some events are delivered twice, and
 * refused calls and reads are mixed in on targets nothing else touches (they must cost nothing).
 * EKS configuration updates take 30–90 s to apply and deletions 2–5 minutes (assumptions, stated
 * with the results).
 */
export interface DriftScenarioSpec {
  changes: number;
  /** The changes are spread over this many minutes. */
  minutes: number;
  burstShare: number;
  duplicateShare: number;
  /** Refused calls and reads, each. */
  noiseCalls: number;
  seed?: number;
}

export type Family =
  | 'ecr-mutable'
  | 'ecr-immutable'
  | 'ecr-delete-repository'
  | 'eks-endpoint-public'
  | 'eks-audit-logging'
  | 'eks-access-entry'
  | 'eks-delete';

export interface ScenarioPlan {
  calls: ScriptedCall[];
  /** Index in `calls` of each change's first call, with its family. */
  changes: { index: number; family: Family }[];
}

const S = 1000;

export function driftScenario(spec: DriftScenarioSpec, plan: ScenarioPlan): (fleet: Fleet, world: DriftWorld) => ScriptedCall[] {
  return (fleet) => {
    const rand = seededRandom(spec.seed ?? 1505);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
    const shuffled = <T>(list: readonly T[]): T[] =>
      list
        .map((x) => ({ x, k: rand() }))
        .sort((a, b) => a.k - b.k)
        .map((p) => p.x);
    const clusters = shuffled(fleet.clusters);
    const registries = shuffled(fleet.accountIds.flatMap((accountId) => fleet.spec.regions.map((region) => ({ accountId, region }))));
    const calls: ScriptedCall[] = [];
    const delivery = () => Math.round(cloudTrailDelayS(rand()) * S);
    for (let n = 0; n < spec.changes; n++) {
      const at = Math.round(rand() * spec.minutes * 60 * S);
      const onRegistry = rand() < 0.4 && registries.length > 0;
      const first = calls.length;
      let family: Family;
      if (onRegistry) {
        const r = registries.pop()!;
        family = pick(['ecr-mutable', 'ecr-immutable', 'ecr-delete-repository'] as const);
        calls.push(...registryChange(family, r.accountId, r.region, at, delivery()));
      } else {
        const c = clusters.pop();
        if (!c) break;
        const options: Family[] = [
          'eks-access-entry',
          'eks-delete',
          ...(restrictedEndpoint(c) ? (['eks-endpoint-public'] as const) : []),
          ...(partialLogging(c) ? (['eks-audit-logging'] as const) : []),
        ];
        family = pick(options);
        calls.push(clusterChange(family, c, at, delivery(), rand));
      }
      // A burst: the same target touched again and again within 10 s (nothing more changes).
      if (rand() < spec.burstShare) {
        const primary = calls[first]!;
        for (let i = 1; i < 20; i++)
          calls.push({
            at: at + i * 500,
            deliveryMs: delivery(),
            call: { ...primary.call, requestParameters: { ...primary.call.requestParameters, seq: i } },
          });
      }
      for (const c of calls.slice(first)) if (rand() < spec.duplicateShare) c.deliveries = 2;
      plan.changes.push({ index: first, family });
    }
    // Noise on targets no change touches: a refused write and a read each.
    for (let n = 0; n < spec.noiseCalls; n++) {
      const c = clusters.pop();
      if (!c) break;
      const at = Math.round(rand() * spec.minutes * 60 * S);
      calls.push({
        at,
        deliveryMs: delivery(),
        call: {
          service: 'eks',
          eventName: 'UpdateClusterConfig',
          accountId: c.accountId,
          region: c.region,
          requestParameters: { name: c.name },
          errorCode: 'AccessDeniedException',
        },
      });
      calls.push({
        at: at + S,
        deliveryMs: delivery(),
        call: {
          service: 'eks',
          eventName: 'DescribeCluster',
          accountId: c.accountId,
          region: c.region,
          requestParameters: { name: c.name },
          readOnly: true,
        },
      });
    }
    plan.calls = calls;
    return calls;
  };
}

function registryChange(family: Family, accountId: string, region: string, at: number, deliveryMs: number): ScriptedCall[] {
  const target = { kind: 'registry' as const, accountId, region, name: registryHost(accountId, region) };
  const call = (eventName: string, repositoryName: string, extra: Record<string, unknown> = {}) => ({
    service: 'ecr' as const,
    eventName,
    accountId,
    region,
    requestParameters: { repositoryName, ...extra },
  });
  if (family === 'ecr-mutable') {
    return [
      {
        at,
        deliveryMs,
        call: call('PutImageTagMutability', 'shop/web', { imageTagMutability: 'MUTABLE' }),
        change: (w, t) => w.changeRepository(accountId, region, 'shop/web', { kind: 'mutability', at: t, value: 'MUTABLE' }),
        expect: { detailType: 'Finding Opened', controlId: 'ecr.tag-immutability', target, resourceName: 'shop/web' },
      },
    ];
  }
  if (family === 'ecr-immutable') {
    return [
      {
        at,
        deliveryMs,
        call: call('PutImageTagMutability', 'shop/legacy', { imageTagMutability: 'IMMUTABLE' }),
        change: (w, t) => w.changeRepository(accountId, region, 'shop/legacy', { kind: 'mutability', at: t, value: 'IMMUTABLE' }),
        expect: { detailType: 'Finding Resolved', controlId: 'ecr.tag-immutability', target, resourceName: 'shop/legacy' },
      },
    ];
  }
  return [
    {
      at,
      deliveryMs,
      call: call('DeleteRepository', 'shop/legacy', { force: true }),
      change: (w, t) => w.changeRepository(accountId, region, 'shop/legacy', { kind: 'delete', at: t }),
      expect: { detailType: 'Finding Resolved', target, resourceName: 'shop/legacy', resolvedReason: 'target-deleted' },
    },
  ];
}

function clusterChange(family: Family, c: ClusterDef, at: number, deliveryMs: number, rand: () => number): ScriptedCall {
  const target = { kind: 'cluster' as const, accountId: c.accountId, region: c.region, name: c.name };
  const base = { at, deliveryMs };
  const eks = (eventName: string, requestParameters: Record<string, unknown>) => ({
    service: 'eks' as const,
    eventName,
    accountId: c.accountId,
    region: c.region,
    requestParameters,
  });
  const updateMs = Math.round((30 + 60 * rand()) * S);
  switch (family) {
    case 'eks-endpoint-public':
      return {
        ...base,
        call: eks('UpdateClusterConfig', {
          name: c.name,
          resourcesVpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
        }),
        change: (w, t) => w.changeCluster(c, { kind: 'endpoint-public', at: t, settleMs: updateMs }),
        expect: { detailType: 'Finding Opened', controlId: 'eks.endpoint-public-access', target },
      };
    case 'eks-audit-logging':
      return {
        ...base,
        call: eks('UpdateClusterConfig', {
          name: c.name,
          logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true }] },
        }),
        change: (w, t) => w.changeCluster(c, { kind: 'audit-logging-on', at: t, settleMs: updateMs }),
        expect: { detailType: 'Finding Resolved', controlId: 'eks.audit-logging', target },
      };
    case 'eks-delete':
      return {
        ...base,
        call: eks('DeleteCluster', { name: c.name }),
        change: (w, t) => w.changeCluster(c, { kind: 'delete', at: t, settleMs: Math.round((120 + 180 * rand()) * S) }),
        expect: { detailType: 'Finding Resolved', target, resolvedReason: 'target-deleted' },
      };
    default:
      return {
        ...base,
        call: eks('CreateAccessEntry', { clusterName: c.name, principalArn: `arn:aws:iam::${c.accountId}:role/deployer` }),
      };
  }
}

export interface DriftMeasures {
  changes: number;
  /** Configuration changes (not deletions) with an expected event: seconds from the call to it. */
  configDrifts: number[];
  deleteDrifts: number[];
  /** Changes whose event never came. */
  missing: string[];
  /** Rescans of targets that only refused calls or reads touched. */
  noiseRescans: number;
  rescans: number;
  eventsForwarded: number;
  p50: number;
  p95: number;
  max: number;
  deleteP95: number;
}

export function measureDrift(result: DriftResult, plan: ScenarioPlan): DriftMeasures {
  const configDrifts: number[] = [];
  const deleteDrifts: number[] = [];
  const missing: string[] = [];
  for (const { index, family } of plan.changes) {
    const call = plan.calls[index]!;
    if (!call.expect) continue;
    const d = driftSeconds(result, call);
    if (d === undefined)
      missing.push(
        `${family} ${call.call.accountId}/${call.call.region} ${String(call.call.requestParameters?.['name'] ?? call.call.requestParameters?.['repositoryName'] ?? '')}`,
      );
    else (call.expect.resolvedReason ? deleteDrifts : configDrifts).push(d);
  }
  const noisy = new Set(
    plan.calls
      .filter((c) => c.call.errorCode || c.call.readOnly)
      .map((c) => `${c.call.accountId}|${c.call.region}|${String(c.call.requestParameters?.['name'])}`),
  );
  const all = rescans(result);
  const noiseRescans = all.filter((r) =>
    ((r.input as { targets: { accountId: string; region: string; name?: string }[] }).targets ?? []).some((t) =>
      noisy.has(`${t.accountId}|${t.region}|${t.name}`),
    ),
  ).length;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    changes: plan.changes.length,
    configDrifts,
    deleteDrifts,
    missing,
    noiseRescans,
    rescans: all.length,
    eventsForwarded: result.counts.forwarded,
    p50: round(percentile(configDrifts, 50)),
    p95: round(percentile(configDrifts, 95)),
    max: round(Math.max(...configDrifts)),
    deleteP95: round(percentile(deleteDrifts, 95)),
  };
}
