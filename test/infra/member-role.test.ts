import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { MEMBER_READ_ACTIONS, MEMBER_READ_STATEMENTS, scannerRoleNames } from '../../infra/constructs/member-read-role.js';
import { REPO_ROOT } from '../../infra/constructs/scanner-function.js';
import { MemberReadRoleStack, memberReadRoleTemplate } from '../../infra/member-read-role-stack.js';
import { flatten, type Json } from './support.js';

const SERVICE_PREFIX: Record<string, string> = {
  eks: 'eks',
  ecr: 'ecr',
  ec2: 'ec2',
  account: 'account',
  inspector2: 'inspector2',
  guardduty: 'guardduty',
  'cloudwatch-logs': 'logs',
  iam: 'iam',
};

/** Every AWS call the collectors make in member accounts, read from the source: `new XCommand` and `paginateX`. */
function collectorCalls(): Map<string, Set<string>> {
  const dir = join(REPO_ROOT, 'shared', 'collectors', 'aws');
  const calls = new Map<string, Set<string>>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const src = readFileSync(join(dir, file), 'utf8');
    const services = [...src.matchAll(/from '@aws-sdk\/client-([a-z0-9-]+)'/g)].map((m) => m[1]!).filter((s) => s in SERVICE_PREFIX);
    if (services.length === 0) continue;
    const ops = new Set([...src.matchAll(/new ([A-Z]\w+)Command\(/g), ...src.matchAll(/\bpaginate([A-Z]\w+)\(/g)].map((m) => m[1]!));
    for (const op of ops) calls.set(`${file}:${op}`, new Set(services.map((s) => `${SERVICE_PREFIX[s]}:${op}`)));
  }
  return calls;
}

describe('member read role', () => {
  it('allows every call the collectors make (so no data silently turns into a 403 gap) and nothing more', () => {
    const calls = collectorCalls();
    expect(calls.size).toBeGreaterThan(10);
    const allowed = new Set<string>(MEMBER_READ_ACTIONS);
    const missing = [...calls].filter(([, candidates]) => ![...candidates].some((a) => allowed.has(a))).map(([where]) => where);
    expect(missing).toEqual([]);
    const used = new Set([...calls.values()].flatMap((c) => [...c]));
    expect(MEMBER_READ_ACTIONS.filter((a) => !used.has(a))).toEqual([]);
  });

  it('reads Inspector findings of images under ECR enhanced scanning, and nothing else of Inspector', () => {
    expect(MEMBER_READ_ACTIONS).toContain('inspector2:ListFindings');
    expect(MEMBER_READ_ACTIONS.filter((a) => a.startsWith('inspector2:'))).toEqual(['inspector2:ListFindings']);
    const app = new App();
    const stack = new MemberReadRoleStack(app, 'HardlineMemberRead', {
      memberRoleName: 'hardline-read',
      scannerRolePrefix: 'hardline-scanner',
    });
    const role = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0]!['Properties'] as Json;
    const actions = (((role['Policies'] as Json[])[0]!['PolicyDocument'] as Json)['Statement'] as Json[]).flatMap(
      (st) => st['Action'] as string[],
    );
    expect(actions).toContain('inspector2:ListFindings');
  });

  it('reads GuardDuty, log groups, node roles and images on the narrowest resources IAM allows (the account\'s own), not "*"', () => {
    const app = new App();
    const stack = new MemberReadRoleStack(app, 'HardlineMemberRead', {
      memberRoleName: 'hardline-read',
      scannerRolePrefix: 'hardline-scanner',
    });
    const role = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0]!['Properties'] as Json;
    const statements = ((role['Policies'] as Json[])[0]!['PolicyDocument'] as Json)['Statement'] as Json[];
    const resourcesOf = (action: string) =>
      statements
        .filter((st) => ([] as string[]).concat(st['Action'] as string[]).includes(action))
        .flatMap((st) => ([] as unknown[]).concat(st['Resource']))
        .map(flatten);
    expect(resourcesOf('guardduty:GetDetector')).toEqual(['arn:${AWS::Partition}:guardduty:*:${AWS::AccountId}:detector/*']);
    expect(resourcesOf('logs:DescribeLogGroups')).toEqual(['arn:${AWS::Partition}:logs:*:${AWS::AccountId}:log-group:*']);
    expect(resourcesOf('ecr:DescribeImages')).toEqual(['arn:${AWS::Partition}:ecr:*:${AWS::AccountId}:repository/*']);
    for (const a of ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:GetRolePolicy'])
      expect(resourcesOf(a)).toEqual(['arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*']);
    for (const a of ['iam:GetPolicy', 'iam:GetPolicyVersion'])
      expect(resourcesOf(a)).toEqual(['arn:${AWS::Partition}:iam::aws:policy/*', 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/*']);
    // Only actions without a resource-level form stay on "*".
    expect(resourcesOf('guardduty:ListDetectors')).toEqual(['*']);
    expect(resourcesOf('ec2:DescribeSubnets')).toEqual(['*']);
    expect(MEMBER_READ_STATEMENTS.filter((st) => st.scope !== 'any').flatMap((st) => st.actions)).toEqual([
      'ecr:DescribeImages',
      'guardduty:GetDetector',
      'logs:DescribeLogGroups',
      'iam:GetRole',
      'iam:ListAttachedRolePolicies',
      'iam:ListRolePolicies',
      'iam:GetRolePolicy',
      'iam:GetPolicy',
      'iam:GetPolicyVersion',
    ]);
  });

  it('is read-only: every action is a List, Describe, Get or BatchGet', () => {
    for (const a of MEMBER_READ_ACTIONS) expect(a).toMatch(/^[a-z0-9]+:(List|Describe|Get|BatchGet)\w+$/);
    expect(MEMBER_READ_ACTIONS).not.toContain('ecr:GetDownloadUrlForLayer');
    expect(MEMBER_READ_ACTIONS).not.toContain('ecr:GetAuthorizationToken');
  });

  it('member stack: parameters for the scanner account and ExternalId; trust = that account, the three scanner roles, the ExternalId', () => {
    const app = new App();
    const stack = new MemberReadRoleStack(app, 'HardlineMemberRead', {
      memberRoleName: 'hardline-read',
      scannerRolePrefix: 'acme-scanner',
      scannerAccountId: '111122223333',
      externalId: 'acme-2026',
    });
    const t = Template.fromStack(stack);
    t.hasParameter('ScannerAccountId', { Type: 'String', AllowedPattern: '^\\d{12}$', Default: '111122223333' });
    t.hasParameter('ExternalId', { Type: 'String', Default: 'acme-2026' });
    const role = Object.values(t.findResources('AWS::IAM::Role'))[0]!['Properties'] as Json;
    const trust = ((role['AssumeRolePolicyDocument'] as Json)['Statement'] as Json[])[0]!;
    expect(JSON.stringify(trust['Principal'])).toContain('"Ref":"ScannerAccountId"');
    expect(trust['Condition']).toMatchObject({ StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } });
    const arns = JSON.stringify(((trust['Condition'] as Json)['ArnEquals'] as Json)['aws:PrincipalArn']);
    for (const name of scannerRoleNames('acme-scanner')) expect(arns).toContain(`:role/${name}`);
    expect(role['MaxSessionDuration']).toBeUndefined();
  });

  it('the StackSet template has no defaults baked in: each deployment passes the scanner account and ExternalId', () => {
    const t = JSON.parse(memberReadRoleTemplate({ memberRoleName: 'hardline-read', scannerRolePrefix: 'hardline-scanner' })) as {
      Parameters: Record<string, Json>;
    };
    expect(t.Parameters['ScannerAccountId']!['Default']).toBeUndefined();
    expect(t.Parameters['ExternalId']!['Default']).toBeUndefined();
  });
});
