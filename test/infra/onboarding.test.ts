import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClusterOnboardingMemberStack, clusterOnboardingTemplate } from '../../infra/cluster-onboarding-stack.js';
import { parseSettings } from '../../infra/config.js';
import { buildService, flatten, iamStatements, type Json } from './support.js';

const ORG = {
  orgMode: 'organization',
  organizationId: 'o-abcdefghij',
  regions: 'eu-west-1,us-east-1',
  onboardingOrganizationalUnits: 'ou-ab12-abcdefgh',
};
const roleProps = (t: Template, name: string) =>
  Object.values(t.findResources('AWS::IAM::Role'))
    .map((r) => r['Properties'] as Json)
    .find((p) => p['RoleName'] === name);
const statementsOf = (role: Json | undefined) =>
  ((role?.['Policies'] as Json[] | undefined) ?? []).flatMap((p) => (p['PolicyDocument'] as Json)['Statement'] as Json[]);
const lambdaByService = (t: Template, service: string) =>
  Object.entries(t.findResources('AWS::Lambda::Function')).find(
    ([, r]) => (((r['Properties'] as Json)['Environment'] as Json)['Variables'] as Json)['POWERTOOLS_SERVICE_NAME'] === service,
  );

let org: Template;
let own: Template;
let plain: Template;
beforeAll(() => {
  org = buildService(ORG).template;
  own = buildService({ onboardOwnAccount: 'true', onboardingMode: 'eks-policy' }).template;
  plain = buildService({}).template;
});

