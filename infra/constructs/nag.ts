import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag acknowledgements, always per finding and with the reason next to the resource that
 * needs it. Finding ids name resources the way cdk-nag prints them: `<LogicalId.Arn>` for a
 * GetAtt, `<LogicalId>` for a Ref.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

function logicalId(c: IConstruct): string {
  const el = (c.node.defaultChild ?? c) as CfnElement;
  return Stack.of(c).getLogicalId(el);
}

/** `<LogicalId.Arn>` of a construct's CloudFormation resource. */
export function arnRef(c: IConstruct): string {
  return `<${logicalId(c)}.Arn>`;
}

/** `<LogicalId>` (a Ref) of a construct's CloudFormation resource. */
export function ref(c: IConstruct): string {
  return `<${logicalId(c)}>`;
}
