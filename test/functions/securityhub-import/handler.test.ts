import { Logger } from '@aws-lambda-powertools/logger';
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSecurityHubImportHandler } from '../../../functions/securityhub-import/handler.js';
import { findingEvent } from '../../../shared/events/details.js';
import { findingImageSchema } from '../../../shared/events/stream.js';
import { EVENT_SOURCE, type FindingDetailType } from '../../../shared/events/types.js';
import type { FindingState } from '../../../shared/findings/types.js';
import type { FindingItem } from '../../../shared/store/items.js';
import { findingItem } from '../../events/stream-records.js';
import { leaksIn, PLANTED } from '../../hygiene/planted.js';
import { asffViolations } from '../../report/asff-rules.js';

const hubMock = mockClient(SecurityHubClient);
const HUB = '999988887777';
const env = { HARDLINE_ACCOUNT_ID: HUB, AWS_REGION: 'eu-central-1' };
const handler = createSecurityHubImportHandler(
  () => new SecurityHubClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
  new Logger({ logLevel: 'SILENT' }),
  {
    env,
    backoff: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined, random: () => 0 },
  },
);
const context = { functionName: 'securityhub-import', awsRequestId: 'r', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

let seq = 0;
/** The SQS message EventBridge delivers for a finding event as the publisher builds it from a store item. */
function message(detailType: FindingDetailType, item: FindingItem, previousState?: FindingState): SQSRecord {
  const e = findingEvent(detailType, findingImageSchema.parse(item), previousState);
  const body = {
    version: '0',
    id: `ev-${++seq}`,
    'detail-type': e.detailType,
    source: EVENT_SOURCE,
    account: HUB,
    time: e.time.replace(/\.\d+Z$/, 'Z'),
    region: 'eu-central-1',
    resources: e.resources,
    detail: e.detail,
  };
  return { messageId: `m-${seq}`, body: JSON.stringify(body) } as SQSRecord;
}
const sqs = (records: SQSRecord[]): SQSEvent => ({ Records: records });
const imported = (): AwsSecurityFinding[][] => hubMock.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings ?? []);
const accept = () =>
  hubMock.on(BatchImportFindingsCommand).callsFake(async (input: { Findings: AwsSecurityFinding[] }) => ({
    SuccessCount: input.Findings.length,
    FailedCount: 0,
    FailedFindings: [],
  }));

const opened = findingItem({ name: 'web' });
const resolved = findingItem({
  name: 'api',
  state: 'RESOLVED',
  version: 2,
  resolvedAt: '2026-12-01T03:00:00.000Z',
  lastSeen: '2026-11-30T03:00:00.000Z',
});
const exempted = findingItem({
  name: 'jobs',
  state: 'EXEMPTED',
  version: 2,
  exempted: { by: 'arn:aws:iam::111122223333:role/secops', reason: 'accepted until the migration', source: 'store:x-1' },
});

beforeEach(() => {
  hubMock.reset();
  hubMock.on(BatchUpdateFindingsCommand).callsFake(async (input: { FindingIdentifiers: unknown[] }) => ({
    ProcessedFindings: input.FindingIdentifiers,
    UnprocessedFindings: [],
  }));
});

