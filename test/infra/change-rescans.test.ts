import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { changeEventsTemplate } from '../../infra/change-events-member-stack.js';
import { parseSettings } from '../../infra/config.js';
import { cloudTrailEvent } from '../support/cloudtrail.js';
import { matchesPattern } from '../support/event-pattern.js';
import { asList, buildService, flatten, iamStatements, stateMachineDefinition, type Json } from './support.js';

/** The calls the issue lists, written out here (not imported) so that a changed list in the code fails this test. */
const EKS_CALLS = [
  'CreateCluster',
  'DeleteCluster',
  'UpdateClusterConfig',
  'UpdateClusterVersion',
  'CreateAccessEntry',
  'UpdateAccessEntry',
  'AssociateAccessPolicy',
  'CreateNodegroup',
  'UpdateNodegroupConfig',
  'UpdateNodegroupVersion',
  'CreateAddon',
  'UpdateAddon',
  'DeleteAddon',
];
const ECR_CALLS = [
  'CreateRepository',
  'DeleteRepository',
  'PutImageTagMutability',
  'PutImageScanningConfiguration',
  'PutRegistryScanningConfiguration',
  'SetRepositoryPolicy',
  'DeleteRepositoryPolicy',
  'PutLifecyclePolicy',
  'DeleteLifecyclePolicy',
];

const ORG = {
  orgMode: 'organization',
  organizationId: 'o-abcdefghij',
  regions: 'eu-west-1,us-east-1',
  memberRoleOrganizationalUnits: 'r-ab12',
  changeRescans: 'true',
  changeEventsOrganizationalUnits: 'ou-ab12-abcdefgh',
};
const byService = (t: Template, service: string) =>
  Object.entries(t.findResources('AWS::Lambda::Function')).find(
    ([, r]) => (((r['Properties'] as Json)['Environment'] as Json)['Variables'] as Json)['POWERTOOLS_SERVICE_NAME'] === service,
  );
/** Every statement of the role a function runs under (its AWS::IAM::Policy resources and inline policies). */
function statementsOfFunction(t: Template, fn: Json): Json[] {
  const roleId = (((fn['Properties'] as Json)['Role'] as Json)['Fn::GetAtt'] as string[])[0]!;
  const attached = Object.values(t.findResources('AWS::IAM::Policy'))
    .map((r) => r['Properties'] as Json)
    .filter((p) => (p['Roles'] as Json[]).some((r) => r['Ref'] === roleId))
    .flatMap((p) => (p['PolicyDocument'] as Json)['Statement'] as Json[]);
  const inline = (((t.findResources('AWS::IAM::Role')[roleId]!['Properties'] as Json)['Policies'] as Json[] | undefined) ?? []).flatMap(
    (p) => (p['PolicyDocument'] as Json)['Statement'] as Json[],
  );
  return [...attached, ...inline];
}

let org: Template;
let own: Template;
let plain: Template;
let member: { Resources: Record<string, Json>; Parameters: Json };
beforeAll(() => {
  org = buildService(ORG).template;
  own = buildService({ changeRescans: 'true', rescanDebounceSeconds: '90' }).template;
  plain = buildService({}).template;
  member = JSON.parse(changeEventsTemplate({ memberRoleName: 'hardline-read' })) as typeof member;
});

const memberOf = (type: string) => Object.values(member.Resources).filter((r) => r['Type'] === type);

