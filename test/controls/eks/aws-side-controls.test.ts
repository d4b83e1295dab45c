import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/core/errors.js';
import { parseConfig } from '../../../shared/engine/config.js';
import type { EcrLatestImage } from '../../../shared/inventory/ecr.js';
import type { EksInventory } from '../../../shared/inventory/eks.js';
import type { Inventory } from '../../../shared/inventory/types.js';
import { run as runWithConfig, verdicts } from '../../support/controls.js';
import { clusterInventory, run } from './helpers.js';

const ROUND_2_EKS = [
  'eks.endpoint-private-access',
  'eks.private-nodes',
  'eks.authentication-mode',
  'eks.guardduty-protection',
  'eks.control-plane-log-retention',
  'eks.node-role-ecr-readonly',
];

const logging = (enabled: boolean) => ({ clusterLogging: [{ types: ['api', 'audit'], enabled }] });
const withLogGroup = (retentionInDays?: number, enabled = true): Inventory =>
  clusterInventory({
    eks: {
      cluster: { name: 'prod', logging: logging(enabled) },
      controlPlaneLogGroup: {
        status: 'present',
        logGroupName: '/aws/eks/prod/cluster',
        ...(retentionInDays === undefined ? {} : { retentionInDays }),
      },
    } satisfies EksInventory,
  });

describe('round-2 EKS controls without EKS data', () => {
  it('say nothing about a manifests scan, and are UNKNOWN (never PASS) when DescribeCluster was denied', () => {
    const manifests = { ...clusterInventory({}), target: { kind: 'manifests' as const, name: 'k8s/' } };
    const denied = clusterInventory({ eks: {}, gaps: [{ source: 'eks:cluster', reason: 'forbidden', message: 'denied' }] });
    for (const id of ROUND_2_EKS) {
      expect(run(id, manifests), id).toEqual([]);
      expect(
        run(id, denied).map((r) => r.status),
        id,
      ).toEqual(['UNKNOWN']);
    }
  });
});

describe('eks.control-plane-log-retention', () => {
  it('judges against eks.minLogRetentionDays from the config (default 365)', () => {
    expect(runWithConfig('eks.control-plane-log-retention', withLogGroup(400)).map((r) => r.status)).toEqual(['PASS']);
    const strict = runWithConfig('eks.control-plane-log-retention', withLogGroup(400), 'eks:\n  minLogRetentionDays: 731\n');
    expect(strict.map((r) => [r.status, r.message])).toEqual([
      ['FAIL', '/aws/eks/prod/cluster keeps logs 400 days, below the minimum of 731'],
    ]);
    expect(runWithConfig('eks.control-plane-log-retention', withLogGroup(30), { eks: { minLogRetentionDays: 30 } })[0]?.status).toBe(
      'PASS',
    );
  });

  it('never expire fails; logging off is not applicable (eks.audit-logging judges that)', () => {
    expect(run('eks.control-plane-log-retention', withLogGroup(undefined))[0]).toMatchObject({
      status: 'FAIL',
      message: expect.stringContaining('never expire'),
    });
    expect(run('eks.control-plane-log-retention', withLogGroup(400, false)).map((r) => r.status)).toEqual(['NOT_APPLICABLE']);
  });

  it('the configured minimum must be a whole number of days CloudWatch can keep (1–3653)', () => {
    expect(parseConfig({}).eks.minLogRetentionDays).toBe(365);
    for (const bad of [0, 3654, 30.5, '365'])
      expect(() => parseConfig({ eks: { minLogRetentionDays: bad } }), String(bad)).toThrow(ConfigError);
    expect(() => parseConfig({ eks: { minLogRetentionDays: 0 } })).toThrow(/eks\.minLogRetentionDays/);
    expect(() => parseConfig({ eks: { minRetention: 30 } })).toThrow(ConfigError);
  });
});

describe('ecr.latest-image-vulnerabilities', () => {
  const registry = (latestImage?: EcrLatestImage): Inventory => ({
    target: { kind: 'registry', accountId: '111122223333', region: 'eu-west-1', name: '111122223333.dkr.ecr.eu-west-1.amazonaws.com' },
    collectedAt: '2026-11-30T12:00:00Z',
    origin: 'live',
    resources: [],
    gaps: [],
    ecr: { registryId: '111122223333', repositories: [{ repositoryName: 'shop/api', ...(latestImage ? { latestImage } : {}) }] },
  });

  it('an empty repository, or one holding only signatures and indexes, is not applicable', () => {
    expect(verdicts(run('ecr.latest-image-vulnerabilities', registry({ status: 'none', artifacts: 0 })))).toEqual([
      'NOT_APPLICABLE Repository/shop/api',
    ]);
    expect(run('ecr.latest-image-vulnerabilities', registry({ status: 'none', artifacts: 3 }))[0]?.message).toContain('3 non-image');
  });

  it('images that were never listed are UNKNOWN, never PASS', () => {
    expect(run('ecr.latest-image-vulnerabilities', registry()).map((r) => r.status)).toEqual(['UNKNOWN']);
  });
});
