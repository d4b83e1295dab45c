import { Annotations, App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ChangeEventsMemberStack } from '../change-events-member-stack.js';
import { settingsFromContext } from '../config.js';
import { HardlineStack } from '../hardline-stack.js';
import { MemberReadRoleStack } from '../member-read-role-stack.js';

/**
 * `npx cdk synth` / `npx cdk deploy Hardline` (the service) / `npx cdk deploy HardlineMemberRead`
 * (a member account's read role) / `npx cdk deploy HardlineChangeEvents` (change-event forwarding). Settings come from context (docs/deploy.md). cdk-nag's
 * AwsSolutions pack runs on every synth: an unacknowledged finding fails it.
 */
const app = new App();
const settings = settingsFromContext(app.node);
const env =
  process.env['CDK_DEFAULT_ACCOUNT'] || process.env['CDK_DEFAULT_REGION']
    ? { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] }
    : undefined;

const service = new HardlineStack(app, 'Hardline', { settings, ...(env ? { env } : {}) });
if (settings.externalId === 'hardline') {
  Annotations.of(service).addWarningV2(
    'hardline:default-external-id',
    "externalId is the default 'hardline': set -c externalId=<your value> and use the same value for the member roles",
  );
}
new MemberReadRoleStack(app, 'HardlineMemberRead', {
  memberRoleName: settings.memberRoleName,
  scannerRolePrefix: settings.scannerRolePrefix,
  externalId: settings.externalId,
  ...(settings.scannerAccountId ? { scannerAccountId: settings.scannerAccountId } : {}),
});
// Change rescans where the StackSet does not reach (the management account; other regions in account mode).
new ChangeEventsMemberStack(app, 'HardlineChangeEvents', { memberRoleName: settings.memberRoleName });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