describe('automatic onboarding (opt-in)', () => {
  it('is off unless asked for: no onboarding function, bus, queue or role', () => {
    expect(lambdaByService(plain, 'hardline-onboard-clusters')).toBeUndefined();
    expect(Object.keys(plain.findResources('AWS::Events::EventBus')).filter((k) => k.includes('Onboarding'))).toEqual([]);
    expect(roleProps(plain, 'hardline-read-onboarding')).toBeUndefined();
  });

  it('organisation: a second service-managed StackSet to the opted-in OUs, in every scanned region, with the roles in one of them', () => {
    const sets = Object.values(org.findResources('AWS::CloudFormation::StackSet')).map((r) => r['Properties'] as Json);
    const set = sets.find((s) => s['StackSetName'] === 'hardline-cluster-onboarding')!;
    expect(set).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true },
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-abcdefgh'] }, Regions: ['eu-west-1', 'us-east-1'] }],
      Parameters: expect.arrayContaining([
        { ParameterKey: 'RoleRegion', ParameterValue: 'eu-west-1' },
        { ParameterKey: 'OnboardingBusArn', ParameterValue: { 'Fn::GetAtt': [expect.stringMatching(/^ClusterOnboardingBus/), 'Arn'] } },
      ]),
    });
    const member = JSON.parse(set['TemplateBody'] as string) as { Resources: Record<string, Json>; Conditions: Json };
    const byType = (type: string) => Object.values(member.Resources).filter((r) => r['Type'] === type);
    expect(byType('AWS::IAM::Role').every((r) => r['Condition'] === 'IsRoleRegion')).toBe(true);
    const [rule] = byType('AWS::Events::Rule');
    expect(rule!['Condition']).toBeUndefined();
    expect((rule!['Properties'] as Json)['EventPattern']).toEqual({
      source: ['aws.eks'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: { eventSource: ['eks.amazonaws.com'], eventName: ['CreateCluster'] },
    });
    expect(flatten(((rule!['Properties'] as Json)['Targets'] as Json[])[0]!['Arn'])).toBe('${OnboardingBusArn}');
  });

  it("the member onboarding role may only create the read role's access entry (readers-group: that group only), list and describe clusters", () => {
    const t = Template.fromJSON(
      JSON.parse(
        clusterOnboardingTemplate({ memberRoleName: 'hardline-read', scannerRolePrefix: 'hardline-scanner', mode: 'readers-group' }),
      ) as Json,
    );
    const role = roleProps(t, 'hardline-read-onboarding')!;
    const statements = statementsOf(role);
    expect(statements.map((s) => s['Action']).sort()).toEqual(['eks:CreateAccessEntry', 'eks:DescribeCluster', 'eks:ListClusters']);
    const create = statements.find((s) => s['Action'] === 'eks:CreateAccessEntry')!;
    expect(flatten((create['Condition'] as Json)['StringEquals'])).toContain(':role/hardline-read');
    expect(create['Condition']).toMatchObject({ 'ForAllValues:StringEquals': { 'eks:kubernetesGroups': ['hardline-readers'] } });
    expect(flatten(statements.find((s) => s['Action'] === 'eks:DescribeCluster')!['Resource'])).toBe(
      'arn:${AWS::Partition}:eks:*:${AWS::AccountId}:cluster/*',
    );
    // Trusted by the scanner's onboarding function only, with the ExternalId.
    const trust = ((role['AssumeRolePolicyDocument'] as Json)['Statement'] as Json[])[0]!;
    expect(flatten((trust['Condition'] as Json)['ArnEquals'])).toContain(':role/hardline-scanner-onboard');
    expect(trust['Condition']).toMatchObject({ StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } });
  });

  it('eks-policy: the entry carries no group, and only AmazonEKSAdminViewPolicy may be associated, at cluster scope', () => {
    const role = roleProps(own, 'hardline-read-onboarding')!;
    const statements = statementsOf(role);
    expect(statements.find((s) => s['Action'] === 'eks:CreateAccessEntry')!['Condition']).toMatchObject({
      Null: { 'eks:kubernetesGroups': 'true' },
    });
    const associate = statements.find((s) => s['Action'] === 'eks:AssociateAccessPolicy')!;
    expect(flatten((associate['Condition'] as Json)['StringEquals'])).toContain('cluster-access-policy/AmazonEKSAdminViewPolicy');
    expect(associate['Condition']).toMatchObject({ StringEquals: { 'eks:accessScope': 'cluster' } });
    expect(flatten(associate['Resource'])).toBe(
      'arn:${AWS::Partition}:eks:*:${AWS::AccountId}:access-entry/*/role/${AWS::AccountId}/hardline-read/*',
    );
  });

  it('scanner side: CreateCluster events → onboarding bus → delayed queue (DLQ) → function with partial batch failures; a scheduled sweep', () => {
    const [logicalId, fn] = lambdaByService(org, 'hardline-onboard-clusters')!;
    expect(((fn['Properties'] as Json)['Environment'] as Json)['Variables']).toMatchObject({
      HARDLINE_ORG_MODE: 'organization',
      HARDLINE_REGIONS: 'eu-west-1,us-east-1',
      HARDLINE_ONBOARDING_MODE: 'readers-group',
      HARDLINE_MEMBER_ROLE_NAME: 'hardline-read',
    });
    org.hasResourceProperties('AWS::Events::EventBus', { Name: 'hardline-onboarding' });
    org.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: Match.objectLike({ Action: 'events:PutEvents', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } } }),
    });
    org.hasResourceProperties('AWS::SQS::Queue', {
      DelaySeconds: 600,
      VisibilityTimeout: 900,
      RedrivePolicy: { maxReceiveCount: 8, deadLetterTargetArn: Match.anyValue() },
      SqsManagedSseEnabled: true,
    });
    org.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    org.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(6 hours)',
      Target: Match.objectLike({ Input: JSON.stringify({ sweep: true }) }),
    });
    // Its only power in member accounts: assuming their onboarding role (inside the organisation).
    const role = Object.values(org.findResources('AWS::IAM::Role')).find(
      (r) => (r['Properties'] as Json)['RoleName'] === 'hardline-scanner-onboard',
    )!;
    expect(role).toBeDefined();
    const own = iamStatements(org).filter((s) => s.source.startsWith('ClusterOnboardingFunctionRole'));
    const actions = own.flatMap((s) => [s.statement['Action']].flat() as string[]);
    expect(actions.filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:') && !a.startsWith('sqs:'))).toEqual([
      'sts:AssumeRole',
      'organizations:ListAccounts',
    ]);
    const assume = own.find((s) => s.statement['Action'] === 'sts:AssumeRole')!.statement;
    expect(flatten(assume['Resource'])).toBe('arn:${AWS::Partition}:iam::*:role/hardline-read-onboarding');
    expect(assume['Condition']).toEqual({ StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } });
  });

  it('account mode: the member side sits in the service stack and forwards to its own onboarding bus; the DLQ and the function are alarmed', () => {
    expect(roleProps(own, 'hardline-read-onboarding')).toBeDefined();
    const rule = Object.values(own.findResources('AWS::Events::Rule'))
      .map((r) => r['Properties'] as Json)
      .find((p) => JSON.stringify(p['EventPattern']).includes('CreateCluster') && !p['EventBusName'])!;
    expect(flatten((rule['Targets'] as Json[])[0]!['Arn'])).toMatch(/^\$\{ClusterOnboardingBus\w+\.Arn\}$/);
    const alarms = Object.values(own.findResources('AWS::CloudWatch::Alarm')).map((r) => r['Properties'] as Json);
    // Stream, delivery and schedule DLQs, plus onboarding's.
    expect(alarms.filter((a) => a['MetricName'] === 'ApproximateNumberOfMessagesVisible')).toHaveLength(4);
    expect(alarms.filter((a) => a['MetricName'] === 'Errors')).toHaveLength(7);
  });

  it('settings: OUs need organisation mode and the organisation id; onboardOwnAccount is for account mode; role names must leave room', () => {
    expect(() => parseSettings({ onboardingOrganizationalUnits: 'ou-ab12-abcdefgh' })).toThrow(/needs orgMode=organization/);
    expect(() => parseSettings({ orgMode: 'organization', onboardingOrganizationalUnits: 'ou-ab12-abcdefgh' })).toThrow(
      /needs organizationId/,
    );
    expect(() => parseSettings({ orgMode: 'organization', onboardOwnAccount: 'true' })).toThrow(/onboardOwnAccount is for orgMode=account/);
    expect(() => parseSettings({ onboardOwnAccount: 'true', memberRoleName: 'r'.repeat(50) })).toThrow(/at most 46/);
    expect(() => parseSettings({ onboardingMode: 'cluster-admin' })).toThrow(/onboardingMode/);
    expect(parseSettings({}).onboardingMode).toBe('readers-group');
  });

  it('cdk-nag: the onboarding member stack has zero unacknowledged findings in both modes', () => {
    for (const mode of ['readers-group', 'eks-policy'] as const) {
      const app = new App();
      const stack = new ClusterOnboardingMemberStack(app, 'HardlineClusterOnboarding', {
        memberRoleName: 'hardline-read',
        scannerRolePrefix: 'hardline-scanner',
        mode,
      });
      const violations = new AwsSolutionsChecks(app)
        .validateScope(stack)
        .violations.flatMap((x) => x.violatingResources.map((r) => `${x.ruleName} ${r.constructPath}`));
      expect(violations, mode).toEqual([]);
    }
  });
});

describe('coverage alarm', () => {
  const coverageAlarm = (t: Template) =>
    Object.values(t.findResources('AWS::CloudWatch::Alarm'))
      .map((r) => r['Properties'] as Json)
      .find((a) => a['MetricName'] === 'ClusterCoverage');

  it('fires when a run read fewer clusters than the floor (default 95%); no run is not a breach here', () => {
    expect(coverageAlarm(plain)).toMatchObject({
      Namespace: 'hardline',
      Dimensions: [{ Name: 'service', Value: 'hardline-summarize' }],
      Statistic: 'Minimum',
      Threshold: 95,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [expect.anything()],
    });
  });

  it('the floor is configurable', () => {
    expect(coverageAlarm(buildService({ coverageFloorPercent: '80' }).template)).toMatchObject({ Threshold: 80 });
    expect(() => parseSettings({ coverageFloorPercent: '120' })).toThrow(/coverageFloorPercent/);
  });
});
