import { App, BootstraplessSynthesizer, CfnParameter, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { MemberReadRole } from './constructs/member-read-role.js';

export interface MemberReadRoleStackProps extends StackProps {
  memberRoleName: string;
  scannerRolePrefix: string;
  /** When known at synth; otherwise the ScannerAccountId parameter has no default and must be given at deploy. */
  scannerAccountId?: string;
  externalId?: string;
}

/**
 * What a member account deploys: the read-only role only. Parameters (not context) carry the
 * scanner account and ExternalId so the same template serves `cdk deploy`, a StackSet and a plain
 * CloudFormation console upload.
 */
export class MemberReadRoleStack extends Stack {
  readonly memberRole: MemberReadRole;

  constructor(scope: Construct, id: string, props: MemberReadRoleStackProps) {
    super(scope, id, { description: 'hardline member account: read-only role for the hardening scanner', ...props });
    const scannerAccountId = new CfnParameter(this, 'ScannerAccountId', {
      type: 'String',
      allowedPattern: '^\\d{12}$',
      description: 'Account the hardline scanner runs in',
      ...(props.scannerAccountId ? { default: props.scannerAccountId } : {}),
    });
    const externalId = new CfnParameter(this, 'ExternalId', {
      type: 'String',
      minLength: 2,
      maxLength: 1224,
      allowedPattern: '^[\\w+=,.@:/-]+$',
      description: 'ExternalId the scanner presents (context externalId of the scanner stack)',
      ...(props.externalId ? { default: props.externalId } : {}),
    });
    this.memberRole = new MemberReadRole(this, 'MemberReadRole', {
      roleName: props.memberRoleName,
      scannerAccountId: scannerAccountId.valueAsString,
      scannerRolePrefix: props.scannerRolePrefix,
      externalId: externalId.valueAsString,
    });
  }
}

/** The member stack as a self-contained template (no bootstrap parameter) for the StackSet. */
export function memberReadRoleTemplate(props: Pick<MemberReadRoleStackProps, 'memberRoleName' | 'scannerRolePrefix'>): string {
  const app = new App();
  const stack = new MemberReadRoleStack(app, 'HardlineMemberRead', { ...props, synthesizer: new BootstraplessSynthesizer() });
  return JSON.stringify(app.synth().getStackArtifact(stack.artifactId).template);
}
