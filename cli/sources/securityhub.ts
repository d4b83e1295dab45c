import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { controls as catalog } from '../../shared/controls/index.js';
import type { Control } from '../../shared/controls/types.js';
import { ConfigError, describeError } from '../../shared/errors.js';
import { backoffDelay, DEFAULT_BACKOFF, errorCodeOf, isPermanentErrorCode, type BackoffOptions } from '../../shared/events/backoff.js';
import { asffFindings } from '../../shared/report/asff.js';
import { redactDeep } from '../../shared/findings/redact.js';
import type { ScanReport } from '../../shared/report/model.js';

/** BatchImportFindings accepts at most 100 findings per call. */
export const SECURITY_HUB_BATCH = 100;

export interface SecurityHubImportOptions {
  securityHub?: SecurityHubClient;
  sts?: STSClient;
  controls?: readonly Control[];
  backoff?: Partial<BackoffOptions>;
}

export interface SecurityHubImportOutcome {
  account: string;
  region: string;
  imported: number;
  calls: number;
  failed: { id: string; code: string; message: string }[];
}

/** Security Hub's own error codes for an import that will not succeed by retrying. */
const PERMANENT_IMPORT_CODES = new Set(['InvalidInput', 'InvalidInputException', 'AccessDenied', 'AccessDeniedException', 'InvalidAccessException']);

/**
 * `--to-securityhub`: the scan's results as ASFF into the Security Hub of the current credentials'
 * account and region. Manifest results get that account and region instead of the placeholders.
 * Batches of 100; findings Security Hub rejects are retried (only those) with backoff; what still
 * fails is reported by id, never silently dropped.
 */
export async function importFindings(report: ScanReport, opts: SecurityHubImportOptions = {}): Promise<SecurityHubImportOutcome> {
  const securityHub = opts.securityHub ?? new SecurityHubClient({});
  const sts = opts.sts ?? new STSClient({});
  const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...opts.backoff };
  const region = await securityHub.config.region().catch(() => undefined);
  if (!region) throw new ConfigError('--to-securityhub needs an AWS region (set AWS_REGION or a profile region)');
  let account: string | undefined;
  try {
    account = (await sts.send(new GetCallerIdentityCommand({}))).Account;
  } catch (e) {
    throw new ConfigError(`--to-securityhub: cannot identify the AWS account of the current credentials: ${describeError(e)}`, { cause: e });
  }
  if (!account) throw new ConfigError('--to-securityhub: GetCallerIdentity returned no account');

  // What leaves for Security Hub is redacted like every other sink (reports, store, events).
  const findings = redactDeep(asffFindings(report, { controls: opts.controls ?? catalog, account, region, productAccount: account, productRegion: region }));
  const outcome: SecurityHubImportOutcome = { account, region, imported: 0, calls: 0, failed: [] };
  let queue: AwsSecurityFinding[] = findings;
  const lastError = new Map<string, { code: string; message: string }>();

  for (let attempt = 1; queue.length > 0 && attempt <= backoff.maxAttempts; attempt++) {
    if (attempt > 1) await backoff.sleep(backoffDelay(attempt - 1, backoff));
    const retry: AwsSecurityFinding[] = [];
    for (let i = 0; i < queue.length; i += SECURITY_HUB_BATCH) {
      const batch = queue.slice(i, i + SECURITY_HUB_BATCH);
      outcome.calls++;
      try {
        const out = await securityHub.send(new BatchImportFindingsCommand({ Findings: batch }));
        const rejected = new Map((out.FailedFindings ?? []).map((f) => [f.Id ?? '', { code: f.ErrorCode ?? 'Unknown', message: f.ErrorMessage ?? '' }]));
        for (const f of batch) {
          const error = rejected.get(f.Id!);
          if (!error) outcome.imported++;
          else if (PERMANENT_IMPORT_CODES.has(error.code)) outcome.failed.push({ id: f.Id!, ...error });
          else {
            lastError.set(f.Id!, error);
            retry.push(f);
          }
        }
      } catch (e) {
        const error = { code: errorCodeOf(e), message: describeError(e) };
        // Security Hub not enabled, or no permission: every call would fail the same way.
        if (isPermanentErrorCode(error.code)) {
          throw new ConfigError(`--to-securityhub: Security Hub refused the import in ${account}/${region}: ${error.code}: ${error.message}`, { cause: e });
        }
        for (const f of batch) {
          lastError.set(f.Id!, error);
          retry.push(f);
        }
      }
    }
    queue = retry;
  }
  for (const f of queue) outcome.failed.push({ id: f.Id!, ...(lastError.get(f.Id!) ?? { code: 'Unknown', message: '' }) });
  return outcome;
}

/** The CLI's one-line answer (scan.ts prints it after `hardline: `). */
export async function importToSecurityHub(report: ScanReport, opts: SecurityHubImportOptions = {}): Promise<string> {
  const o = await importFindings(report, opts);
  const head = `imported ${o.imported} finding${o.imported === 1 ? '' : 's'} into Security Hub (${o.account}, ${o.region}) in ${o.calls} BatchImportFindings call${o.calls === 1 ? '' : 's'}`;
  if (o.failed.length === 0) return head;
  const sample = o.failed.slice(0, 5).map((f) => `${f.id} (${f.code}${f.message ? `: ${f.message}` : ''})`);
  return `${head}; ${o.failed.length} failed: ${sample.join(', ')}${o.failed.length > 5 ? ', …' : ''}`;
}
