import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  type AwsSecurityFinding,
  type AwsSecurityFindingIdentifier,
  type SecurityHubClient,
  type WorkflowStatus,
} from '@aws-sdk/client-securityhub';
import { awsErrorName, isPermanentAwsError } from '../core/aws-errors.js';
import { backoffDelay, type BackoffOptions } from '../core/backoff.js';
import { ConfigError, describeError } from '../core/errors.js';

/** BatchImportFindings and BatchUpdateFindings take at most 100 findings per call. */
export const SECURITY_HUB_BATCH = 100;

export interface SecurityHubFailure {
  id: string;
  code: string;
  message: string;
}

export interface SecurityHubOutcome {
  /** Findings Security Hub took. */
  done: number;
  calls: number;
  /** Findings it still rejected after the retries, or rejected for good; never dropped silently. */
  failed: SecurityHubFailure[];
}

/** Security Hub refused a whole call in a way retrying cannot fix (not enabled, no permission). */
export class SecurityHubRefusedError extends ConfigError {
  constructor(
    readonly errorCode: string,
    readonly detail: string,
    options: { cause?: unknown } = {},
  ) {
    super(`Security Hub refused the call: ${errorCode}: ${detail}`, options);
  }
}

/**
 * Sends items in batches of 100; the ones Security Hub rejects are retried — only those — with
 * exponential backoff, unless their error code says a retry cannot help. A call that fails as a
 * whole is retried for its whole batch, unless the error is permanent: then it throws.
 */
async function sendInBatches<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  send: (batch: T[]) => Promise<SecurityHubFailure[]>,
  backoff: BackoffOptions,
): Promise<SecurityHubOutcome> {
  const outcome: SecurityHubOutcome = { done: 0, calls: 0, failed: [] };
  const lastError = new Map<string, SecurityHubFailure>();
  let queue = [...items];
  for (let attempt = 1; queue.length > 0 && attempt <= backoff.maxAttempts; attempt++) {
    if (attempt > 1) await backoff.sleep(backoffDelay(attempt - 1, backoff));
    const retry: T[] = [];
    for (let i = 0; i < queue.length; i += SECURITY_HUB_BATCH) {
      const batch = queue.slice(i, i + SECURITY_HUB_BATCH);
      outcome.calls++;
      let rejected: Map<string, SecurityHubFailure>;
      try {
        rejected = new Map((await send(batch)).map((f) => [f.id, f]));
      } catch (e) {
        const code = awsErrorName(e);
        if (isPermanentAwsError(code)) throw new SecurityHubRefusedError(code, describeError(e), { cause: e });
        rejected = new Map(batch.map((item) => [idOf(item), { id: idOf(item), code, message: describeError(e) }]));
      }
      for (const item of batch) {
        const error = rejected.get(idOf(item));
        if (!error) outcome.done++;
        // FindingNotFound is not permanent: right after an import, an update may briefly not find the finding.
        else if (isPermanentAwsError(error.code)) outcome.failed.push(error);
        else {
          lastError.set(error.id, error);
          retry.push(item);
        }
      }
    }
    queue = retry;
  }
  for (const item of queue) outcome.failed.push(lastError.get(idOf(item)) ?? { id: idOf(item), code: 'Unknown', message: '' });
  return outcome;
}

/** BatchImportFindings of ASFF findings (each with its Id). */
export function importAsffFindings(
  client: SecurityHubClient,
  findings: readonly AwsSecurityFinding[],
  backoff: BackoffOptions,
): Promise<SecurityHubOutcome> {
  return sendInBatches(
    findings,
    (f) => f.Id!,
    async (batch) => {
      const out = await client.send(new BatchImportFindingsCommand({ Findings: batch }));
      return (out.FailedFindings ?? []).map((f) => ({ id: f.Id ?? '', code: f.ErrorCode ?? 'Unknown', message: f.ErrorMessage ?? '' }));
    },
    backoff,
  );
}

/**
 * Sets the workflow status of existing findings (BatchUpdateFindings): a provider's import sets
 * Workflow only when it creates a finding, so a resolve or an exemption of an existing one needs this.
 */
export function updateWorkflowStatus(
  client: SecurityHubClient,
  findings: readonly AwsSecurityFindingIdentifier[],
  status: WorkflowStatus,
  backoff: BackoffOptions,
): Promise<SecurityHubOutcome> {
  return sendInBatches(
    findings,
    (f) => f.Id!,
    async (batch) => {
      const out = await client.send(new BatchUpdateFindingsCommand({ FindingIdentifiers: batch, Workflow: { Status: status } }));
      return (out.UnprocessedFindings ?? []).map((u) => ({
        id: u.FindingIdentifier?.Id ?? '',
        code: u.ErrorCode ?? 'Unknown',
        message: u.ErrorMessage ?? '',
      }));
    },
    backoff,
  );
}
