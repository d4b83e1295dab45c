import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supportPhase } from '../../shared/controls/eks/versions.js';
import type { ScanReportJson } from '../../shared/engine/report.js';
import type { Result } from '../../shared/engine/types.js';
import { FakeAws, type FakeAwsWorld, type Json } from '../collectors/aws/fake-aws.js';
import { K8sApiServer } from '../support/k8s-api-server.js';
import { REPO_ROOT } from '../support/paths.js';

/**
 * `hardline scan --aws --format json` end to end: the real CLI in a child process, its SDK clients
 * pointed at a local fake AWS through AWS_ENDPOINT_URL_<SERVICE> (nothing else configured), and a
 * fake Kubernetes API server standing in for the public endpoint of one cluster.
 */
const ME = '111122223333';
const MEMBER = '444455556666';
const LOCKED = '555566667777';
const REGION = 'eu-west-1';
const REG = `${ME}.dkr.ecr.${REGION}.amazonaws.com`;
const DIGEST = `sha256:${'d'.repeat(64)}`;
const ADMIN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';
const SECURE_VERSION = '1.35';
const API_NEW = `sha256:${'a'.repeat(64)}`;
const POWER_USER = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser';
const READ_ONLY = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly';
const ecrPolicy = (actions: string[]): Json => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
});
const READS = ['ecr:GetAuthorizationToken', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:DescribeImages'];

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `${REPO_ROOT}cli/main.ts`, ...args], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: '/nonexistent-home',
        AWS_CONFIG_FILE: '/nonexistent/config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
        NO_COLOR: '1',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function awsAuth(): Json {
  const mapRoles = `- rolearn: arn:aws:iam::${ME}:role/eks-node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n- rolearn: arn:aws:iam::${ME}:role/ops-admin\n  username: ops\n  groups: [system:masters]\n`;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' }, data: { mapRoles } };
}

function shopDeployment(): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'storefront', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'storefront' } },
      template: {
        metadata: { labels: { app: 'storefront' } },
        spec: {
          containers: [
            { name: 'api', image: `${REG}/shop/api:1.4.2` },
            { name: 'web', image: `${REG}/shop/web@${DIGEST}` },
            { name: 'proxy', image: 'docker.io/envoyproxy/envoy:v1.31.2' },
          ],
        },
      },
    },
  };
}

