import { DescribeImageScanFindingsCommand, ECRClient, ScanNotFoundException } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { collectImageScanFindings, ecrImagesOf } from '../../../shared/collectors/aws/ecr-images.js';
import { parseEcrImage } from '../../../shared/inventory/ecr.js';

const ecrMock = mockClient(ECRClient);
const REG = '444455556666.dkr.ecr.eu-west-1.amazonaws.com';
const DIGEST = `sha256:${'c'.repeat(64)}`;

beforeEach(() => ecrMock.reset());

describe('parseEcrImage', () => {
  it.each([
    [`${REG}/payments/api:1.4.2`, { registryId: '444455556666', region: 'eu-west-1', repositoryName: 'payments/api', imageTag: '1.4.2' }],
    [`${REG}/payments/api`, { registryId: '444455556666', region: 'eu-west-1', repositoryName: 'payments/api', imageTag: 'latest' }],
    [`${REG}/api@${DIGEST}`, { registryId: '444455556666', region: 'eu-west-1', repositoryName: 'api', imageDigest: DIGEST }],
    [
      `${REG}/api:1.0@${DIGEST}`,
      { registryId: '444455556666', region: 'eu-west-1', repositoryName: 'api', imageDigest: DIGEST, imageTag: '1.0' },
    ],
    [
      '111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/x:1',
      { registryId: '111122223333', region: 'cn-north-1', repositoryName: 'x', imageTag: '1' },
    ],
  ])('%s', (image, expected) => {
    expect(parseEcrImage(image)).toEqual(expected);
  });

  it.each([
    'public.ecr.aws/nginx/nginx:1',
    'docker.io/library/nginx:1',
    'nginx',
    'evil.com/111122223333.dkr.ecr.eu-west-1.amazonaws.com/x:1',
    '12345.dkr.ecr.eu-west-1.amazonaws.com/x:1',
  ])('is not a private ECR image: %s', (image) => {
    expect(parseEcrImage(image)).toBeUndefined();
  });
});

describe('ecrImagesOf', () => {
  it('lists each distinct ECR image of every container type once', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'a' },
      spec: {
        initContainers: [{ name: 'init', image: `${REG}/init:1` }],
        containers: [
          { name: 'app', image: `${REG}/api:1` },
          { name: 'proxy', image: 'envoyproxy/envoy:v1.31' },
        ],
      },
    };
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { template: { spec: { containers: [{ name: 'app', image: `${REG}/api:1` }] } } },
    };
    expect(ecrImagesOf([pod, deploy, { kind: 'ConfigMap', metadata: { name: 'x' } }])).toEqual([`${REG}/api:1`, `${REG}/init:1`]);
  });

  it("leaves out EKS add-on images in AWS's own registries (their findings are never shared), in every partition", () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'aws-node-x', namespace: 'kube-system' },
      spec: {
        containers: [
          { name: 'aws-node', image: '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.0-eksbuild.1' },
          { name: 'proxy', image: '961992271922.dkr.ecr.cn-northwest-1.amazonaws.com.cn/eks/kube-proxy:v1.31.0-eksbuild.2' },
          { name: 'app', image: `${REG}/api:1` },
        ],
      },
    };
    expect(ecrImagesOf([pod])).toEqual([`${REG}/api:1`]);
  });
});

describe('collectImageScanFindings', () => {
  const client = new ECRClient({ region: 'eu-west-1' });

  it('asks by digest when pinned and by tag otherwise, keeping counts and the worst ids of basic and enhanced scans', async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand, { repositoryName: 'api' })
      .resolves({
        imageId: { imageTag: '1', imageDigest: DIGEST },
        imageScanStatus: { status: 'COMPLETE' },
        imageScanFindings: {
          findingSeverityCounts: { CRITICAL: 1, HIGH: 2, LOW: 40 },
          findings: [
            { name: 'CVE-2025-0003', severity: 'LOW' },
            { name: 'CVE-2025-0002', severity: 'HIGH' },
            { name: 'CVE-2025-0001', severity: 'CRITICAL' },
          ],
        },
      })
      .on(DescribeImageScanFindingsCommand, { repositoryName: 'worker' })
      .resolves({
        imageScanStatus: { status: 'ACTIVE' },
        imageScanFindings: {
          enhancedFindings: [{ severity: 'HIGH', packageVulnerabilityDetails: { vulnerabilityId: 'CVE-2025-1111', source: 'NVD' } }],
        },
      });
    const { imageScanFindings, gaps } = await collectImageScanFindings([`${REG}/api:1`, `${REG}/worker@${DIGEST}`], () => client);
    expect(gaps).toEqual([]);
    expect(ecrMock).toHaveReceivedCommandWith(DescribeImageScanFindingsCommand, {
      registryId: '444455556666',
      repositoryName: 'api',
      imageId: { imageTag: '1' },
    });
    expect(ecrMock).toHaveReceivedCommandWith(DescribeImageScanFindingsCommand, {
      repositoryName: 'worker',
      imageId: { imageDigest: DIGEST },
    });
    const api = imageScanFindings.find((f) => f.repositoryName === 'api')!;
    expect(api).toMatchObject({
      scanStatus: 'COMPLETE',
      scanType: 'BASIC',
      imageDigest: DIGEST,
      severityCounts: { CRITICAL: 1, HIGH: 2, LOW: 40 },
    });
    expect(api.topFindings?.map((t) => t.id)).toEqual(['CVE-2025-0001', 'CVE-2025-0002', 'CVE-2025-0003']);
    const worker = imageScanFindings.find((f) => f.repositoryName === 'worker')!;
    expect(worker).toMatchObject({
      scanStatus: 'ACTIVE',
      scanType: 'ENHANCED',
      severityCounts: { HIGH: 1 },
      topFindings: [{ id: 'CVE-2025-1111', severity: 'HIGH' }],
    });
  });

  it('records "not scanned" without a gap, and a denial as both unavailable and a gap', async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand, { repositoryName: 'api' })
      .rejects(new ScanNotFoundException({ message: 'Image scan does not exist', $metadata: {} }))
      .on(DescribeImageScanFindingsCommand, { repositoryName: 'secret-team' })
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const { imageScanFindings, gaps } = await collectImageScanFindings([`${REG}/api:1`, `${REG}/secret-team:2`], () => client);
    expect(imageScanFindings.find((f) => f.repositoryName === 'api')?.unavailable).toMatchObject({ reason: 'not-scanned' });
    expect(imageScanFindings.find((f) => f.repositoryName === 'secret-team')?.unavailable).toMatchObject({ reason: 'forbidden' });
    expect(gaps).toEqual([expect.objectContaining({ source: 'ecr:image-scan-findings', reason: 'forbidden' })]);
  });

  it('asks the registry account of the image in its own region', async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .resolves({ imageScanStatus: { status: 'COMPLETE' }, imageScanFindings: { findingSeverityCounts: {} } });
    const asked: string[] = [];
    await collectImageScanFindings(['999988887777.dkr.ecr.us-east-2.amazonaws.com/base:3'], (registryId, region) => {
      asked.push(`${registryId}/${region}`);
      return client;
    });
    expect(asked).toEqual(['999988887777/us-east-2']);
  });
});
