import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  importFindings,
  importToSecurityHub,
  SECURITY_HUB_BATCH,
  type SecurityHubImportOptions,
} from '../../../cli/sources/securityhub.js';
import { ConfigError } from '../../../shared/core/errors.js';
import { asffViolations } from '../../report/asff-rules.js';
import { fixtureScan } from '../../report/scan-fixture.js';

const hubMock = mockClient(SecurityHubClient);
const stsMock = mockClient(STSClient);
const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };
const opts = (): SecurityHubImportOptions => ({
  securityHub: new SecurityHubClient({ region: 'eu-central-1', credentials }),
  sts: new STSClient({ region: 'eu-central-1', credentials }),
  backoff: { maxAttempts: 3, sleep: async () => undefined, random: () => 0 },
});
const sent = (): AwsSecurityFinding[][] => hubMock.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings ?? []);
const report = fixtureScan();
const judged = report.results.toArray().filter((r) => r.status !== 'NOT_APPLICABLE').length;

beforeEach(() => {
  hubMock.reset();
  stsMock.reset();
  stsMock.on(GetCallerIdentityCommand).resolves({ Account: '999988887777', Arn: 'arn:aws:iam::999988887777:user/ci' });
});

describe('--to-securityhub (BatchImportFindings)', () => {
  it("imports every judged result in batches of at most 100, manifest findings in the caller's account and region", async () => {
    hubMock.on(BatchImportFindingsCommand).callsFake(async (input: { Findings: AwsSecurityFinding[] }) => ({
      FailedCount: 0,
      SuccessCount: input.Findings.length,
      FailedFindings: [],
    }));
    const out = await importFindings(report, opts());
    expect(judged).toBeGreaterThan(2 * SECURITY_HUB_BATCH);
    const full = Math.floor(judged / SECURITY_HUB_BATCH);
    expect(sent().map((b) => b.length)).toEqual(
      [...Array<number>(full).fill(SECURITY_HUB_BATCH), judged - full * SECURITY_HUB_BATCH].filter((n) => n > 0),
    );
    expect(out).toMatchObject({ imported: judged, failed: [], account: '999988887777', region: 'eu-central-1' });
    const all = sent().flat();
    expect(all.flatMap(asffViolations)).toEqual([]);
    for (const f of all) expect(f.ProductArn).toBe('arn:aws:securityhub:eu-central-1:999988887777:product/999988887777/default');
    const manifest = all.find((f) => f.Resources![0]!.Details?.Other?.['targetKind'] === 'manifests')!;
    expect(manifest).toMatchObject({ AwsAccountId: '999988887777', Region: 'eu-central-1' });
    const cluster = all.find((f) => f.Resources![0]!.Details?.Other?.['target'] === 'prod-eu')!;
    expect(cluster).toMatchObject({ AwsAccountId: '111122223333', Region: 'eu-west-1' });
  });

  it('retries only the findings Security Hub rejected, and reports the ones that never got in', async () => {
    let call = 0;
    hubMock.on(BatchImportFindingsCommand).callsFake(async (input: { Findings: AwsSecurityFinding[] }) => {
      call++;
      // First pass: the 3rd finding of every batch is throttled once; one finding fails for good (bad input).
      const failed = input.Findings.flatMap((f, i) => {
        if (f.Id === sent()[0]![0]!.Id) return [{ Id: f.Id, ErrorCode: 'InvalidInput', ErrorMessage: 'bad field' }];
        if (f.Id === sent()[0]![1]!.Id) return [{ Id: f.Id, ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }];
        return call <= Math.ceil(judged / SECURITY_HUB_BATCH) && i === 2
          ? [{ Id: f.Id, ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }]
          : [];
      });
      return { FailedCount: failed.length, SuccessCount: input.Findings.length - failed.length, FailedFindings: failed };
    });
    const out = await importFindings(report, opts());
    const batches = sent();
    const firstPass = Math.ceil(judged / SECURITY_HUB_BATCH);
    // The retry carries only the throttled findings and the one with an internal failure.
    expect(batches[firstPass]!.map((f) => f.Id).sort()).toEqual(
      [batches[0]![1]!.Id, ...batches.slice(0, firstPass).map((b) => b[2]!.Id)].sort(),
    );
    expect(out.imported).toBe(judged - 2);
    expect(out.failed.map((f) => f.code).sort()).toEqual(['InternalFailure', 'InvalidInput']);
    expect(hubMock).toHaveReceivedCommandTimes(BatchImportFindingsCommand, firstPass + 2);
    expect(await importToSecurityHub(report, opts())).toMatch(
      /imported \d+ findings into Security Hub \(999988887777, eu-central-1\).*2 failed: hardline\/[0-9a-f]{64} \(/,
    );
  });

  it('Security Hub not enabled is a clear error, not a retry loop', async () => {
    hubMock
      .on(BatchImportFindingsCommand)
      .rejects(Object.assign(new Error('Account 999988887777 is not subscribed to AWS Security Hub'), { name: 'InvalidAccessException' }));
    await expect(importFindings(report, opts())).rejects.toThrow(ConfigError);
    await expect(importFindings(report, opts())).rejects.toThrow(/not subscribed/);
  });

  it('credentials that cannot be identified stop the import before anything is sent', async () => {
    stsMock
      .on(GetCallerIdentityCommand)
      .rejects(Object.assign(new Error('The security token included in the request is invalid'), { name: 'InvalidClientTokenId' }));
    await expect(importFindings(report, opts())).rejects.toThrow(/cannot identify the AWS account/);
    expect(hubMock).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 0);
  });
});