describe('change rescans (opt-in)', () => {
  it('are off unless asked for: no changes bus, no rescan function, the missed-run alarm counts executions', () => {
    expect(byService(plain, 'hardline-rescan-targets')).toBeUndefined();
    expect(Object.values(plain.findResources('AWS::Events::EventBus')).map((r) => (r['Properties'] as Json)['Name'])).not.toContain(
      'hardline-changes',
    );
    plain.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ExecutionsSucceeded', ComparisonOperator: 'LessThanThreshold' });
  });

  it('member rule: exactly the listed EKS and ECR calls, successful ones only (errorCode absent), to the scanner bus through the forwarding role', () => {
    const [rule] = memberOf('AWS::Events::Rule');
    const pattern = (rule!['Properties'] as Json)['EventPattern'] as Json;
    const detail = pattern['detail'] as Json;
    expect(pattern['detail-type']).toEqual(['AWS API Call via CloudTrail']);
    expect([...(pattern['source'] as string[])].sort()).toEqual(['aws.ecr', 'aws.eks']);
    expect([...(detail['eventName'] as string[])].sort()).toEqual([...EKS_CALLS, ...ECR_CALLS].sort());
    expect(detail['errorCode']).toEqual([{ exists: false }]);
    const [target] = (rule!['Properties'] as Json)['Targets'] as Json[];
    expect(flatten(target!['Arn'])).toBe('${ChangesBusArn}');
    expect(flatten(target!['RoleArn'])).toBe('arn:${AWS::Partition}:iam::${AWS::AccountId}:role/hardline-read-change-events');
    // The rule exists in every region of the set; the (global) role only in RoleRegion.
    expect(rule!['Condition']).toBeUndefined();
    const [role] = memberOf('AWS::IAM::Role');
    expect(role!['Condition']).toBe('IsRoleRegion');
    const props = role!['Properties'] as Json;
    const statements = ((props['Policies'] as Json[])[0]!['PolicyDocument'] as Json)['Statement'] as Json[];
    expect(statements).toEqual([{ Action: 'events:PutEvents', Effect: 'Allow', Resource: { Ref: 'ChangesBusArn' } }]);
    const trust = ((props['AssumeRolePolicyDocument'] as Json)['Statement'] as Json[])[0]!;
    expect(trust).toMatchObject({
      Principal: { Service: 'events.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
  });

  it('the pattern, evaluated on CloudTrail records: every listed call passes; a failed call, a read and an unlisted call do not', () => {
    const pattern = (memberOf('AWS::Events::Rule')[0]!['Properties'] as Json)['EventPattern'] as Json;
    const call = (service: 'eks' | 'ecr', eventName: string, extra: { errorCode?: string; readOnly?: boolean } = {}) =>
      cloudTrailEvent({
        service,
        eventName,
        accountId: '444455556666',
        region: 'eu-west-1',
        requestParameters: { name: 'prod' },
        ...extra,
      });
    for (const name of EKS_CALLS) expect(matchesPattern(pattern, call('eks', name)), name).toBe(true);
    for (const name of ECR_CALLS) expect(matchesPattern(pattern, call('ecr', name)), name).toBe(true);
    expect(matchesPattern(pattern, call('ecr', 'PutImageTagMutability', { errorCode: 'AccessDenied' }))).toBe(false);
    expect(matchesPattern(pattern, call('eks', 'UpdateClusterConfig', { errorCode: 'ResourceInUseException' }))).toBe(false);
    expect(matchesPattern(pattern, call('eks', 'DescribeCluster', { readOnly: true }))).toBe(false);
    expect(matchesPattern(pattern, call('eks', 'TagResource'))).toBe(false);
    expect(matchesPattern(pattern, call('ecr', 'PutImage'))).toBe(false);
  });

  it('organisation: a service-managed StackSet to the chosen OUs in every scanned region, the role in the first', () => {
    const set = Object.values(org.findResources('AWS::CloudFormation::StackSet'))
      .map((r) => r['Properties'] as Json)
      .find((p) => p['StackSetName'] === 'hardline-change-events')!;
    expect(set).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true },
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-abcdefgh'] }, Regions: ['eu-west-1', 'us-east-1'] }],
      Parameters: expect.arrayContaining([
        { ParameterKey: 'RoleRegion', ParameterValue: 'eu-west-1' },
        { ParameterKey: 'ChangesBusArn', ParameterValue: { 'Fn::GetAtt': [expect.stringMatching(/^ChangeRescansBus/), 'Arn'] } },
      ]),
    });
    expect(JSON.parse(set['TemplateBody'] as string)).toEqual(member);
  });

  it('organisation: the changes bus accepts PutEvents from principals of the organisation only', () => {
    org.hasResourceProperties('AWS::Events::EventBus', { Name: 'hardline-changes' });
    const policies = Object.values(org.findResources('AWS::Events::EventBusPolicy'))
      .map((r) => r['Properties'] as Json)
      .filter((p) => p['StatementId'] === 'OrganisationAccountsForwardChangeEvents');
    expect(policies).toHaveLength(1);
    expect(policies[0]!['Statement']).toMatchObject({
      Effect: 'Allow',
      Principal: '*',
      Action: 'events:PutEvents',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } },
    });
  });

  it('scanner side: bus rules (change events, rescan requests) → a queue delayed by the debounce window (DLQ) → rescan-targets with partial batch failures', () => {
    org.hasResourceProperties('AWS::SQS::Queue', {
      DelaySeconds: 60,
      RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: Match.anyValue() },
      SqsManagedSseEnabled: true,
    });
    own.hasResourceProperties('AWS::SQS::Queue', { DelaySeconds: 90 });
    const [logicalId] = byService(org, 'hardline-rescan-targets')!;
    org.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    const rules = Object.values(org.findResources('AWS::Events::Rule'))
      .map((r) => r['Properties'] as Json)
      .filter((p) => flatten(p['EventBusName']).includes('ChangeRescansBus'));
    expect(rules.map((r) => (r['EventPattern'] as Json)['detail-type'])).toEqual(
      expect.arrayContaining([['AWS API Call via CloudTrail'], ['Rescan Requested']]),
    );
    expect(rules.find((r) => ((r['EventPattern'] as Json)['detail-type'] as string[])[0] === 'Rescan Requested')!['EventPattern']).toEqual({
      source: ['hardline.rescan'],
      'detail-type': ['Rescan Requested'],
    });
  });

  it('the rescan function may start the scan state machine and touch the RESCAN# claims, nothing else', () => {
    const [, fn] = byService(org, 'hardline-rescan-targets')!;
    const statements = statementsOfFunction(org, fn);
    const actions = statements.flatMap((s) => asList(s['Action'] as string | string[])).sort();
    expect(actions).toEqual(
      [
        'dynamodb:GetItem',
        'dynamodb:UpdateItem',
        'kms:Decrypt',
        'kms:Encrypt',
        'kms:GenerateDataKey*',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
        'states:StartExecution',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
    const start = statements.find((s) => s['Action'] === 'states:StartExecution')!;
    expect(start['Resource']).toEqual({ Ref: expect.stringMatching(/^ScanPipelineStateMachine/) });
    const claims = statements.find((s) => asList(s['Action'] as string[]).includes('dynamodb:UpdateItem'))!;
    expect(claims).toMatchObject({
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^FindingsStoreTable/), 'Arn'] },
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RESCAN#*'] } },
    });
    const env = ((fn['Properties'] as Json)['Environment'] as Json)['Variables'] as Json;
    expect(env).toMatchObject({
      HARDLINE_ORG_MODE: 'organization',
      HARDLINE_REGIONS: 'eu-west-1,us-east-1',
      HARDLINE_STATE_MACHINE_ARN: { Ref: expect.stringMatching(/^ScanPipelineStateMachine/) },
    });
  });

  it('discover may send follow-ups to the change queue (and knows its URL); the execution input reaches discover', () => {
    const [, discover] = byService(org, 'hardline-discover')!;
    expect(((discover['Properties'] as Json)['Environment'] as Json)['Variables']).toMatchObject({
      HARDLINE_RESCAN_QUEUE_URL: { Ref: expect.stringMatching(/^ChangeRescansChanges/) },
    });
    const send = iamStatements(org).find((s) => asList(s.statement['Action'] as string[]).includes('sqs:SendMessage'))!;
    expect(flatten(send.statement['Resource'])).toMatch(/^\$\{ChangeRescansChanges\w+\.Arn\}$/);
    const def = stateMachineDefinition(org) as { States: Record<string, { Parameters?: Json }> };
    expect(def.States['Discover']!.Parameters).toMatchObject({ 'request.$': '$$.Execution.Input', 'scanId.$': '$$.Execution.Name' });
  });

  it('with rescans on, "a run succeeded" counts organisation-wide runs only (FullRunsCompleted), so rescans cannot hide a broken schedule', () => {
    org.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'FullRunsCompleted',
      Namespace: 'hardline',
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    expect(Object.values(org.findResources('AWS::CloudWatch::Alarm')).map((r) => (r['Properties'] as Json)['MetricName'])).not.toContain(
      'ExecutionsSucceeded',
    );
  });

  it('account mode: the forwarding rule and role live in the service stack itself (no StackSet, no bus policy)', () => {
    expect(Object.keys(own.findResources('AWS::CloudFormation::StackSet'))).toEqual([]);
    expect(
      Object.values(own.findResources('AWS::Events::EventBusPolicy')).map((r) => (r['Properties'] as Json)['StatementId']),
    ).not.toContain('OrganisationAccountsForwardChangeEvents');
    const rule = Object.values(own.findResources('AWS::Events::Rule'))
      .map((r) => r['Properties'] as Json)
      .find((p) => p['EventBusName'] === undefined && ((p['EventPattern'] as Json)['detail'] as Json | undefined)?.['errorCode']);
    expect(flatten((rule!['Targets'] as Json[])[0]!['Arn'])).toMatch(/^\$\{ChangeRescansBus\w+\.Arn\}$/);
    own.hasResourceProperties('AWS::IAM::Role', { RoleName: 'hardline-read-change-events' });
  });

  it('settings: organisation mode needs organizationId and OUs; debounce within SQS limits', () => {
    expect(() => parseSettings({ orgMode: 'organization', changeRescans: 'true', memberRoleOrganizationalUnits: 'r-ab12' })).toThrow(
      /organizationId/,
    );
    expect(() => parseSettings({ orgMode: 'organization', organizationId: 'o-abcdefghij', changeRescans: 'true' })).toThrow(
      /changeEventsOrganizationalUnits/,
    );
    expect(() => parseSettings({ changeRescans: 'true', rescanDebounceSeconds: '901' })).toThrow(/rescanDebounceSeconds/);
    expect(() => parseSettings({ changeEventsOrganizationalUnits: 'ou-ab12-abcdefgh', changeRescans: 'true' })).toThrow(
      /needs orgMode=organization/,
    );
    expect(
      parseSettings({
        orgMode: 'organization',
        organizationId: 'o-abcdefghij',
        changeRescans: 'true',
        memberRoleOrganizationalUnits: 'r-ab12',
      }).changeRescans,
    ).toBe(true);
  });
});
