import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MEMBER_READ_ACTIONS } from '../../infra/constructs/member-read-role.js';
import { buildService, flatten, stateMachineDefinition, type Json } from './support.js';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:siem-key-AbCdEf';
let org: Template;
let inline: Template;
beforeAll(() => {
  org = buildService({
    orgMode: 'organization',
    regions: 'eu-west-1,us-east-1',
    externalId: 'acme-hardline-2026',
    memberRoleOrganizationalUnits: 'ou-ab12-abcdefgh,ou-ab12-ijklmnop',
    schedule: 'cron(30 1 ? * MON-FRI *)',
    scheduleTimezone: 'Europe/Berlin',
    maxConcurrency: '50',
    vpc: JSON.stringify({
      vpcId: 'vpc-0abc1234',
      subnetIds: ['subnet-0a1b2c3d', 'subnet-0e1f2a3b'],
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    }),
    siem: JSON.stringify({
      kind: 'api-destination',
      endpoint: 'https://siem.example.com/ingest',
      apiKeyHeader: 'X-Api-Key',
      apiKeySecretArn: SECRET,
    }),
    deletionProtection: 'false',
  }).template;
  inline = buildService({
    mapMode: 'inline',
    siem: { kind: 'firehose', deliveryStreamArn: 'arn:aws:firehose:eu-west-1:111122223333:deliverystream/siem' },
  }).template;
});

const envOf = (t: Template, service: string) =>
  (
    Object.values(t.findResources('AWS::Lambda::Function'))
      .map((r) => r['Properties'] as Json)
      .find((p) => ((p['Environment'] as Json)['Variables'] as Json)['POWERTOOLS_SERVICE_NAME'] === service)!['Environment'] as Json
  )['Variables'] as Json;

describe('organisation mode', () => {
  it('the member role goes to the OUs through a service-managed, auto-deploying StackSet whose template is the member stack', () => {
    const sets = Object.values(org.findResources('AWS::CloudFormation::StackSet')).map((r) => r['Properties'] as Json);
    expect(sets).toHaveLength(1);
    const set = sets[0]!;
    expect(set).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      CallAs: 'DELEGATED_ADMIN',
      StackInstancesGroup: [
        { DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-abcdefgh', 'ou-ab12-ijklmnop'] }, Regions: [expect.anything()] },
      ],
      Parameters: expect.arrayContaining([
        { ParameterKey: 'ExternalId', ParameterValue: 'acme-hardline-2026' },
        { ParameterKey: 'ScannerAccountId', ParameterValue: expect.anything() },
      ]),
    });
    const member = JSON.parse(set['TemplateBody'] as string) as { Parameters: Json; Resources: Record<string, Json> };
    expect(Object.keys(member.Parameters).sort()).toEqual(['ExternalId', 'ScannerAccountId']);
    const roles = Object.values(member.Resources).filter((r) => r['Type'] === 'AWS::IAM::Role');
    expect(roles).toHaveLength(1);
    const role = roles[0]!['Properties'] as Json;
    expect(role['RoleName']).toBe('hardline-read');
    expect((((role['Policies'] as Json[])[0]!['PolicyDocument'] as Json)['Statement'] as Json[]).flatMap((st) => st['Action'])).toEqual([
      ...MEMBER_READ_ACTIONS,
    ]);
    // No CDK bootstrap parameter or rule: the template deploys into accounts that were never bootstrapped.
    expect(set['TemplateBody']).not.toMatch(/BootstrapVersion/);
  });

  it('in organisation mode the scanner account gets no member role from this stack unless asked (the StackSet covers member accounts)', () => {
    expect(Object.values(org.findResources('AWS::IAM::Role')).some((r) => (r['Properties'] as Json)['RoleName'] === 'hardline-read')).toBe(
      false,
    );
  });

  it('schedule, regions, ExternalId and concurrency come from context', () => {
    org.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 1 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
    });
    expect(envOf(org, 'hardline-discover')).toMatchObject({
      HARDLINE_ORG_MODE: 'organization',
      HARDLINE_REGIONS: 'eu-west-1,us-east-1',
      HARDLINE_EXTERNAL_ID: 'acme-hardline-2026',
    });
    expect((stateMachineDefinition(org)['States'] as Record<string, Json>)['ScanTargets']).toMatchObject({ MaxConcurrency: 50 });
  });

  it("scan-cluster runs in the clusters' VPC, with HTTPS egress only, and tries private endpoints", () => {
    const cluster = Object.values(org.findResources('AWS::Lambda::Function'))
      .map((r) => r['Properties'] as Json)
      .find((p) => ((p['Environment'] as Json)['Variables'] as Json)['POWERTOOLS_SERVICE_NAME'] === 'hardline-scan-cluster')!;
    expect(cluster['VpcConfig']).toMatchObject({
      SubnetIds: ['subnet-0a1b2c3d', 'subnet-0e1f2a3b'],
      SecurityGroupIds: [expect.anything()],
    });
    expect(envOf(org, 'hardline-scan-cluster')['HARDLINE_REACH_PRIVATE_ENDPOINTS']).toBe('true');
    org.hasResourceProperties('AWS::EC2::SecurityGroup', {
      VpcId: 'vpc-0abc1234',
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() }],
    });
    const others = Object.values(org.findResources('AWS::Lambda::Function')).filter((r) => (r['Properties'] as Json)['VpcConfig']);
    expect(others).toHaveLength(1);
  });

  it('the SIEM API destination reads its key from Secrets Manager at deploy time: no key in the template', () => {
    const connection = Object.values(org.findResources('AWS::Events::Connection')).map((r) => r['Properties'] as Json)[0]!;
    const key = (connection['AuthParameters'] as Json)['ApiKeyAuthParameters'] as Json;
    expect(key['ApiKeyName']).toBe('X-Api-Key');
    expect(flatten(key['ApiKeyValue'])).toBe(`{{resolve:secretsmanager:${SECRET}:SecretString:::}}`);
    org.hasResourceProperties('AWS::Events::ApiDestination', {
      InvocationEndpoint: 'https://siem.example.com/ingest',
      HttpMethod: 'POST',
      InvocationRateLimitPerSecond: 10,
    });
  });

  it('deletion protection can be turned off for throw-away stacks (and the table is then destroyed with the stack)', () => {
    org.hasResourceProperties('AWS::DynamoDB::GlobalTable', { Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })] });
    org.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Delete' });
  });
});

describe('inline map', () => {
  it('an INLINE Map over the targets in the state, with the same per-item Catch', () => {
    const map = (stateMachineDefinition(inline)['States'] as Record<string, Json>)['ScanTargets']!;
    expect(map).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' } },
      ResultPath: '$.map',
    });
    expect(map['ItemReader']).toBeUndefined();
    expect(map['ResultWriter']).toBeUndefined();
    const inner = (map['ItemProcessor'] as Json)['States'] as Record<string, Json>;
    expect(inner['ScanCluster']).toMatchObject({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'RecordStepFailure' }] });
    expect(envOf(inline, 'hardline-discover')['HARDLINE_MAP_MODE']).toBe('inline');
  });

  it('a Firehose SIEM target', () => {
    inline.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ Arn: 'arn:aws:firehose:eu-west-1:111122223333:deliverystream/siem' })],
    });
  });
});
