import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { asList, buildService, iamStatements } from './support.js';

/**
 * Actions that AWS only authorises on "*" (no resource-level permission exists). Anything else
 * that can write must name its resources.
 */
const RESOURCELESS_WRITES = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'logs:CreateLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:PutResourcePolicy',
  // A VPC-placed function's ENIs (AWSLambdaVPCAccessExecutionRole grants these on * too).
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
]);
const READ = /^[a-z0-9-]+:(Describe|List|Get|BatchGet)[A-Za-z]*$/;

function starStatements(template: Template) {
  return iamStatements(template).filter(({ statement }) => statement['Effect'] === 'Allow' && asList(statement['Resource'] as unknown).includes('*'));
}

describe('IAM least privilege', () => {
  const templates: Record<string, Template> = {};
  beforeAll(() => {
    templates['account'] = buildService().template;
    templates['organization + vpc'] = buildService({ orgMode: 'organization', vpc: { vpcId: 'vpc-0abc1234', subnetIds: ['subnet-0a1b2c3d'], availabilityZones: ['eu-west-1a'] } }).template;
  });

  for (const mode of ['account', 'organization + vpc']) {
    it(`${mode}: no write action on "*" resources (only reads and actions AWS offers on "*" alone)`, () => {
      const offending = starStatements(templates[mode]!).flatMap(({ source, statement }) =>
        asList(statement['Action'] as string | string[])
          .filter((a) => !READ.test(a) && !RESOURCELESS_WRITES.has(a))
          .map((a) => `${source}: ${a}`),
      );
      expect(offending).toEqual([]);
    });

    it(`${mode}: no wildcard actions anywhere (service:*)`, () => {
      const wild = iamStatements(templates[mode]!).flatMap(({ source, statement }) => asList(statement['Action'] as string | string[]).filter((a) => a === '*' || a.endsWith(':*')).map((a) => `${source}: ${a}`));
      expect(wild).toEqual([]);
    });
  }

  it('VPC placement: scan-cluster gets the ENI permissions Lambda needs, the other functions do not', () => {
    const eni = iamStatements(templates['organization + vpc']!).filter(({ statement }) => asList(statement['Action'] as string | string[]).includes('ec2:CreateNetworkInterface'));
    expect(eni.map((e) => e.source)).toEqual([expect.stringMatching(/^ScanPipelineScanClusterRole/)]);
  });

  it('the Lambda roles hold no EKS, ECR or EC2 read of their own: member data is read only through the member role', () => {
    const direct = iamStatements(templates['account']!).filter(({ source, statement }) => !source.startsWith('MemberReadRole') && asList(statement['Action'] as string | string[]).some((a) => /^(eks|ecr|ec2|account):/.test(a)));
    expect(direct.map((d) => d.source)).toEqual([]);
  });

  it('organisation mode: AssumeRole of any account\'s member role, but only inside the organisation', () => {
    const assume = iamStatements(templates['organization + vpc']!).filter(({ statement }) => statement['Action'] === 'sts:AssumeRole');
    expect(assume).toHaveLength(3);
    for (const { statement } of assume) expect(statement['Condition']).toEqual({ StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } });
    const list = iamStatements(templates['organization + vpc']!).filter(({ statement }) => statement['Action'] === 'organizations:ListAccounts');
    expect(list.map((l) => l.source)).toEqual([expect.stringMatching(/^ScanPipelineDiscoverRole/)]);
  });
});
