import { ArnFormat, CfnOutput, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from './nag.js';

/** How far IAM lets a statement be narrowed: `any` where the actions have no resource-level form. */
type ReadScope = 'any' | 'ecr-repositories' | 'guardduty-detectors' | 'log-groups' | 'iam-roles' | 'iam-policies';

/**
 * Exactly the calls the collectors make (shared/collectors/aws), read-only, and nothing else — no
 * `ecr:Get*` wildcard, which would include GetDownloadUrlForLayer (pulling image layers) and
 * GetAuthorizationToken. Grouped by how narrowly IAM lets each be scoped: the account's own
 * repositories, detectors, log groups and roles, and the managed policies attached to them.
 * test/infra/member-role.test.ts keeps these lists and the code in step.
 */
export const MEMBER_READ_STATEMENTS: readonly { sid: string; scope: ReadScope; actions: readonly string[] }[] = [
  {
    sid: 'ReadEksEcrSettings',
    scope: 'any',
    actions: [
      'eks:ListClusters',
      'eks:DescribeCluster',
      'eks:ListNodegroups',
      'eks:DescribeNodegroup',
      'eks:ListAddons',
      'eks:DescribeAddon',
      'eks:DescribeAddonVersions',
      'eks:DescribeClusterVersions',
      'eks:ListAccessEntries',
      'eks:ListAssociatedAccessPolicies',
      'ecr:DescribeRepositories',
      'ecr:GetRegistryScanningConfiguration',
      'ecr:BatchGetRepositoryScanningConfiguration',
      'ecr:GetLifecyclePolicy',
      'ecr:GetRepositoryPolicy',
      'ecr:DescribeImageScanFindings',
      // Findings of images under ECR enhanced scanning live in Inspector (read-only, own account only).
      'inspector2:ListFindings',
      'ec2:DescribeLaunchTemplates',
      'ec2:DescribeLaunchTemplateVersions',
      'ec2:DescribeRegions',
      // Whether nodegroup subnets hand out public IPs (eks.private-nodes).
      'ec2:DescribeSubnets',
      'account:ListRegions',
      'guardduty:ListDetectors',
    ],
  },
  // Each repository's newest image (ecr.latest-image-vulnerabilities).
  { sid: 'ReadEcrImages', scope: 'ecr-repositories', actions: ['ecr:DescribeImages'] },
  // EKS audit-log and runtime monitoring of the account and region (eks.guardduty-protection).
  { sid: 'ReadGuardDutyDetector', scope: 'guardduty-detectors', actions: ['guardduty:GetDetector'] },
  // The control plane log group's retention (eks.control-plane-log-retention).
  { sid: 'ReadLogGroupRetention', scope: 'log-groups', actions: ['logs:DescribeLogGroups'] },
  // Node roles and what they grant on ECR (eks.node-role-ecr-readonly).
  {
    sid: 'ReadNodeRoles',
    scope: 'iam-roles',
    actions: ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:GetRolePolicy'],
  },
  { sid: 'ReadManagedPolicies', scope: 'iam-policies', actions: ['iam:GetPolicy', 'iam:GetPolicyVersion'] },
];

export const MEMBER_READ_ACTIONS: readonly string[] = MEMBER_READ_STATEMENTS.flatMap((s) => s.actions);

function scopedResources(stack: Stack, scope: ReadScope): string[] {
  const { partition, account } = stack;
  switch (scope) {
    case 'any':
      return ['*'];
    case 'ecr-repositories':
      return [`arn:${partition}:ecr:*:${account}:repository/*`];
    case 'guardduty-detectors':
      return [`arn:${partition}:guardduty:*:${account}:detector/*`];
    case 'log-groups':
      return [`arn:${partition}:logs:*:${account}:log-group:*`];
    case 'iam-roles':
      return [`arn:${partition}:iam::${account}:role/*`];
    case 'iam-policies':
      // AWS managed policies live in the `aws` namespace, customer managed ones in the account.
      return [`arn:${partition}:iam::aws:policy/*`, `arn:${partition}:iam::${account}:policy/*`];
  }
}

/** The scanner functions that assume member roles, by fixed name (a trust policy can name them before they exist). */
export const SCANNER_ROLE_SUFFIXES = ['discover', 'cluster', 'registry'] as const;

export function scannerRoleNames(prefix: string): string[] {
  return SCANNER_ROLE_SUFFIXES.map((s) => `${prefix}-${s}`);
}

export interface MemberReadRoleProps {
  roleName: string;
  /** The account the scanner runs in (a token or a CloudFormation parameter in the member stack). */
  scannerAccountId: string;
  scannerRolePrefix: string;
  externalId: string;
}

/**
 * The read-only role hardline assumes in every account (the scanner's own included). Trusted by
 * the scanner account only, and there only by the three scanner roles (aws:PrincipalArn), with the
 * ExternalId. EKS access entries name this role (deploy/README.md).
 */
export class MemberReadRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: MemberReadRoleProps) {
    super(scope, id);
    const scannerArns = scannerRoleNames(props.scannerRolePrefix).map((name) =>
      Stack.of(this).formatArn({
        service: 'iam',
        region: '',
        account: props.scannerAccountId,
        resource: 'role',
        resourceName: name,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
    );
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description:
        'hardline: read-only access to EKS and ECR settings, Inspector image findings, GuardDuty, log group retention and node role policies for the org-wide hardening scan',
      assumedBy: new iam.AccountPrincipal(props.scannerAccountId).withConditions({
        StringEquals: { 'sts:ExternalId': props.externalId },
        ArnEquals: { 'aws:PrincipalArn': scannerArns },
      }),
      inlinePolicies: {
        HardlineRead: new iam.PolicyDocument({
          statements: MEMBER_READ_STATEMENTS.map(
            (st) =>
              new iam.PolicyStatement({ sid: st.sid, actions: [...st.actions], resources: scopedResources(Stack.of(this), st.scope) }),
          ),
        }),
      },
    });
    new CfnOutput(this, 'RoleArn', { value: this.role.roleArn, description: 'Principal for the EKS access entries (deploy/README.md)' });
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'Read-only List/Describe/Get calls the scanner makes on every cluster, nodegroup, add-on and repository of the account; ListClusters, DescribeRepositories, DescribeRegions, ListRegions, DescribeSubnets and guardduty:ListDetectors have no resource-level form, and no write action is granted.',
    );
    // cdk-nag prints tokens as <AWS::…> and resolved values as they are.
    const stack = Stack.of(this);
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
    const wildcards: [string, string][] = [
      [
        'ecr:*:<AWS::AccountId>:repository/*',
        "ecr:DescribeImages on the account's repositories: every repository's newest image is judged",
      ],
      [
        'guardduty:*:<AWS::AccountId>:detector/*',
        "guardduty:GetDetector on the account's detector (one per region; its id is not known in advance)",
      ],
      [
        'logs:*:<AWS::AccountId>:log-group:*',
        'logs:DescribeLogGroups is a listing call, authorised on the log-group wildcard of the account',
      ],
      ['iam::<AWS::AccountId>:role/*', 'IAM reads of node roles, whose names are chosen by whoever created each nodegroup'],
      ['iam::aws:policy/*', 'GetPolicy/GetPolicyVersion of the AWS managed policies attached to node roles'],
      [
        'iam::<AWS::AccountId>:policy/*',
        'GetPolicy/GetPolicyVersion of the customer managed policies and permissions boundaries of node roles',
      ],
    ];
    for (const [resource, reason] of wildcards) {
      const arn = `arn:${partition}:${resource.replace('<AWS::AccountId>', account)}`;
      acknowledge(this.role, `AwsSolutions-IAM5[Resource::${arn}]`, `${reason}; read-only.`);
    }
  }
}
