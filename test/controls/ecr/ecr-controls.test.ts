import { describe, expect, it } from 'vitest';
import { publicStatements } from '../../../shared/controls/ecr/public-policy.js';
import { registryScanRuleMatches } from '../../../shared/controls/ecr/scan-on-push.js';
import type { EcrRepository } from '../../../shared/inventory/ecr.js';
import type { Inventory } from '../../../shared/inventory/types.js';
import { clusterInventory, run, verdicts } from '../eks/helpers.js';

const REG = '111122223333.dkr.ecr.eu-west-1.amazonaws.com';
const registry = (repos: EcrRepository[], extra: Partial<NonNullable<Inventory['ecr']>> = {}): Inventory => ({
  ...clusterInventory({}),
  target: { kind: 'registry', accountId: '111122223333', region: 'eu-west-1', name: REG },
  ecr: { repositories: repos, registryScanning: { scanType: 'BASIC', rules: [] }, ...extra },
});

describe('ecr.scan-on-push', () => {
  const off = (name: string): EcrRepository => ({ repositoryName: name, imageScanningConfiguration: { scanOnPush: false } });

  it('counts only SCAN_ON_PUSH / CONTINUOUS_SCAN rules with WILDCARD filters that match the whole name', () => {
    const rules = [
      { scanFrequency: 'MANUAL', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] },
      { scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'team-a/*', filterType: 'WILDCARD' }] },
      { scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: 'legacy', filterType: 'WILDCARD' }] },
    ];
    expect(registryScanRuleMatches(rules, 'team-a/api')).toEqual({ frequency: 'SCAN_ON_PUSH', filter: 'team-a/*' });
    expect(registryScanRuleMatches(rules, 'legacy')).toEqual({ frequency: 'CONTINUOUS_SCAN', filter: 'legacy' });
    expect(registryScanRuleMatches(rules, 'legacy-2')).toBeUndefined();
    expect(registryScanRuleMatches(rules, 'team-b/api')).toBeUndefined();
    const r = run(
      'ecr.scan-on-push',
      registry([off('team-a/api'), off('team-b/api')], { registryScanning: { scanType: 'ENHANCED', rules } }),
    );
    expect(verdicts(r)).toEqual(['PASS Repository/team-a/api', 'FAIL Repository/team-b/api']);
  });

  it('passes on the effective configuration ECR reports even when the repository setting is off', () => {
    const repo = { ...off('svc'), scanningConfiguration: { scanOnPush: false, scanFrequency: 'CONTINUOUS_SCAN' } };
    expect(run('ecr.scan-on-push', registry([repo]))[0]).toMatchObject({
      status: 'PASS',
      evidence: { via: 'effective scanning configuration' },
    });
  });
});

describe('ecr.public-policy', () => {
  const doc = (statement: unknown) => JSON.stringify({ Version: '2012-10-17', Statement: statement });

  it('finds Allow + everyone without a condition, in every principal shape', () => {
    expect(publicStatements(doc([{ Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' }]))).toHaveLength(1);
    expect(publicStatements(doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'ecr:*' }))).toHaveLength(1);
    expect(
      publicStatements(doc([{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::444455556666:root', '*'] }, Action: 'ecr:*' }])),
    ).toHaveLength(1);
    expect(publicStatements(doc([{ Effect: 'Allow', Principal: '*', Action: 'ecr:*', Condition: {} }]))).toHaveLength(1);
  });

  it('does not flag Deny statements, named principals or conditioned statements', () => {
    expect(publicStatements(doc([{ Effect: 'Deny', Principal: '*', Action: 'ecr:*' }]))).toEqual([]);
    expect(publicStatements(doc([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'ecr:*' }]))).toEqual([]);
    expect(
      publicStatements(
        doc([{ Effect: 'Allow', Principal: '*', Action: 'ecr:*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }]),
      ),
    ).toEqual([]);
  });

  it('is UNKNOWN for a policy that is not JSON', () => {
    expect(publicStatements('{not json')).toBeUndefined();
    const r = run('ecr.public-policy', registry([{ repositoryName: 'x', repositoryPolicy: { status: 'present', text: '{not json' } }]));
    expect(r[0]?.status).toBe('UNKNOWN');
  });
});

describe('ecr.running-image-vulnerabilities', () => {
  const pod = (images: string[]) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'shop' },
    spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) },
  });

  it('says nothing when findings were not collected (a manifests or kubeconfig scan)', () => {
    expect(run('ecr.running-image-vulnerabilities', clusterInventory({ resources: [pod([`${REG}/api:1`])] }))).toEqual([]);
  });

  it('is NOT_APPLICABLE outside ECR, UNKNOWN while a scan is in progress or missing, and attaches results to the container', () => {
    const inv = clusterInventory({
      resources: [pod([`${REG}/api:1`, `${REG}/batch:2`, `${REG}/new:3`, 'ghcr.io/org/tool:1'])],
      ecr: {
        imageScanFindings: [
          {
            image: `${REG}/api:1`,
            registryId: '111122223333',
            region: 'eu-west-1',
            repositoryName: 'api',
            scanStatus: 'COMPLETE',
            severityCounts: { LOW: 1 },
          },
          { image: `${REG}/batch:2`, registryId: '111122223333', region: 'eu-west-1', repositoryName: 'batch', scanStatus: 'IN_PROGRESS' },
        ],
      },
    });
    const r = run('ecr.running-image-vulnerabilities', inv);
    expect(verdicts(r)).toEqual(['PASS Pod/p[c0]', 'UNKNOWN Pod/p[c1]', 'UNKNOWN Pod/p[c2]', 'NOT_APPLICABLE Pod/p[c3]']);
    expect(r[0]?.resource).toEqual({ apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'p', container: 'c0' });
  });

  it("is NOT_APPLICABLE, not UNKNOWN, for EKS add-on images in AWS's own registries, and judges a look-alike customer account", () => {
    const addon = '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.0-eksbuild.1';
    const govAddon = '013241004608.dkr.ecr.us-gov-west-1.amazonaws.com/eks/coredns:v1.11.3-eksbuild.2';
    const own = '602401143453.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.0';
    // Collected findings name only the customer's image: the collector never asks AWS's registries.
    const inv = clusterInventory({
      resources: [pod([addon, govAddon, own])],
      ecr: { imageScanFindings: [] },
    });
    const r = run('ecr.running-image-vulnerabilities', inv);
    expect(verdicts(r)).toEqual(['NOT_APPLICABLE Pod/p[c0]', 'NOT_APPLICABLE Pod/p[c1]', 'UNKNOWN Pod/p[c2]']);
    expect(r[0]?.message).toContain('Amazon EKS add-on image');
    expect(r[0]?.message).toContain('602401143452');
  });
});
