import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { controls as catalog } from '../../shared/controls/index.js';
import type { Control } from '../../shared/controls/types.js';
import { DEFAULT_BACKOFF, type BackoffOptions } from '../../shared/core/backoff.js';
import { ConfigError, describeError } from '../../shared/core/errors.js';
import type { ScanReport } from '../../shared/engine/report.js';
import { redactDeep } from '../../shared/redaction/redact.js';
import { asffFindings } from '../../shared/report/asff.js';
import { importAsffFindings, SecurityHubRefusedError, type SecurityHubFailure } from '../../shared/securityhub/import.js';

export { SECURITY_HUB_BATCH } from '../../shared/securityhub/import.js';

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
  failed: SecurityHubFailure[];
}

/**
 * `--to-securityhub`: the scan's results as ASFF into the Security Hub of the current credentials'
 * account and region (manifest results get that account and region instead of the placeholders),
 * through the same import as the service (shared/securityhub/import.ts): batches of 100, rejected
 * findings retried with backoff, what still fails reported by id.
 */
export async function importFindings(report: ScanReport, opts: SecurityHubImportOptions = {}): Promise<SecurityHubImportOutcome> {
  const securityHub = opts.securityHub ?? new SecurityHubClient({});
  const sts = opts.sts ?? new STSClient({});
  const region = await securityHub.config.region().catch(() => undefined);
  if (!region) throw new ConfigError('--to-securityhub needs an AWS region (set AWS_REGION or a profile region)');
  let account: string | undefined;
  try {
    account = (await sts.send(new GetCallerIdentityCommand({}))).Account;
  } catch (e) {
    throw new ConfigError(`--to-securityhub: cannot identify the AWS account of the current credentials: ${describeError(e)}`, {
      cause: e,
    });
  }
  if (!account) throw new ConfigError('--to-securityhub: GetCallerIdentity returned no account');

  // What leaves for Security Hub is redacted like every other sink (reports, store, events).
  const findings = redactDeep([
    ...asffFindings(report, { controls: opts.controls ?? catalog, account, region, productAccount: account, productRegion: region }),
  ]);
  try {
    const out = await importAsffFindings(securityHub, findings, { ...DEFAULT_BACKOFF, ...opts.backoff });
    return { account, region, imported: out.done, calls: out.calls, failed: out.failed };
  } catch (e) {
    // Security Hub not enabled, or no permission: every call would fail the same way.
    if (e instanceof SecurityHubRefusedError)
      throw new ConfigError(`--to-securityhub: Security Hub refused the import in ${account}/${region}: ${e.errorCode}: ${e.detail}`, {
        cause: e,
      });
    throw e;
  }
}

/** The CLI's one-line answer (scan.ts prints it after `hardline: `). */
export async function importToSecurityHub(report: ScanReport, opts: SecurityHubImportOptions = {}): Promise<string> {
  const o = await importFindings(report, opts);
  const head = `imported ${o.imported} finding${o.imported === 1 ? '' : 's'} into Security Hub (${o.account}, ${o.region}) in ${o.calls} BatchImportFindings call${o.calls === 1 ? '' : 's'}`;
  if (o.failed.length === 0) return head;
  const sample = o.failed.slice(0, 5).map((f) => `${f.id} (${f.code}${f.message ? `: ${f.message}` : ''})`);
  return `${head}; ${o.failed.length} failed: ${sample.join(', ')}${o.failed.length > 5 ? ', …' : ''}`;
}
