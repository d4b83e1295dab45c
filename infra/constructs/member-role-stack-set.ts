import { Aws, CfnStackSet } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface MemberRoleStackSetProps {
  /** The member stack's template (synthesized from MemberReadRoleStack). */
  templateBody: string;
  organizationalUnitIds: readonly string[];
  externalId: string;
  /** SELF from the management account, DELEGATED_ADMIN from a delegated CloudFormation administrator. */
  callAs: 'SELF' | 'DELEGATED_ADMIN';
  stackSetName?: string;
  description?: string;
  /** Regions of each account (default: this stack's region only — IAM is global). */
  regions?: readonly string[];
  /** Template parameters besides ScannerAccountId and ExternalId. */
  parameters?: Record<string, string>;
}

/**
 * Deploys a member template to every account of the given OUs — and to accounts that join them
 * later (service-managed StackSet with auto-deployment): the read role (IAM is global, so one
 * region suffices), or the onboarding set (its rule is regional). The management account is not
 * covered by service-managed StackSets: deploy HardlineMemberRead there by hand if it runs
 * clusters (docs/deploy.md).
 */
export class MemberRoleStackSet extends Construct {
  readonly stackSet: CfnStackSet;

  constructor(scope: Construct, id: string, props: MemberRoleStackSetProps) {
    super(scope, id);
    this.stackSet = new CfnStackSet(this, 'StackSet', {
      stackSetName: props.stackSetName ?? 'hardline-member-read-role',
      description: props.description ?? 'hardline: read-only role for the org-wide EKS/ECR hardening scan',
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      callAs: props.callAs,
      managedExecution: { Active: true },
      operationPreferences: { maxConcurrentPercentage: 25, failureTolerancePercentage: 10, regionConcurrencyType: 'PARALLEL' },
      templateBody: props.templateBody,
      parameters: [
        { parameterKey: 'ScannerAccountId', parameterValue: Aws.ACCOUNT_ID },
        { parameterKey: 'ExternalId', parameterValue: props.externalId },
        ...Object.entries(props.parameters ?? {}).map(([parameterKey, parameterValue]) => ({ parameterKey, parameterValue })),
      ],
      stackInstancesGroup: [
        { deploymentTargets: { organizationalUnitIds: [...props.organizationalUnitIds] }, regions: [...(props.regions ?? [Aws.REGION])] },
      ],
    });
  }
}
