import { Aws, type CfnResource, type CfnCondition } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  adminViewPolicyArn,
  onboardingRoleName,
  READERS_GROUP,
  type OnboardingMode,
} from '../../shared/cluster-access/onboarding-commands.js';
import { acknowledge } from './nag.js';

/** The scanner-side function that assumes the onboarding roles (a fixed name: member roles trust it before it exists). */
export const ONBOARDING_FUNCTION_ROLE_SUFFIX = 'onboard';
export const ONBOARDING_BUS_NAME = 'hardline-onboarding';

/** What a new cluster looks like to EventBridge: CloudTrail's record of eks:CreateCluster in the account. */
export const CREATE_CLUSTER_PATTERN = {
  source: ['aws.eks'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: { eventSource: ['eks.amazonaws.com'], eventName: ['CreateCluster'] },
};

export interface MemberOnboardingAccessProps {
  memberRoleName: string;
  scannerAccountId: string;
  scannerRolePrefix: string;
  externalId: string;
  mode: OnboardingMode;
  /** The scanner's onboarding bus, where this account's CreateCluster events go. */
  onboardingBusArn: string;
  /** StackSet: the roles (IAM is global) only in one of the regions the set deploys to. */
  rolesCondition?: CfnCondition;
}

/**
 * The member account's half of automatic onboarding: a role the scanner's onboarding function
 * assumes, allowed exactly to put hardline's read role into a cluster (an access entry with that
 * principal — and the readers group, or the view policy at cluster scope — nothing else), and a
 * rule that forwards this region's CreateCluster events to the scanner.
 */
export class MemberOnboardingAccess extends Construct {
  readonly role: iam.Role;
  readonly forwardingRole: iam.Role;
  readonly rule: events.CfnRule;

  constructor(scope: Construct, id: string, props: MemberOnboardingAccessProps) {
    super(scope, id);
    const p = Aws.PARTITION;
    const account = Aws.ACCOUNT_ID;
    const readRole = `arn:${p}:iam::${account}:role/${props.memberRoleName}`;
    const clusters = `arn:${p}:eks:*:${account}:cluster/*`;
    const entries = `arn:${p}:eks:*:${account}:access-entry/*/role/${account}/${props.memberRoleName}/*`;
    const statements = [
      new iam.PolicyStatement({ sid: 'ListClusters', actions: ['eks:ListClusters'], resources: ['*'] }),
      new iam.PolicyStatement({ sid: 'DescribeClusters', actions: ['eks:DescribeCluster'], resources: [clusters] }),
      new iam.PolicyStatement({
        sid: 'AccessEntryForTheReadRoleOnly',
        actions: ['eks:CreateAccessEntry'],
        resources: [clusters, entries],
        conditions: {
          StringEquals: { 'eks:principalArn': readRole },
          // readers-group: the one group the read-only ClusterRole is bound to; eks-policy: no group at all.
          ...(props.mode === 'readers-group'
            ? { 'ForAllValues:StringEquals': { 'eks:kubernetesGroups': [READERS_GROUP] } }
            : { Null: { 'eks:kubernetesGroups': 'true' } }),
        },
      }),
    ];
    if (props.mode === 'eks-policy') {
      statements.push(
        new iam.PolicyStatement({
          sid: 'ViewPolicyAtClusterScopeOnly',
          actions: ['eks:AssociateAccessPolicy'],
          resources: [entries],
          conditions: { StringEquals: { 'eks:policyArn': adminViewPolicyArn(p), 'eks:accessScope': 'cluster' } },
        }),
      );
    }
    const scannerFunctionRole = `arn:${p}:iam::${props.scannerAccountId}:role/${props.scannerRolePrefix}-${ONBOARDING_FUNCTION_ROLE_SUFFIX}`;
    this.role = new iam.Role(this, 'Role', {
      roleName: onboardingRoleName(props.memberRoleName),
      description: `hardline: creates the access entry of ${props.memberRoleName} in this account's EKS clusters (${props.mode})`,
      assumedBy: new iam.AccountPrincipal(props.scannerAccountId).withConditions({
        StringEquals: { 'sts:ExternalId': props.externalId },
        ArnEquals: { 'aws:PrincipalArn': scannerFunctionRole },
      }),
      inlinePolicies: { HardlineOnboarding: new iam.PolicyDocument({ statements }) },
    });
    this.forwardingRole = new iam.Role(this, 'ForwardingRole', {
      roleName: `${onboardingRoleName(props.memberRoleName)}-events`,
      description: "hardline: forwards this account's CreateCluster events to the scanner's onboarding bus",
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      inlinePolicies: {
        ForwardCreateCluster: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [props.onboardingBusArn] })],
        }),
      },
    });
    if (props.rolesCondition) {
      for (const r of [this.role, this.forwardingRole]) (r.node.defaultChild as CfnResource).cfnOptions.condition = props.rolesCondition;
    }
    // By name, not by reference: in a StackSet the role lives in one region, the rule in every one.
    this.rule = new events.CfnRule(this, 'CreateClusterRule', {
      description: 'hardline: a new EKS cluster is onboarded for the hardening scan',
      eventPattern: CREATE_CLUSTER_PATTERN,
      state: 'ENABLED',
      targets: [
        {
          id: 'hardline-onboarding',
          arn: props.onboardingBusArn,
          roleArn: `arn:${p}:iam::${account}:role/${onboardingRoleName(props.memberRoleName)}-events`,
        },
      ],
    });
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'eks:ListClusters has no resource-level form; it only lists names (the sweep finds clusters created before onboarding was deployed).',
    );
    acknowledge(
      this.role,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:eks:*:<AWS::AccountId>:cluster/*]`,
      'Every cluster of the account, present and future, is to be onboarded; CreateAccessEntry is limited by condition to the hardline read role as principal (and the readers group or no group).',
    );
    acknowledge(
      this.role,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:eks:*:<AWS::AccountId>:access-entry/*/role/<AWS::AccountId>/${props.memberRoleName}/*]`,
      'The access entries of the hardline read role in any cluster (entry ids end in a generated UUID); the policy is limited by condition to AmazonEKSAdminViewPolicy at cluster scope.',
    );
  }
}
