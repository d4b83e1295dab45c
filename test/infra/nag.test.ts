import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChangeEventsMemberStack } from '../../infra/change-events-member-stack.js';
import { MemberReadRoleStack } from '../../infra/member-read-role-stack.js';
import { buildService } from './support.js';

type Violations = ReturnType<AwsSolutionsChecks['validateScope']>['violations'];
const describeViolations = (v: Violations) => v.flatMap((x) => x.violatingResources.map((r) => `${x.ruleName} ${r.constructPath}`));

/** cdk-nag AwsSolutions over every stack shape: nothing left unacknowledged (each acknowledgement sits next to its resource with a reason). */
describe('cdk-nag AwsSolutions', () => {
  const shapes: Record<string, Record<string, unknown>> = {
    'account mode (defaults)': {},
    'organisation mode, VPC placement, API destination SIEM, StackSet': {
      orgMode: 'organization',
      memberRoleOrganizationalUnits: 'ou-ab12-abcdefgh',
      vpc: { vpcId: 'vpc-0abc1234', subnetIds: ['subnet-0a1b2c3d', 'subnet-0e1f2a3b'], availabilityZones: ['eu-west-1a', 'eu-west-1b'] },
      siem: {
        kind: 'api-destination',
        endpoint: 'https://siem.example.com/ingest',
        apiKeySecretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:siem-key-AbCdEf',
      },
      alarmEmail: 'secops@example.com',
      securityHub: 'true',
    },
    'regions with their own scan-cluster networks (existing security group)': {
      regions: 'eu-west-1,us-east-1,ap-southeast-2',
      vpc: { vpcId: 'vpc-0abc1234', subnetIds: ['subnet-0a1b2c3d'], availabilityZones: ['eu-west-1a'] },
      regionNetworks: {
        'us-east-1': {
          vpcId: 'vpc-0abc5678',
          subnetIds: ['subnet-0e1f2a3b'],
          availabilityZones: ['eu-west-1b'],
          securityGroupIds: ['sg-0abc5678'],
          clusterVpcIds: ['vpc-0fed4321'],
        },
        'ap-southeast-2': { vpcId: 'vpc-0abc5678', subnetIds: ['subnet-0e1f2a3b'], availabilityZones: ['eu-west-1b'] },
      },
    },
    'inline map, Firehose SIEM': {
      mapMode: 'inline',
      siem: { kind: 'firehose', deliveryStreamArn: 'arn:aws:firehose:eu-west-1:111122223333:deliverystream/siem' },
    },
    'organisation onboarding StackSet (eks-policy)': {
      orgMode: 'organization',
      organizationId: 'o-abcdefghij',
      regions: 'eu-west-1,us-east-1',
      onboardingOrganizationalUnits: 'ou-ab12-abcdefgh',
      onboardingMode: 'eks-policy',
    },
    'account mode, own account onboarded (readers-group)': { onboardOwnAccount: 'true' },
    'change rescans, organisation (StackSet)': {
      orgMode: 'organization',
      organizationId: 'o-abcdefghij',
      regions: 'eu-west-1,us-east-1',
      memberRoleOrganizationalUnits: 'r-ab12',
      changeRescans: 'true',
    },
    'change rescans, account mode': { changeRescans: 'true' },
  };
  const results: Record<string, Violations> = {};
  beforeAll(() => {
    for (const [name, context] of Object.entries(shapes)) {
      const { app, stack } = buildService(context);
      results[name] = new AwsSolutionsChecks(app).validateScope(stack).violations;
    }
  });

  for (const name of Object.keys(shapes)) {
    it(`service stack, ${name}: zero unacknowledged findings`, () => {
      expect(describeViolations(results[name]!)).toEqual([]);
    });
  }

  it('member stack: zero unacknowledged findings', () => {
    const app = new App();
    const stack = new MemberReadRoleStack(app, 'HardlineMemberRead', {
      memberRoleName: 'hardline-read',
      scannerRolePrefix: 'hardline-scanner',
    });
    expect(describeViolations(new AwsSolutionsChecks(app).validateScope(stack).violations)).toEqual([]);
  });

  it('change-events member stack: zero unacknowledged findings', () => {
    const app = new App();
    const stack = new ChangeEventsMemberStack(app, 'HardlineChangeEvents', { memberRoleName: 'hardline-read' });
    expect(describeViolations(new AwsSolutionsChecks(app).validateScope(stack).violations)).toEqual([]);
  });

  it('the check is live: an unencrypted, unlogged bucket added to a stack is reported', () => {
    const app = new App();
    const stack = new Stack(app, 'Bad');
    new s3.Bucket(stack, 'Loose');
    const rules = describeViolations(new AwsSolutionsChecks(app).validateScope(stack).violations).map((v) => v.split(' ')[0]);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });
});
