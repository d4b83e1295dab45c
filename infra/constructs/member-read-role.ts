import { ArnFormat, CfnOutput, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from './nag.js';

/**
 * Exactly the calls the collectors make (shared/collectors/aws), read-only, and nothing else — no
 * `ecr:Get*` wildcard, which would include GetDownloadUrlForLayer (pulling image layers) and
 * GetAuthorizationToken. test/infra/member-role.test.ts keeps this list and the code in step.
 */
export const MEMBER_READ_ACTIONS = [
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
  'account:ListRegions',
] as const;

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
      description: 'hardline: read-only access to EKS and ECR settings (and Inspector image findings) for the org-wide hardening scan',
      assumedBy: new iam.AccountPrincipal(props.scannerAccountId).withConditions({
        StringEquals: { 'sts:ExternalId': props.externalId },
        ArnEquals: { 'aws:PrincipalArn': scannerArns },
      }),
      inlinePolicies: {
        HardlineRead: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({ sid: 'ReadEksEcrSettings', actions: [...MEMBER_READ_ACTIONS], resources: ['*'] })],
        }),
      },
    });
    new CfnOutput(this, 'RoleArn', { value: this.role.roleArn, description: 'Principal for the EKS access entries (deploy/README.md)' });
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'Read-only List/Describe/Get calls the scanner makes on every cluster, nodegroup, add-on and repository of the account; ListClusters, DescribeRepositories, DescribeRegions and ListRegions have no resource-level form, and no write action is granted.',
    );
  }
}
