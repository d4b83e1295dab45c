import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EKS_LOG_TYPES } from '../../../shared/controls/eks/audit-logging.js';
import { parseAwsAuth } from '../../../shared/controls/eks/aws-auth.js';
import { compareAddonVersions } from '../../../shared/inventory/eks.js';
import { clusterInventory, run, verdicts } from './helpers.js';

const ADMIN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';
const awsAuth = (data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'aws-auth', namespace: 'kube-system' },
  data,
});
const rootCa = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'default' }, data: {} };

describe('EKS controls on inventories without EKS data', () => {
  it('say nothing about a manifests scan (no eks part), but UNKNOWN when DescribeCluster was denied', () => {
    const manifests = { ...clusterInventory({}), target: { kind: 'manifests' as const, name: 'k8s/' } };
    for (const id of [
      'eks.endpoint-public-access',
      'eks.audit-logging',
      'eks.cluster-admin-access',
      'eks.nodegroup-imdsv2',
      'eks.addon-current',
    ]) {
      expect(run(id, manifests), id).toEqual([]);
      const denied = clusterInventory({ eks: {}, gaps: [{ source: 'eks:cluster', reason: 'forbidden', message: 'denied' }] });
      expect(verdicts(run(id, denied)), id).toEqual(['UNKNOWN DataSource/eks:cluster']);
    }
  });
});

describe('eks.audit-logging', () => {
  it('gives the same verdict however EKS splits the log types over clusterLogging entries (every entry read)', () => {
    const entry = fc.record({ types: fc.subarray([...EKS_LOG_TYPES]), enabled: fc.boolean() });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 5 }), (entries) => {
        const enabled = new Set(entries.filter((e) => e.enabled).flatMap((e) => e.types));
        const expected = EKS_LOG_TYPES.every((t) => enabled.has(t)) ? 'PASS' : 'FAIL';
        const forward = run('eks.audit-logging', clusterInventory({ eks: { cluster: { logging: { clusterLogging: entries } } } }))[0]!;
        const reversed = run(
          'eks.audit-logging',
          clusterInventory({ eks: { cluster: { logging: { clusterLogging: [...entries].reverse() } } } }),
        )[0]!;
        return forward.status === expected && reversed.status === expected;
      }),
    );
  });
});

describe('eks.cluster-admin-access', () => {
  const cluster = (mode: string, bootstrap = false) => ({
    name: 'prod',
    accessConfig: { authenticationMode: mode, bootstrapClusterCreatorAdminPermissions: bootstrap },
  });

  it('ignores aws-auth in API mode and access entries in CONFIG_MAP mode, as EKS does', () => {
    const masters = awsAuth({ mapRoles: '- rolearn: arn:aws:iam::111122223333:role/ops\n  groups: [system:masters]\n' });
    const adminEntry = [
      {
        principalArn: 'arn:aws:iam::111122223333:role/platform',
        associatedAccessPolicies: [{ policyArn: ADMIN, accessScope: { type: 'cluster' } }],
      },
    ];
    const api = run(
      'eks.cluster-admin-access',
      clusterInventory({ eks: { cluster: cluster('API'), accessEntries: [] }, resources: [masters, rootCa] }),
    );
    expect(api.map((r) => r.status)).toEqual(['PASS']);
    const configMap = run(
      'eks.cluster-admin-access',
      clusterInventory({ eks: { cluster: cluster('CONFIG_MAP'), accessEntries: adminEntry }, resources: [rootCa] }),
    );
    expect(verdicts(configMap)).toEqual(['PASS Cluster/prod', 'PASS ConfigMap/aws-auth']);
    const both = run(
      'eks.cluster-admin-access',
      clusterInventory({ eks: { cluster: cluster('API_AND_CONFIG_MAP'), accessEntries: adminEntry }, resources: [masters] }),
    );
    expect(verdicts(both)).toEqual([
      'PASS Cluster/prod',
      'FAIL AccessEntry/arn:aws:iam::111122223333:role/platform',
      'FAIL ConfigMap/aws-auth',
    ]);
  });

  it('reports namespace-scoped admin associations with their namespaces, and users mapped to system:masters', () => {
    const entries = [
      {
        principalArn: 'arn:aws:iam::111122223333:role/team',
        associatedAccessPolicies: [{ policyArn: ADMIN, accessScope: { type: 'namespace', namespaces: ['a', 'b'] } }],
      },
    ];
    const users = awsAuth({
      mapUsers: '- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n  groups:\n  - system:masters\n',
    });
    const r = run(
      'eks.cluster-admin-access',
      clusterInventory({ eks: { cluster: cluster('API_AND_CONFIG_MAP'), accessEntries: entries }, resources: [users] }),
    );
    expect(r.find((x) => x.resource.kind === 'AccessEntry')).toMatchObject({ status: 'FAIL', evidence: { scopes: ['namespace:a|b'] } });
    expect(r.find((x) => x.resource.kind === 'ConfigMap')).toMatchObject({
      status: 'FAIL',
      evidence: { systemMasters: ['arn:aws:iam::111122223333:user/alice'] },
    });
  });

  it('is UNKNOWN (never PASS) for an aws-auth it cannot parse, a ConfigMap read gap, or an entry whose policies are missing', () => {
    const broken = awsAuth({ mapRoles: '- rolearn: [unclosed' });
    expect(parseAwsAuth(broken)).toMatchObject({ ok: false });
    const r1 = run('eks.cluster-admin-access', clusterInventory({ eks: { cluster: cluster('CONFIG_MAP') }, resources: [broken] }));
    expect(r1.find((x) => x.resource.kind === 'ConfigMap')?.status).toBe('UNKNOWN');
    const gap = { source: 'ConfigMap', reason: 'forbidden' as const, message: 'configmaps is forbidden' };
    const r2 = run('eks.cluster-admin-access', clusterInventory({ eks: { cluster: cluster('CONFIG_MAP') }, gaps: [gap] }));
    expect(verdicts(r2)).toEqual(['UNKNOWN DataSource/ConfigMap', 'PASS Cluster/prod']);
    const r3 = run(
      'eks.cluster-admin-access',
      clusterInventory({ eks: { cluster: cluster('API'), accessEntries: [{ principalArn: 'arn:aws:iam::111122223333:role/x' }] } }),
    );
    expect(verdicts(r3)).toEqual(['PASS Cluster/prod', 'UNKNOWN AccessEntry/arn:aws:iam::111122223333:role/x']);
  });
});