function world(k8s: K8sApiServer): FakeAwsWorld {
  const cluster = (name: string, over: Json): Json => ({
    name,
    arn: `arn:aws:eks:${REGION}:${ME}:cluster/${name}`,
    status: 'ACTIVE',
    createdAt: 1735689600,
    ...over,
  });
  return {
    callerAccount: ME,
    callerAccessKeyId: 'AKIAFAKECLIE2ETEST01',
    externalId: 'ext-1',
    assumeDenied: [LOCKED],
    pageSize: 2,
    addonVersions: [
      {
        addonName: 'vpc-cni',
        addonVersions: [
          {
            addonVersion: 'v1.20.4-eksbuild.2',
            compatibilities: [
              { clusterVersion: '1.29', defaultVersion: true },
              { clusterVersion: SECURE_VERSION, defaultVersion: true },
            ],
          },
          { addonVersion: 'v1.16.0-eksbuild.1', compatibilities: [{ clusterVersion: '1.29', defaultVersion: false }] },
        ],
      },
    ],
    accounts: [
      {
        id: ME,
        enabledRegions: [REGION, 'eu-central-1'],
        roles: {
          'prod-node': { attached: [POWER_USER] },
          'secure-node': {
            attached: [READ_ONLY],
            inline: { describe: { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' } } },
          },
        },
        policies: {
          [POWER_USER]: ecrPolicy([...READS, 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage']),
          [READ_ONLY]: ecrPolicy(READS),
        },
        regions: {
          [REGION]: {
            clusters: {
              prod: {
                cluster: cluster('prod', {
                  version: '1.29',
                  endpoint: k8s.url('prod'),
                  certificateAuthority: { data: k8s.caData },
                  resourcesVpcConfig: { endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
                  logging: {
                    clusterLogging: [
                      { types: ['api', 'audit'], enabled: true },
                      { types: ['authenticator', 'controllerManager', 'scheduler'], enabled: false },
                    ],
                  },
                  accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true },
                  tags: { GuardDutyManaged: 'false' },
                }),
                nodegroups: {
                  workers: {
                    nodegroupName: 'workers',
                    launchTemplate: { id: 'lt-0workers', version: '2' },
                    subnets: ['subnet-0public'],
                    nodeRole: `arn:aws:iam::${ME}:role/prod-node`,
                  },
                  legacy: {
                    nodegroupName: 'legacy',
                    remoteAccess: { ec2SshKey: 'ops-key' },
                    subnets: ['subnet-0private'],
                    nodeRole: `arn:aws:iam::${ME}:role/prod-node`,
                  },
                },
                addons: { 'vpc-cni': { addonName: 'vpc-cni', addonVersion: 'v1.16.0-eksbuild.1' } },
                accessEntries: { [`arn:aws:iam::${ME}:role/platform`]: [{ policyArn: ADMIN, accessScope: { type: 'cluster' } }] },
              },
              secure: {
                cluster: cluster('secure', {
                  version: SECURE_VERSION,
                  endpoint: 'https://secure.example.invalid',
                  certificateAuthority: { data: k8s.caData },
                  resourcesVpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: true },
                  encryptionConfig: [
                    {
                      resources: ['secrets'],
                      provider: { keyArn: `arn:aws:kms:${REGION}:${ME}:key/1234abcd-12ab-34cd-56ef-1234567890ab` },
                    },
                  ],
                  logging: {
                    clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true }],
                  },
                  accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
                }),
                nodegroups: {
                  hardened: {
                    nodegroupName: 'hardened',
                    launchTemplate: { id: 'lt-0hardened', version: '1' },
                    subnets: ['subnet-0public'],
                    nodeRole: `arn:aws:iam::${ME}:role/secure-node`,
                  },
                },
                addons: { 'vpc-cni': { addonName: 'vpc-cni', addonVersion: 'v1.20.4-eksbuild.2' } },
                accessEntries: {
                  [`arn:aws:iam::${ME}:role/viewer`]: [
                    { policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', accessScope: { type: 'cluster' } },
                  ],
                },
              },
            },
            launchTemplates: [
              {
                id: 'lt-0workers',
                name: 'workers',
                versions: { 2: { metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled' } } },
              },
              {
                id: 'lt-0legacy',
                name: 'eks-legacy-1234',
                tags: { 'eks:cluster-name': 'prod', 'eks:nodegroup-name': 'legacy' },
                versions: { 1: { metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2 } } },
              },
              {
                id: 'lt-0hardened',
                name: 'hardened',
                versions: {
                  1: {
                    metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1, httpEndpoint: 'enabled' },
                    networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: false }],
                  },
                },
              },
            ],
            subnets: [
              { subnetId: 'subnet-0public', mapPublicIpOnLaunch: true, vpcId: 'vpc-0abc' },
              { subnetId: 'subnet-0private', mapPublicIpOnLaunch: false, vpcId: 'vpc-0abc' },
            ],
            detector: {
              id: 'det0123',
              status: 'ENABLED',
              features: [
                { name: 'EKS_AUDIT_LOGS', status: 'ENABLED' },
                {
                  name: 'RUNTIME_MONITORING',
                  status: 'ENABLED',
                  additionalConfiguration: [{ name: 'EKS_ADDON_MANAGEMENT', status: 'ENABLED' }],
                },
              ],
            },
            logGroups: { '/aws/eks/prod/cluster': null, '/aws/eks/prod/cluster-old': 1, '/aws/eks/secure/cluster': 731 },
            registry: {
              repositories: [
                {
                  repositoryName: 'shop/api',
                  registryId: ME,
                  imageTagMutability: 'MUTABLE',
                  imageScanningConfiguration: { scanOnPush: false },
                  encryptionConfiguration: { encryptionType: 'AES256' },
                },
                {
                  repositoryName: 'shop/web',
                  registryId: ME,
                  imageTagMutability: 'IMMUTABLE',
                  imageScanningConfiguration: { scanOnPush: true },
                  encryptionConfiguration: { encryptionType: 'KMS' },
                },
                {
                  repositoryName: 'shop/public',
                  registryId: ME,
                  imageTagMutability: 'IMMUTABLE',
                  imageScanningConfiguration: { scanOnPush: true },
                  encryptionConfiguration: { encryptionType: 'KMS' },
                },
                {
                  repositoryName: 'tools/mwe',
                  registryId: ME,
                  imageTagMutability: 'MUTABLE_WITH_EXCLUSION',
                  imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'release-*' }],
                  encryptionConfiguration: { encryptionType: 'KMS' },
                },
                {
                  repositoryName: 'tools/iwe',
                  registryId: ME,
                  imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
                  imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: '*' }],
                  encryptionConfiguration: { encryptionType: 'KMS' },
                },
              ],
              scanning: {
                scanType: 'BASIC',
                rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'tools/*', filterType: 'WILDCARD' }] }],
              },
              lifecyclePolicies: {
                'shop/web':
                  '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}',
              },
              repositoryPolicies: {
                'shop/public': JSON.stringify({
                  Version: '2012-10-17',
                  Statement: [{ Sid: 'Anyone', Effect: 'Allow', Principal: '*', Action: ['ecr:BatchGetImage'] }],
                }),
              },
              images: {
                'shop/api': [
                  { imageDigest: `sha256:${'1'.repeat(64)}`, imageTags: ['1.4.1'], imagePushedAt: 1730000000 },
                  {
                    imageDigest: API_NEW,
                    imageTags: ['1.4.2'],
                    imagePushedAt: 1735000000,
                    imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
                    artifactMediaType: 'application/vnd.oci.image.config.v1+json',
                  },
                  // A cosign signature pushed after the image is not "the latest image".
                  { imageDigest: `sha256:${'2'.repeat(64)}`, imageTags: [`sha256-${'a'.repeat(64)}.sig`], imagePushedAt: 1736000000 },
                ],
                'shop/web': [{ imageDigest: DIGEST, imageTags: ['2.0.0'], imagePushedAt: 1735000000 }],
              },
              imageFindings: {
                [`shop/api@${API_NEW}`]: {
                  imageScanStatus: { status: 'COMPLETE' },
                  imageScanFindings: { findingSeverityCounts: { HIGH: 2 }, findings: [{ name: 'CVE-2026-3333', severity: 'HIGH' }] },
                },
                'shop/api:1.4.2': {
                  imageScanStatus: { status: 'COMPLETE' },
                  imageScanFindings: {
                    findingSeverityCounts: { CRITICAL: 1, HIGH: 3, MEDIUM: 4 },
                    findings: [
                      { name: 'CVE-2025-1111', severity: 'CRITICAL' },
                      { name: 'CVE-2025-2222', severity: 'HIGH' },
                    ],
                  },
                },
                [`shop/web@${DIGEST}`]: {
                  imageScanStatus: { status: 'COMPLETE' },
                  imageScanFindings: { findingSeverityCounts: { LOW: 2 }, findings: [] },
                },
              },
            },
          },
        },
      },
      {
        id: MEMBER,
        enabledRegions: [REGION],
        regions: {
          [REGION]: {
            registry: {
              repositories: [
                {
                  repositoryName: 'member/app',
                  registryId: MEMBER,
                  imageTagMutability: 'MUTABLE',
                  encryptionConfiguration: { encryptionType: 'KMS' },
                },
              ],
            },
          },
        },
      },
      { id: LOCKED, enabledRegions: [REGION] },
    ],
  };
}

