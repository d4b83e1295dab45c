import { Aws, CfnCondition, CfnParameter, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { MemberChangeEvents } from './constructs/member-change-events.js';
import { selfContainedTemplate } from './stack-template.js';

export interface ChangeEventsMemberStackProps extends StackProps {
  memberRoleName: string;
}

/**
 * What a member account gets from the change-events StackSet, in every scanned region: the rule
 * forwarding its EKS/ECR change events to the scanner; in one region (RoleRegion: IAM is global)
 * the rule's role. Deployed by hand (`cdk deploy HardlineChangeEvents`) where a StackSet does not
 * reach: the management account, or other regions of the scanner's own account in account mode.
 */
export class ChangeEventsMemberStack extends Stack {
  readonly changeEvents: MemberChangeEvents;

  constructor(scope: Construct, id: string, props: ChangeEventsMemberStackProps) {
    super(scope, id, { description: 'hardline member account: forwards EKS/ECR change events for rescans', ...props });
    const busArn = new CfnParameter(this, 'ChangesBusArn', {
      type: 'String',
      description: "The scanner's hardline-changes event bus (the Hardline stack's ChangesBusArn output)",
      allowedPattern: '^arn:aws[\\w-]*:events:[\\w-]+:\\d{12}:event-bus/.+$',
    });
    const roleRegion = new CfnParameter(this, 'RoleRegion', {
      type: 'String',
      description: 'The one region that creates the (global) forwarding role; default: the region of this stack',
      default: '',
      allowedPattern: '^([a-z]{2}(-[a-z]+)+-\\d+)?$',
    });
    const rolesCondition = new CfnCondition(this, 'IsRoleRegion', {
      expression: Fn.conditionOr(
        Fn.conditionEquals(roleRegion.valueAsString, ''),
        Fn.conditionEquals(Aws.REGION, roleRegion.valueAsString),
      ),
    });
    this.changeEvents = new MemberChangeEvents(this, 'ChangeEvents', {
      memberRoleName: props.memberRoleName,
      changesBusArn: busArn.valueAsString,
      rolesCondition,
    });
  }
}

/** The member stack as a self-contained template (no bootstrap parameter) for the StackSet. */
export function changeEventsTemplate(props: Pick<ChangeEventsMemberStackProps, 'memberRoleName'>): string {
  return selfContainedTemplate((app, synthesizer) => new ChangeEventsMemberStack(app, 'HardlineChangeEvents', { ...props, synthesizer }));
}
