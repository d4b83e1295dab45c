import { Capture, Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FINDING_DETAIL_TYPES } from '../../shared/events/types.js';
import { asList, buildService, flatten, iamStatements, type Json } from './support.js';

/** Security Hub from the service (opt-in `securityHub`): rule → queue → securityhub-import, least privilege. */
let off: Template;
let on: Template;
beforeAll(() => {
  off = buildService().template;
  on = buildService({ securityHub: 'true' }).template;
});

const services = (t: Template) =>
  Object.values(t.findResources('AWS::Lambda::Function')).map(
    (r) => (((r['Properties'] as Json)['Environment'] as Json)['Variables'] as Json)['POWERTOOLS_SERVICE_NAME'],
  );

describe('Security Hub import', () => {
  it('is off by default: no function, no rule, no Security Hub permission', () => {
    expect(services(off)).not.toContain('hardline-securityhub-import');
    expect(
      iamStatements(off).filter(({ statement }) =>
        asList(statement['Action'] as string | string[]).some((a) => a.startsWith('securityhub:')),
      ),
    ).toEqual([]);
  });

  it('on: a rule on the hardline bus sends every finding lifecycle event to an encrypted queue with a DLQ', () => {
    const queue = new Capture();
    on.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.anyValue(),
      EventPattern: { source: ['hardline'], 'detail-type': [...FINDING_DETAIL_TYPES] },
      Targets: [Match.objectLike({ Arn: queue, DeadLetterConfig: { Arn: Match.anyValue() } })],
    });
    const queueId = (queue.asObject() as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]!;
    expect(on.findResources('AWS::SQS::Queue')[queueId]!['Properties']).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: expect.anything() },
    });
    expect(services(on)).toContain('hardline-securityhub-import');
  });

  it("the function takes the queue in batches of 100 (BatchImportFindings' limit) and reports partial batch failures", () => {
    on.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 30,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it("least privilege: BatchImportFindings on this account's default product (for findings of this account), BatchUpdateFindings on this account's hub, nothing else", () => {
    const sh = iamStatements(on).filter(({ statement }) =>
      asList(statement['Action'] as string | string[]).some((a) => a.startsWith('securityhub:')),
    );
    expect(sh.map(({ source }) => source)).toEqual([
      expect.stringMatching(/^SecurityHubHandlerRole/),
      expect.stringMatching(/^SecurityHubHandlerRole/),
    ]);
    const byAction = Object.fromEntries(sh.map(({ statement }) => [String(statement['Action']), statement]));
    expect(Object.keys(byAction).sort()).toEqual(['securityhub:BatchImportFindings', 'securityhub:BatchUpdateFindings']);
    expect(flatten(byAction['securityhub:BatchImportFindings']!['Resource'])).toBe(
      'arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:product/${AWS::AccountId}/default',
    );
    expect(byAction['securityhub:BatchImportFindings']!['Condition']).toEqual({
      StringEquals: { 'securityhub:TargetAccount': { Ref: 'AWS::AccountId' } },
    });
    expect(flatten(byAction['securityhub:BatchUpdateFindings']!['Resource'])).toBe(
      'arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:hub/default',
    );
    // And it cannot touch the findings table.
    expect(
      iamStatements(on).filter(
        ({ source, statement }) =>
          source.startsWith('SecurityHubHandlerRole') &&
          asList(statement['Action'] as string | string[]).some((a) => a.startsWith('dynamodb:')),
      ),
    ).toEqual([]);
  });

  it('its errors and its dead-letter queue are alarmed', () => {
    const alarms = Object.values(on.findResources('AWS::CloudWatch::Alarm')).map((r) => r['Properties'] as Json);
    expect(alarms.filter((a) => a['MetricName'] === 'Errors')).toHaveLength(7);
    expect(alarms.filter((a) => a['MetricName'] === 'ApproximateNumberOfMessagesVisible')).toHaveLength(4);
  });
});
