import { readFileSync } from 'node:fs';
import { DescribeImageScanFindingsCommand, ECRClient } from '@aws-sdk/client-ecr';
import { Inspector2Client, ListFindingsCommand, type ListFindingsCommandOutput } from '@aws-sdk/client-inspector2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { collectImageScanFindings } from '../../../shared/collectors/aws/ecr-images.js';
import { runningImageVulnerabilities } from '../../../shared/controls/ecr/running-image-vulnerabilities.js';
import { evaluate } from '../../../shared/engine/evaluate.js';
import type { Inventory } from '../../../shared/inventory/types.js';

/**
 * The Inspector path of running-image findings: under enhanced scanning ECR's
 * DescribeImageScanFindings can answer ACTIVE with no findings while Inspector holds them; the
 * collector reads inspector2:ListFindings (the fixture is its answer) so the image FAILs.
 */
const ecrMock = mockClient(ECRClient);
const inspectorMock = mockClient(Inspector2Client);
const fixture = JSON.parse(readFileSync(new URL('./fixtures/inspector-list-findings.json', import.meta.url), 'utf8')) as {
  pages: ListFindingsCommandOutput[];
};

const REGISTRY = '444455556666';
const DIGEST = `sha256:${'c'.repeat(64)}`;
const IMAGE = `${REGISTRY}.dkr.ecr.eu-west-1.amazonaws.com/payments/api:1.4.2`;
const ecr = new ECRClient({ region: 'eu-west-1' });
const inspector = new Inspector2Client({ region: 'eu-west-1' });
const denied = () =>
  Object.assign(new Error('User is not authorized to perform: inspector2:ListFindings'), {
    name: 'AccessDeniedException',
    $metadata: { httpStatusCode: 403 },
  });

/** ECR under enhanced scanning: ACTIVE, and (the case that misleads) no findings in its answer. */
function ecrActive(enhancedFindings: object[] = []): void {
  ecrMock.on(DescribeImageScanFindingsCommand).resolves({
    imageId: { imageTag: '1.4.2', imageDigest: DIGEST },
    imageScanStatus: { status: 'ACTIVE', description: 'Continuous scan is selected for image.' },
    imageScanFindings: { enhancedFindings: enhancedFindings as never },
  });
}

function verdict(imageScanFindings: unknown[]): string {
  const inventory: Inventory = {
    target: { kind: 'cluster', accountId: REGISTRY, region: 'eu-west-1', name: 'payments' },
    collectedAt: '2026-11-30T03:00:00Z',
    origin: 'live',
    resources: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'api', namespace: 'pay' },
        spec: { template: { spec: { containers: [{ name: 'api', image: IMAGE }] } } },
      },
    ],
    ecr: { imageScanFindings: imageScanFindings as never },
    gaps: [],
  };
  return evaluate(inventory, [runningImageVulnerabilities], [], { now: new Date('2026-11-30T03:00:00Z') })
    .toArray()
    .map((r) => r.status)
    .join(',');
}

beforeEach(() => {
  ecrMock.reset();
  inspectorMock.reset();
});

describe('running-image findings under enhanced scanning (Inspector)', () => {
  it('reads every page of inspector2:ListFindings for the image digest: the image FAILs where ECR alone would PASS', async () => {
    ecrActive();
    inspectorMock
      .on(ListFindingsCommand, { nextToken: undefined })
      .resolves(fixture.pages[0]!)
      .on(ListFindingsCommand, { nextToken: 'page-2' })
      .resolves(fixture.pages[1]!);
    const withoutInspector = await collectImageScanFindings([IMAGE], () => ecr);
    expect(verdict(withoutInspector.imageScanFindings)).toBe('PASS');

    const { imageScanFindings, gaps } = await collectImageScanFindings(
      [IMAGE],
      () => ecr,
      4,
      () => inspector,
    );
    expect(gaps).toEqual([]);
    expect(imageScanFindings[0]).toMatchObject({
      scanStatus: 'ACTIVE',
      scanType: 'ENHANCED',
      imageDigest: DIGEST,
      severityCounts: { CRITICAL: 1, HIGH: 1, MEDIUM: 1 },
      topFindings: [
        { id: 'CVE-2026-21001', severity: 'CRITICAL' },
        { id: 'CVE-2026-18440', severity: 'HIGH' },
        { id: 'CVE-2026-11111', severity: 'MEDIUM' },
      ],
    });
    expect(verdict(imageScanFindings)).toBe('FAIL');
    expect(inspectorMock).toHaveReceivedCommandTimes(ListFindingsCommand, 2);
    expect(inspectorMock).toHaveReceivedCommandWith(ListFindingsCommand, {
      filterCriteria: {
        awsAccountId: [{ comparison: 'EQUALS', value: REGISTRY }],
        ecrImageRepositoryName: [{ comparison: 'EQUALS', value: 'payments/api' }],
        ecrImageHash: [{ comparison: 'EQUALS', value: DIGEST }],
        findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
        findingType: [{ comparison: 'EQUALS', value: 'PACKAGE_VULNERABILITY' }],
      },
      sortCriteria: { field: 'SEVERITY', sortOrder: 'DESC' },
    });
  });

  it("Inspector denied: the image is UNKNOWN with the reason (a gap), never a PASS on ECR's empty answer", async () => {
    ecrActive();
    inspectorMock.on(ListFindingsCommand).rejects(denied());
    const { imageScanFindings, gaps } = await collectImageScanFindings(
      [IMAGE],
      () => ecr,
      4,
      () => inspector,
    );
    expect(imageScanFindings[0]!.unavailable).toMatchObject({
      reason: 'forbidden',
      message: expect.stringMatching(/inspector2:ListFindings payments\/api/),
    });
    expect(gaps).toEqual([expect.objectContaining({ source: 'ecr:image-scan-findings', reason: 'forbidden' })]);
    expect(verdict(imageScanFindings)).toBe('UNKNOWN');
  });

  it('Inspector denied but ECR already shows a HIGH finding: the FAIL stands', async () => {
    ecrActive([{ severity: 'HIGH', title: 'CVE-2026-18440 - glibc', packageVulnerabilityDetails: { vulnerabilityId: 'CVE-2026-18440' } }]);
    inspectorMock.on(ListFindingsCommand).rejects(denied());
    const { imageScanFindings, gaps } = await collectImageScanFindings(
      [IMAGE],
      () => ecr,
      4,
      () => inspector,
    );
    expect(gaps).toEqual([]);
    expect(verdict(imageScanFindings)).toBe('FAIL');
  });

  it('basic scans, and registries whose account cannot be asked, do not touch Inspector', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves({
      imageId: { imageDigest: DIGEST },
      imageScanStatus: { status: 'COMPLETE' },
      imageScanFindings: { findingSeverityCounts: {}, findings: [] },
    });
    await collectImageScanFindings(
      [IMAGE],
      () => ecr,
      4,
      () => inspector,
    );
    ecrActive();
    const foreign = await collectImageScanFindings(
      [IMAGE],
      () => ecr,
      4,
      () => undefined,
    );
    expect(inspectorMock).toHaveReceivedCommandTimes(ListFindingsCommand, 0);
    expect(foreign.imageScanFindings[0]!.unavailable).toBeUndefined();
  });
});
