import { Aws, CfnCondition, CfnParameter, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { OnboardingMode } from '../shared/cluster-access/onboarding-commands.js';
import { MemberOnboardingAccess } from './constructs/member-onboarding.js';
import { selfContainedTemplate } from './stack-template.js';

export interface ClusterOnboardingMemberStackProps extends StackProps {
  memberRoleName: string;
  scannerRolePrefix: string;
  mode: OnboardingMode;
}

/**
 * What an opted-in account gets from the onboarding StackSet, in every scanned region: the rule
 * forwarding CreateCluster to the scanner; and in one region (RoleRegion: IAM is global) the
 * onboarding role and the rule's role. The mode is fixed at synth: a role that may associate the
 * view policy exists only in eks-policy mode.
 */
export class ClusterOnboardingMemberStack extends Stack {
  readonly onboarding: MemberOnboardingAccess;

  constructor(scope: Construct, id: string, props: ClusterOnboardingMemberStackProps) {
    super(scope, id, { description: `hardline member account: automatic onboarding of EKS clusters (${props.mode})`, ...props });
    const param = (pid: string, description: string, extra: Partial<ConstructorParameters<typeof CfnParameter>[2]> = {}) =>
      new CfnParameter(this, pid, { type: 'String', description, ...extra });
    const scannerAccountId = param('ScannerAccountId', 'Account the hardline scanner runs in', { allowedPattern: '^\\d{12}$' });
    const externalId = param('ExternalId', 'ExternalId the scanner presents (context externalId of the scanner stack)', {
      minLength: 2,
      maxLength: 1224,
      allowedPattern: '^[\\w+=,.@:/-]+$',
    });
    const roleRegion = param('RoleRegion', 'The one region of the set that creates the (global) IAM roles', {
      allowedPattern: '^[a-z]{2}(-[a-z]+)+-\\d+$',
    });
    const busArn = param('OnboardingBusArn', "The scanner's onboarding event bus", {
      allowedPattern: '^arn:aws[\\w-]*:events:[\\w-]+:\\d{12}:event-bus/.+$',
    });
    const rolesCondition = new CfnCondition(this, 'IsRoleRegion', { expression: Fn.conditionEquals(Aws.REGION, roleRegion.valueAsString) });
    this.onboarding = new MemberOnboardingAccess(this, 'Onboarding', {
      memberRoleName: props.memberRoleName,
      scannerAccountId: scannerAccountId.valueAsString,
      scannerRolePrefix: props.scannerRolePrefix,
      externalId: externalId.valueAsString,
      mode: props.mode,
      onboardingBusArn: busArn.valueAsString,
      rolesCondition,
    });
  }
}

/** The onboarding member stack as a self-contained template (no bootstrap parameter) for the StackSet. */
export function clusterOnboardingTemplate(
  props: Pick<ClusterOnboardingMemberStackProps, 'memberRoleName' | 'scannerRolePrefix' | 'mode'>,
): string {
  return selfContainedTemplate(
    (app, synthesizer) => new ClusterOnboardingMemberStack(app, 'HardlineClusterOnboarding', { ...props, synthesizer }),
  );
}