let fake: FakeAws;
let k8s: K8sApiServer;

beforeAll(async () => {
  k8s = await K8sApiServer.start();
  k8s.addCluster('prod', {
    objects: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'shop' }, data: { 'ca.crt': 'x' } },
      awsAuth(),
      shopDeployment(),
    ],
  });
  fake = await FakeAws.start(world(k8s));
});

afterAll(async () => {
  await fake?.close();
  await k8s?.close();
});

const find = (report: ScanReportJson, controlId: string, name: string, container?: string): Result | undefined =>
  report.results.find(
    (r) => r.controlId === controlId && r.resource.name === name && (container === undefined || r.resource.container === container),
  );

describe('hardline scan --aws against local endpoints', () => {
  it('scans EKS settings, the reachable cluster through an EKS token, and ECR, with the right verdicts', async () => {
    fake.calls.length = 0;
    const r = await runCli(['scan', '--aws', '--format', 'json'], fake.env(REGION));
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as ScanReportJson;
    const targets = Object.fromEntries(report.scan.targets.map((t) => [`${t.kind}/${t.name}`, t]));
    expect(Object.keys(targets).sort()).toEqual(['cluster/prod', 'cluster/secure', `registry/${REG}`]);
    expect(targets['cluster/prod']).toMatchObject({
      accountId: ME,
      region: REGION,
      arn: `arn:aws:eks:${REGION}:${ME}:cluster/prod`,
      status: 'OK',
    });
    expect(targets['cluster/prod']!.resources).toBeGreaterThanOrEqual(4);
    // The private endpoint is not reached from here: its Kubernetes part is a gap, its EKS part is still judged.
    expect(targets['cluster/secure']).toMatchObject({ status: 'PARTIAL', reason: expect.stringContaining('could not read') });

    const status = (id: string, name: string, container?: string) => find(report, id, name, container)?.status;
    expect(status('eks.endpoint-public-access', 'prod')).toBe('FAIL');
    expect(status('eks.endpoint-public-access', 'secure')).toBe('PASS');
    expect(status('eks.secrets-encryption', 'prod')).toBe('FAIL');
    expect(status('eks.secrets-encryption', 'secure')).toBe('PASS');
    expect(find(report, 'eks.audit-logging', 'prod')).toMatchObject({
      status: 'FAIL',
      evidence: { missing: ['authenticator', 'controllerManager', 'scheduler'] },
    });
    expect(status('eks.audit-logging', 'secure')).toBe('PASS');
    expect(status('eks.supported-version', 'prod')).toBe('FAIL');
    const securePhase = supportPhase(SECURE_VERSION, new Date())?.phase;
    expect(status('eks.supported-version', 'secure')).toBe(
      securePhase === 'standard' || securePhase === 'newer-than-table' ? 'PASS' : 'FAIL',
    );
    expect(status('eks.cluster-admin-access', 'prod')).toBe('FAIL');
    expect(status('eks.cluster-admin-access', `arn:aws:iam::${ME}:role/platform`)).toBe('FAIL');
    expect(find(report, 'eks.cluster-admin-access', 'aws-auth')).toMatchObject({
      status: 'FAIL',
      resource: { kind: 'ConfigMap', namespace: 'kube-system' },
    });
    expect(status('eks.cluster-admin-access', 'secure')).toBe('PASS');
    expect(status('eks.cluster-admin-access', `arn:aws:iam::${ME}:role/viewer`)).toBe('PASS');
    expect(status('eks.nodegroup-imdsv2', 'workers')).toBe('FAIL');
    expect(find(report, 'eks.nodegroup-imdsv2', 'legacy')).toMatchObject({
      status: 'FAIL',
      evidence: { source: 'eks-default', httpPutResponseHopLimit: 2 },
    });
    expect(status('eks.nodegroup-imdsv2', 'hardened')).toBe('PASS');
    expect(find(report, 'eks.nodegroup-remote-access', 'legacy')).toMatchObject({ status: 'FAIL', evidence: { openToInternet: true } });
    expect(status('eks.nodegroup-remote-access', 'workers')).toBe('PASS');
    expect(find(report, 'eks.addon-current', 'vpc-cni')).toMatchObject({ status: 'FAIL', target: { name: 'prod' } });
    expect(report.results.find((x) => x.controlId === 'eks.addon-current' && x.target.name === 'secure')?.status).toBe('PASS');

    expect(find(report, 'ecr.running-image-vulnerabilities', 'storefront', 'api')).toMatchObject({
      status: 'FAIL',
      resource: { kind: 'Deployment', namespace: 'shop', container: 'api' },
      evidence: { critical: 1, high: 3, topFindings: ['CVE-2025-1111', 'CVE-2025-2222'] },
    });
    expect(status('ecr.running-image-vulnerabilities', 'storefront', 'web')).toBe('PASS');
    expect(status('ecr.running-image-vulnerabilities', 'storefront', 'proxy')).toBe('NOT_APPLICABLE');
    expect(fake.callsTo('ecr:DescribeImageScanFindings').map((c) => c.params['imageId'])).toEqual(
      expect.arrayContaining([{ imageTag: '1.4.2' }, { imageDigest: DIGEST }]),
    );

    expect(status('ecr.tag-immutability', 'shop/api')).toBe('FAIL');
    expect(status('ecr.tag-immutability', 'shop/web')).toBe('PASS');
    expect(status('ecr.tag-immutability', 'tools/mwe')).toBe('FAIL');
    expect(status('ecr.tag-immutability', 'tools/iwe')).toBe('FAIL');
    expect(status('ecr.scan-on-push', 'shop/api')).toBe('FAIL');
    expect(find(report, 'ecr.scan-on-push', 'tools/mwe')).toMatchObject({
      status: 'PASS',
      evidence: { via: 'registry rule', filter: 'tools/*' },
    });
    expect(status('ecr.lifecycle-policy', 'shop/web')).toBe('PASS');
    expect(status('ecr.lifecycle-policy', 'shop/api')).toBe('FAIL');
    expect(status('ecr.kms-encryption', 'shop/api')).toBe('FAIL');
    expect(status('ecr.kms-encryption', 'shop/web')).toBe('PASS');
    expect(status('ecr.public-policy', 'shop/public')).toBe('FAIL');
    expect(status('ecr.public-policy', 'shop/web')).toBe('PASS');

    // Round-2 AWS-side controls, read through GuardDuty, CloudWatch Logs, IAM, EC2 and ECR on the wire.
    expect(status('eks.endpoint-private-access', 'prod')).toBe('FAIL');
    expect(status('eks.endpoint-private-access', 'secure')).toBe('PASS');
    expect(status('eks.authentication-mode', 'prod')).toBe('PASS');
    expect(find(report, 'eks.private-nodes', 'workers')).toMatchObject({ status: 'FAIL', evidence: { publicSubnets: ['subnet-0public'] } });
    expect(status('eks.private-nodes', 'legacy')).toBe('PASS');
    expect(find(report, 'eks.private-nodes', 'hardened')).toMatchObject({ status: 'PASS', evidence: { associatePublicIpAddress: false } });
    expect(find(report, 'eks.guardduty-protection', 'prod')).toMatchObject({
      status: 'FAIL',
      message: expect.stringContaining('no agent'),
    });
    expect(status('eks.guardduty-protection', 'secure')).toBe('PASS');
    expect(find(report, 'eks.control-plane-log-retention', 'prod')).toMatchObject({
      status: 'FAIL',
      message: expect.stringContaining('never expire'),
    });
    expect(find(report, 'eks.control-plane-log-retention', 'secure')).toMatchObject({ status: 'PASS', evidence: { retentionInDays: 731 } });
    expect(find(report, 'eks.node-role-ecr-readonly', 'prod-node')).toMatchObject({
      status: 'FAIL',
      evidence: { writeActions: ['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload'] },
    });
    expect(find(report, 'eks.node-role-ecr-readonly', 'secure-node')).toMatchObject({
      status: 'PASS',
      evidence: { policies: ['AmazonEC2ContainerRegistryReadOnly', 'describe'] },
    });
    expect(find(report, 'ecr.latest-image-vulnerabilities', 'shop/api')).toMatchObject({
      status: 'FAIL',
      evidence: { imageDigest: API_NEW, high: 2, imageTags: ['1.4.2'] },
    });
    expect(status('ecr.latest-image-vulnerabilities', 'shop/web')).toBe('PASS');
    expect(status('ecr.latest-image-vulnerabilities', 'tools/mwe')).toBe('NOT_APPLICABLE');
    // One GuardDuty read for the account and region, not one per cluster; the node role's policies once, though two nodegroups use it.
    expect(fake.callsTo('guardduty:ListDetectors')).toHaveLength(1);
    expect(
      fake
        .callsTo('iam:GetRole')
        .map((c) => c.params['RoleName'])
        .sort(),
    ).toEqual(['prod-node', 'secure-node']);

    // The Kubernetes objects came from the API server, authenticated with an EKS token.
    const requests = k8s.cluster('prod').requests;
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((q) => q.authorization?.startsWith('Bearer k8s-aws-v1.'))).toBe(true);
    // …and the workload controls judged them like any live cluster's.
    expect(status('workload.privilege-escalation', 'storefront', 'api')).toBe('FAIL');
    // No credential value reaches the report.
    expect(r.stdout).not.toContain('fake-secret-for-tests-only');
    expect(r.stdout).not.toContain('k8s-aws-v1.');
  });

  it('with --org: assumes the member role with ExternalId, marks disabled regions and refused roles UNKNOWN and scans the rest', async () => {
    fake.calls.length = 0;
    const r = await runCli(
      [
        'scan',
        '--aws',
        '--org',
        '--role-name',
        'hardline-read',
        '--external-id',
        'ext-1',
        '--regions',
        `${REGION},eu-central-1`,
        '--controls',
        'ecr.*',
        '--format',
        'json',
      ],
      fake.env(REGION),
    );
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as ScanReportJson;
    const state = Object.fromEntries(report.scan.targets.map((t) => [`${t.accountId}/${t.region}/${t.kind}`, t]));
    expect(state[`${MEMBER}/${REGION}/registry`]).toMatchObject({ status: 'OK', name: `${MEMBER}.dkr.ecr.${REGION}.amazonaws.com` });
    expect(state[`${MEMBER}/eu-central-1/registry`]).toMatchObject({ status: 'UNKNOWN', reason: expect.stringContaining('not enabled') });
    expect(state[`${LOCKED}/${REGION}/cluster`]).toMatchObject({
      status: 'UNKNOWN',
      name: '*',
      reason: expect.stringContaining('cannot assume the scanner role'),
    });
    expect(state[`${ME}/eu-central-1/registry`]).toMatchObject({ status: 'OK' });
    expect(report.results.find((x) => x.controlId === 'ecr.tag-immutability' && x.resource.name === 'member/app')?.status).toBe('FAIL');
    const assumed = fake.callsTo('sts:AssumeRole');
    expect(new Set(assumed.map((c) => c.params['RoleArn']))).toEqual(
      new Set([`arn:aws:iam::${MEMBER}:role/hardline-read`, `arn:aws:iam::${LOCKED}:role/hardline-read`]),
    );
    expect(assumed.every((c) => c.params['ExternalId'] === 'ext-1' && String(c.params['RoleSessionName']).startsWith('hardline-'))).toBe(
      true,
    );
    // One session per account, reused by every client of it.
    expect(assumed.filter((c) => c.params['RoleArn'] === `arn:aws:iam::${MEMBER}:role/hardline-read`)).toHaveLength(1);
    expect(fake.calls.filter((c) => c.account === MEMBER && c.service === 'ecr').length).toBeGreaterThan(1);
    expect(r.stderr).toContain(`target *: UNKNOWN`);
  });

  it('records the same account with `snapshot --aws`, and replaying the file gives the same EKS and ECR verdicts', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hl-aws-')), 'aws.json');
    const verdicts = (report: ScanReportJson) =>
      report.results

        .filter((x) => /^(eks|ecr)\./.test(x.controlId))
        .map(
          (x) =>
            `${x.controlId} ${x.target.name} ${x.resource.kind}/${x.resource.name}${x.resource.container ? `[${x.resource.container}]` : ''} ${x.status}`,
        )
        .sort();
    const live = await runCli(['scan', '--aws', '--controls', 'eks.*,ecr.*', '--format', 'json'], fake.env(REGION));
    const recorded = await runCli(['snapshot', '--aws', '--output', file], fake.env(REGION));
    expect(recorded.code, recorded.stderr).toBe(0);
    const replay = await runCli(['scan', file, '--controls', 'eks.*,ecr.*', '--format', 'json'], {});
    expect(replay.code, replay.stderr).toBe(1);
    const liveVerdicts = verdicts(JSON.parse(live.stdout) as ScanReportJson);
    expect(liveVerdicts.length).toBeGreaterThan(30);
    expect(verdicts(JSON.parse(replay.stdout) as ScanReportJson)).toEqual(liveVerdicts);
  });

  it('rejects bad AWS flags with exit code 2 and a message', async () => {
    const bad = await runCli(['scan', '--aws', '--regions', 'mars-1'], fake.env(REGION));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--regions/);
    const noRegion = await runCli(['scan', '--aws'], { ...fake.env(REGION), AWS_REGION: '' });
    expect(noRegion.code).toBe(2);
    expect(noRegion.stderr).toMatch(/region/i);
  });
});
