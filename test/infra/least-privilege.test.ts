import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROTECTED_PARTITION, TABLE_ACTIONS, TABLE_INDEXES, type PipelineFunction } from '../../shared/pipeline/table-access.js';
import { EXEMPTIONS_PK } from '../../shared/store/keys.js';
import { asList, buildService, flatten, iamStatements } from './support.js';

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
  return iamStatements(template).filter(
    ({ statement }) => statement['Effect'] === 'Allow' && asList(statement['Resource'] as unknown).includes('*'),
  );
}

describe('IAM least privilege', () => {
  const templates: Record<string, Template> = {};
  beforeAll(() => {
    templates['account'] = buildService().template;
    templates['organization + vpc'] = buildService({
      orgMode: 'organization',
      vpc: { vpcId: 'vpc-0abc1234', subnetIds: ['subnet-0a1b2c3d'], availabilityZones: ['eu-west-1a'] },
    }).template;
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
      const wild = iamStatements(templates[mode]!).flatMap(({ source, statement }) =>
        asList(statement['Action'] as string | string[])
          .filter((a) => a === '*' || a.endsWith(':*'))
          .map((a) => `${source}: ${a}`),
      );
      expect(wild).toEqual([]);
    });
  }

  it('VPC placement: scan-cluster gets the ENI permissions Lambda needs, the other functions do not', () => {
    const eni = iamStatements(templates['organization + vpc']!).filter(({ statement }) =>
      asList(statement['Action'] as string | string[]).includes('ec2:CreateNetworkInterface'),
    );
    expect(eni.map((e) => e.source)).toEqual([expect.stringMatching(/^ScanPipelineScanClusterRole/)]);
  });

  it('the Lambda roles hold no EKS, ECR or EC2 read of their own: member data is read only through the member role', () => {
    const direct = iamStatements(templates['account']!).filter(
      ({ source, statement }) =>
        !source.startsWith('MemberReadRole') &&
        asList(statement['Action'] as string | string[]).some((a) => /^(eks|ecr|ec2|account):/.test(a)),
    );
    expect(direct.map((d) => d.source)).toEqual([]);
  });

  it("organisation mode: AssumeRole of any account's member role, but only inside the organisation", () => {
    const assume = iamStatements(templates['organization + vpc']!).filter(({ statement }) => statement['Action'] === 'sts:AssumeRole');
    expect(assume).toHaveLength(3);
    for (const { statement } of assume)
      expect(statement['Condition']).toEqual({ StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } });
    const list = iamStatements(templates['organization + vpc']!).filter(
      ({ statement }) => statement['Action'] === 'organizations:ListAccounts',
    );
    expect(list.map((l) => l.source)).toEqual([expect.stringMatching(/^ScanPipelineDiscoverRole/)]);
  });

  describe('the findings table: each pipeline function gets exactly the item actions it makes, and cannot write exemptions', () => {
    const roles: Record<PipelineFunction, RegExp> = {
      discover: /^ScanPipelineDiscoverRole/,
      'scan-cluster': /^ScanPipelineScanClusterRole/,
      'scan-registry': /^ScanPipelineScanRegistryRole/,
      summarize: /^ScanPipelineSummarizeRole/,
    };
    const tableStatements = (fn: PipelineFunction, effect: 'Allow' | 'Deny') =>
      iamStatements(templates['account']!).filter(
        ({ source, statement }) =>
          roles[fn].test(source) &&
          statement['Effect'] === effect &&
          asList(statement['Action'] as string | string[]).some((a) => a.startsWith('dynamodb:')),
      );

    for (const fn of Object.keys(roles) as PipelineFunction[]) {
      it(`${fn}: allowed ${TABLE_ACTIONS[fn].map((a) => a.replace('dynamodb:', '')).join(', ')} — no Scan, no DeleteItem, no BatchWriteItem, no stream or table-level action`, () => {
        const allowed = tableStatements(fn, 'Allow');
        const actions = allowed.flatMap(({ statement }) => asList(statement['Action'] as string | string[]));
        expect([...actions].sort()).toEqual([...TABLE_ACTIONS[fn]].sort());
        expect(actions).not.toContain('dynamodb:Scan');
        expect(actions).not.toContain('dynamodb:DeleteItem');
        // BatchWriteItem can carry DeleteRequests and IAM cannot tell them apart: history goes out as PutItem.
        expect(actions).not.toContain('dynamodb:BatchWriteItem');
        // The table and only the indexes it queries (no index/* wildcard).
        const resources = allowed.flatMap(({ statement }) => asList(statement['Resource'] as unknown)).map(flatten);
        expect(resources.map((r) => r.replace(/^\$\{FindingsStoreTable\w+\.Arn\}/, 'TABLE')).sort()).toEqual(
          ['TABLE', ...TABLE_INDEXES[fn].map((i) => `TABLE/index/${i}`)].sort(),
        );
      });

      it(`${fn}: an explicit Deny of item writes on the exemptions partition (dynamodb:LeadingKeys)`, () => {
        const deny = tableStatements(fn, 'Deny');
        expect(deny).toHaveLength(1);
        const st = deny[0]!.statement;
        expect(asList(st['Action'] as string | string[]).sort()).toEqual([
          'dynamodb:BatchWriteItem',
          'dynamodb:DeleteItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ]);
        expect(st['Condition']).toEqual({ 'ForAnyValue:StringEquals': { 'dynamodb:LeadingKeys': [EXEMPTIONS_PK] } });
        expect(flatten(st['Resource'])).toMatch(/^\$\{FindingsStoreTable\w+\.Arn\}$/);
      });
    }

    it('only the API writes exemptions: it is the one role with DeleteItem and without the deny', () => {
      expect(PROTECTED_PARTITION).toBe(EXEMPTIONS_PK);
      const st = iamStatements(templates['account']!);
      const deleters = st
        .filter(
          ({ statement }) =>
            statement['Effect'] === 'Allow' && asList(statement['Action'] as string | string[]).includes('dynamodb:DeleteItem'),
        )
        .map((s) => s.source);
      expect(deleters).toEqual([expect.stringMatching(/^FindingsApiHandlerRole/)]);
      expect(st.some(({ source, statement }) => source.startsWith('FindingsApiHandlerRole') && statement['Effect'] === 'Deny')).toBe(false);
    });
  });
});