describe('securityhub-import handler', () => {
  it("imports finding events as valid ASFF into this account's default product, then sets the workflow of resolved and exempted ones", async () => {
    accept();
    const out = await handler(
      sqs([
        message('Finding Opened', opened),
        message('Finding Resolved', resolved, 'OPEN'),
        message('Finding Exempted', exempted, 'OPEN'),
      ]),
      context,
    );
    expect(out).toEqual({ batchItemFailures: [] });
    const sent = imported().flat();
    expect(sent).toHaveLength(3);
    expect(sent.flatMap(asffViolations)).toEqual([]);
    for (const f of sent)
      expect(f).toMatchObject({
        AwsAccountId: HUB,
        ProductArn: `arn:aws:securityhub:eu-central-1:${HUB}:product/${HUB}/default`,
        ProductFields: expect.objectContaining({ 'hardline/account': '111122223333', 'hardline/region': 'eu-west-1' }),
      });
    const byId = new Map(sent.map((f) => [f.Id, f]));
    expect(byId.get(`hardline/${opened.findingId}`)).toMatchObject({
      RecordState: 'ACTIVE',
      Workflow: { Status: 'NEW' },
      Compliance: { Status: 'FAILED' },
      Severity: { Label: 'CRITICAL' },
    });
    expect(byId.get(`hardline/${resolved.findingId}`)).toMatchObject({
      RecordState: 'ARCHIVED',
      Workflow: { Status: 'RESOLVED' },
      Compliance: { Status: 'PASSED' },
      UpdatedAt: '2026-12-01T03:00:00Z',
    });
    // The affected resource keeps its own account in its ARN.
    expect(byId.get(`hardline/${opened.findingId}`)!.Resources![0]!.Id).toMatch(/111122223333|prod-eu/);
    expect(hubMock).toHaveReceivedCommandWith(BatchUpdateFindingsCommand, {
      Workflow: { Status: 'RESOLVED' },
      FindingIdentifiers: [
        { Id: `hardline/${resolved.findingId}`, ProductArn: `arn:aws:securityhub:eu-central-1:${HUB}:product/${HUB}/default` },
      ],
    });
    expect(hubMock).toHaveReceivedCommandWith(BatchUpdateFindingsCommand, {
      Workflow: { Status: 'SUPPRESSED' },
      FindingIdentifiers: [expect.objectContaining({ Id: `hardline/${exempted.findingId}` })],
    });
    expect(hubMock).toHaveReceivedCommandTimes(BatchUpdateFindingsCommand, 2);
  });

  it('sends at most 100 findings per BatchImportFindings call', async () => {
    accept();
    const records = Array.from({ length: 250 }, (_, i) => message('Finding Opened', findingItem({ name: `w${i}` })));
    expect(await handler(sqs(records), context)).toEqual({ batchItemFailures: [] });
    expect(imported().map((b) => b.length)).toEqual([100, 100, 50]);
  });

  it('retries only the rejected findings; one rejected for good is reported (its message goes back to the queue) and gets no workflow update', async () => {
    const bad = findingItem({ name: 'bad', state: 'RESOLVED', version: 3 });
    const flaky = findingItem({ name: 'flaky' });
    let calls = 0;
    hubMock.on(BatchImportFindingsCommand).callsFake(async (input: { Findings: AwsSecurityFinding[] }) => {
      calls++;
      const failed = input.Findings.flatMap((f) => {
        if (f.Id === `hardline/${bad.findingId}`) return [{ Id: f.Id, ErrorCode: 'InvalidInput', ErrorMessage: 'bad field' }];
        if (f.Id === `hardline/${flaky.findingId}` && calls === 1)
          return [{ Id: f.Id, ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }];
        return [];
      });
      return { FailedCount: failed.length, SuccessCount: input.Findings.length - failed.length, FailedFindings: failed };
    });
    const badMessage = message('Finding Resolved', bad, 'OPEN');
    const out = await handler(sqs([message('Finding Opened', opened), badMessage, message('Finding Opened', flaky)]), context);
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: badMessage.messageId }] });
    expect(imported().map((b) => b.map((f) => f.Id))).toEqual([expect.any(Array), [`hardline/${flaky.findingId}`]]);
    expect(hubMock).toHaveReceivedCommandTimes(BatchUpdateFindingsCommand, 0);
  });

  it('several events of one finding in a batch: only the latest version is sent; a failure returns all of its messages', async () => {
    hubMock.on(BatchImportFindingsCommand).callsFake(async (input: { Findings: AwsSecurityFinding[] }) => ({
      FailedCount: 1,
      FailedFindings: input.Findings.map((f) => ({ Id: f.Id, ErrorCode: 'InvalidInput', ErrorMessage: 'x' })),
    }));
    const v1 = message('Finding Opened', opened);
    const v2 = message('Finding Resolved', { ...opened, state: 'RESOLVED', version: 2, resolvedAt: '2026-12-02T00:00:00.000Z' }, 'OPEN');
    const out = await handler(sqs([v2, v1]), context);
    expect(
      imported()
        .flat()
        .map((f) => f.ProductFields?.['hardline/version']),
    ).toEqual(['2']);
    expect(out.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([v1.messageId, v2.messageId].sort());
  });

  it('a message that is not a hardline finding event fails alone (it reaches the DLQ), the others are imported', async () => {
    accept();
    const junk = {
      messageId: 'junk',
      body: JSON.stringify({ source: 'hardline', 'detail-type': 'Scan Completed', detail: {} }),
    } as SQSRecord;
    const out = await handler(sqs([junk, message('Finding Opened', opened)]), context);
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: 'junk' }] });
    expect(imported().flat()).toHaveLength(1);
  });

  it('a workflow update Security Hub did not process is retried, then reported', async () => {
    accept();
    hubMock.on(BatchUpdateFindingsCommand).callsFake(async (input: { FindingIdentifiers: { Id: string; ProductArn: string }[] }) => ({
      ProcessedFindings: [],
      UnprocessedFindings: input.FindingIdentifiers.map((f) => ({
        FindingIdentifier: f,
        ErrorCode: 'FindingNotFound',
        ErrorMessage: 'not yet',
      })),
    }));
    const m = message('Finding Resolved', resolved, 'OPEN');
    expect(await handler(sqs([m]), context)).toEqual({ batchItemFailures: [{ itemIdentifier: m.messageId }] });
    expect(hubMock).toHaveReceivedCommandTimes(BatchUpdateFindingsCommand, 3);
  });

  // The formats redaction recognises anywhere in a text; a bare secret value is kept out upstream (controls name keys, never values).
  it('redacts on its own: credentials in an event that reached the queue unredacted never reach Security Hub', async () => {
    accept();
    const m = message('Finding Opened', opened);
    const body = JSON.parse(m.body) as { detail: { message: string; resource: { name: string } } };
    body.detail.message = `env DB_URL=${PLANTED.urlCredentials.value} key ${PLANTED.awsAccessKeyId.value} jwt ${PLANTED.jwt.value} token ${PLANTED.githubToken.value}`;
    await handler(sqs([{ ...m, body: JSON.stringify(body) }]), context);
    const sent = JSON.stringify(imported());
    expect(sent).toContain('[REDACTED]');
    expect(leaksIn(sent)).toEqual([]);
  });

  it('Security Hub not enabled (or no permission) fails the invocation: every message returns to the queue', async () => {
    hubMock
      .on(BatchImportFindingsCommand)
      .rejects(Object.assign(new Error(`Account ${HUB} is not subscribed to AWS Security Hub`), { name: 'InvalidAccessException' }));
    await expect(handler(sqs([message('Finding Opened', opened)]), context)).rejects.toThrow(
      /Security Hub refused the call: InvalidAccessException/,
    );
  });

  it('without its account setting it refuses to run rather than import under a wrong account', async () => {
    const bare = createSecurityHubImportHandler(
      () => new SecurityHubClient({ region: 'eu-central-1' }),
      new Logger({ logLevel: 'SILENT' }),
      { env: { AWS_REGION: 'eu-central-1' } },
    );
    await expect(bare(sqs([message('Finding Opened', opened)]), context)).rejects.toThrow(/HARDLINE_ACCOUNT_ID/);
    expect(hubMock).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 0);
  });
});
