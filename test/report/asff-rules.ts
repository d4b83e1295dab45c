import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';

/**
 * What BatchImportFindings requires of each finding (Security Hub API reference, AwsSecurityFinding):
 * the required fields, their formats and their length limits.
 */
const REQUIRED = [
  'SchemaVersion',
  'Id',
  'ProductArn',
  'GeneratorId',
  'AwsAccountId',
  'Types',
  'CreatedAt',
  'UpdatedAt',
  'Severity',
  'Title',
  'Description',
  'Resources',
] as const;
const TYPE_NAMESPACES = ['Software and Configuration Checks', 'TTPs', 'Effects', 'Unusual Behaviors', 'Sensitive Data Identifications'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export function asffViolations(f: AwsSecurityFinding): string[] {
  const v: string[] = [];
  for (const k of REQUIRED) if (f[k] === undefined || f[k] === '') v.push(`missing ${k}`);
  if (f.SchemaVersion !== '2018-10-08') v.push('SchemaVersion');
  if (!/^\d{12}$/.test(f.AwsAccountId ?? '')) v.push('AwsAccountId');
  if (!/^arn:aws(-cn|-us-gov)?:securityhub:[a-z0-9-]+:\d{12}:product\/\d{12}\/default$/.test(f.ProductArn ?? '')) v.push('ProductArn');
  if ((f.Id ?? '').length > 512 || (f.GeneratorId ?? '').length > 512) v.push('Id/GeneratorId length');
  if ((f.Title ?? '').length > 256) v.push('Title > 256');
  if ((f.Description ?? '').length > 1024) v.push('Description > 1024');
  if ((f.Remediation?.Recommendation?.Text ?? '').length > 512) v.push('Recommendation > 512');
  if (!ISO.test(f.CreatedAt ?? '') || !ISO.test(f.UpdatedAt ?? '')) v.push('timestamps');
  if (!f.Types?.length || f.Types.some((t) => t.split('/').length < 2 || !TYPE_NAMESPACES.includes(t.split('/')[0]!))) v.push('Types');
  if (!['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].includes(f.Severity?.Label ?? '')) v.push('Severity.Label');
  if (!f.Resources?.length || f.Resources.length > 32 || f.Resources.some((r) => !r.Type || !r.Id)) v.push('Resources');
  if (f.Compliance && !['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE'].includes(f.Compliance.Status ?? '')) v.push('Compliance.Status');
  if ((f.Compliance?.RelatedRequirements?.length ?? 0) > 32) v.push('RelatedRequirements');
  if (f.Workflow && !['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'].includes(f.Workflow.Status ?? '')) v.push('Workflow.Status');
  if (f.RecordState && !['ACTIVE', 'ARCHIVED'].includes(f.RecordState)) v.push('RecordState');
  const fields = Object.entries(f.ProductFields ?? {});
  if (fields.length > 50 || fields.some(([k, val]) => k.length > 128 || val.length > 2048 || val.length === 0)) v.push('ProductFields');
  return v;
}
