import { Aws, type CfnCondition, type CfnResource } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CHANGE_EVENT_PATTERN } from '../../shared/rescan/change-events.js';

export interface MemberChangeEventsProps {
  memberRoleName: string;
  /** The scanner's changes bus (any region: EventBridge delivers across accounts and regions). */
  changesBusArn: string;
  /** StackSet: the role (IAM is global) only in one of the regions the set deploys to. */
  rolesCondition?: CfnCondition;
}

/** The forwarding role's name: fixed, so the rule of every region finds the one role. */
export const changeEventsRoleName = (memberRoleName: string) => `${memberRoleName}-change-events`;

/**
 * The member account's half of change rescans: a rule on this region's default bus that matches
 * CloudTrail's record of the EKS and ECR calls hardline acts on — successful ones only — and
 * forwards them to the scanner's changes bus, through a role that may put events on that bus and
 * nothing else. CloudTrail must record management events in the account (any trail, an
 * organisation trail included); the first copy of management events costs nothing.
 */
export class MemberChangeEvents extends Construct {
  readonly forwardingRole: iam.Role;
  readonly rule: events.CfnRule;

  constructor(scope: Construct, id: string, props: MemberChangeEventsProps) {
    super(scope, id);
    const roleName = changeEventsRoleName(props.memberRoleName);
    this.forwardingRole = new iam.Role(this, 'ForwardingRole', {
      roleName,
      description: "hardline: forwards this account's EKS/ECR change events to the scanner's changes bus",
      // Only EventBridge acting for this account's own rules (no confused deputy from elsewhere).
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } }),
      inlinePolicies: {
        ForwardChangeEvents: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [props.changesBusArn] })],
        }),
      },
    });
    if (props.rolesCondition) (this.forwardingRole.node.defaultChild as CfnResource).cfnOptions.condition = props.rolesCondition;
    // By name, not by reference: in a StackSet the role lives in one region, the rule in every one.
    this.rule = new events.CfnRule(this, 'ChangeEventsRule', {
      description: 'hardline: EKS/ECR configuration changes are rescanned within minutes',
      eventPattern: CHANGE_EVENT_PATTERN,
      state: 'ENABLED',
      targets: [
        { id: 'hardline-changes', arn: props.changesBusArn, roleArn: `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${roleName}` },
      ],
    });
  }
}