describe('eks.nodegroup-imdsv2 / remote access', () => {
  it('fails a launch template that leaves HttpTokens or the hop limit unset (the value then depends on AMI defaults)', () => {
    const ng = (imds: object) => ({ name: 'ng', imds: { source: 'launch-template' as const, ...imds } });
    const r = (imds: object) =>
      run('eks.nodegroup-imdsv2', clusterInventory({ eks: { cluster: { name: 'prod' }, nodegroups: [ng(imds)] } }))[0]!;
    expect(r({ httpTokens: 'required' })).toMatchObject({ status: 'FAIL', message: expect.stringContaining('hop limit is not set') });
    expect(r({ httpPutResponseHopLimit: 1 })).toMatchObject({ status: 'FAIL', message: expect.stringContaining('HttpTokens is not set') });
    expect(r({ httpTokens: 'required', httpPutResponseHopLimit: 1 }).status).toBe('PASS');
  });

  it('is NOT_APPLICABLE for a cluster without managed nodegroups', () => {
    for (const id of ['eks.nodegroup-imdsv2', 'eks.nodegroup-remote-access']) {
      expect(verdicts(run(id, clusterInventory({ eks: { cluster: { name: 'prod' }, nodegroups: [] } })))).toEqual([
        'NOT_APPLICABLE Cluster/prod',
      ]);
    }
  });
});

describe('eks.addon-current', () => {
  it('orders add-on versions numerically, then by eksbuild', () => {
    const sorted = ['v1.9.0-eksbuild.1', 'v1.10.0-eksbuild.1', 'v1.10.0-eksbuild.12', 'v1.10.0-eksbuild.2', 'v1.2.10'].sort(
      compareAddonVersions,
    );
    expect(sorted).toEqual(['v1.2.10', 'v1.9.0-eksbuild.1', 'v1.10.0-eksbuild.1', 'v1.10.0-eksbuild.2', 'v1.10.0-eksbuild.12']);
  });

  it('passes a compatible version newer than the default and names a newer one when there is', () => {
    const addon = {
      addonName: 'coredns',
      addonVersion: 'v1.12.2-eksbuild.1',
      versions: {
        clusterVersion: '1.34',
        default: 'v1.12.1-eksbuild.2',
        latest: 'v1.12.3-eksbuild.1',
        compatible: ['v1.12.3-eksbuild.1', 'v1.12.2-eksbuild.1', 'v1.12.1-eksbuild.2'],
      },
    };
    const r = run('eks.addon-current', clusterInventory({ eks: { cluster: { name: 'prod' }, addons: [addon] } }))[0]!;
    expect(r).toMatchObject({ status: 'PASS', message: expect.stringContaining('v1.12.3-eksbuild.1 is available') });
  });
});
