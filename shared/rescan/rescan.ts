import { describeError } from '../core/errors.js';
import { redact } from '../redaction/redact.js';
import { awsTargetOf, refKey, type RescanExecutionInput, type TargetRef } from '../pipeline/rescan-input.js';
import type { StoreContext } from '../store/client.js';
import { targetId } from '../store/keys.js';
import { claimRescan } from '../store/rescan-claims.js';
import { changeSignalOf } from './event-target.js';

/**
 * The rescan function's logic: a batch of change-queue messages → at most one rescan per target.
 *
 * Debounce, and why it is correct on Lambda: the queue delays every message by the window
 * (60 s), so a burst's first change is handled a window after it arrived, when the rest of the
 * burst has arrived too. Per target, a conditional write in the table records the start of its
 * last rescan; a message received before that start is covered (the rescan reads AWS after the
 * change) and starts nothing, a later one claims the next rescan. No timer, no in-memory state:
 * any number of concurrent invocations, redeliveries and duplicates give the same result. The
 * claim keeps the execution's name and input, so a rescan claimed but not started (the start
 * failed, the invocation died) is started by the retried message, or by any later message it
 * covers; Step Functions starts one name once (a second start of a running execution with the same
 * input is a no-op, of a finished one an ExecutionAlreadyExists).
 */
export interface RescanDeps {
  store: StoreContext;
  /** StartExecution of the scan state machine; `exists` when that name already ran. */
  startExecution(name: string, input: string): Promise<'started' | 'exists'>;
  /** What this deployment scans: requests for other regions (or, in account mode, other accounts) are ignored. */
  scope: { regions: readonly string[]; accountId?: string };
  now(): Date;
  log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void;
}

export interface ChangeMessage {
  messageId: string;
  body: string;
  /** When the queue received it (SQS SentTimestamp), ISO. */
  receivedAt: string;
}

export interface RescanReport {
  /** Rescans this batch started, by execution name. */
  started: string[];
  /** Targets whose changes an already started rescan covered. */
  covered: number;
  ignored: number;
  /** Messages to retry (their target's rescan could not be claimed or started). */
  failedMessageIds: string[];
}

/** A rescan is recorded as started this much before the claim: clock skew between SQS and Lambda can only cost a rescan, never miss a change. */
const START_MARGIN_MS = 2_000;
const CLAIM_TTL_MS = 7 * 86_400_000;

interface Due {
  ref: TargetRef;
  messageIds: string[];
  coversUpTo: string;
  attempt: number;
  why: string;
}

export async function rescanChangedTargets(messages: readonly ChangeMessage[], deps: RescanDeps): Promise<RescanReport> {
  const report: RescanReport = { started: [], covered: 0, ignored: 0, failedMessageIds: [] };
  const due = new Map<string, Due>();
  for (const m of messages) {
    const refs = targetsOf(m, deps);
    if (!refs) {
      report.ignored++;
      continue;
    }
    for (const { ref, attempt, why } of refs) {
      const key = refKey(ref);
      const d = due.get(key);
      if (!d) {
        due.set(key, { ref, messageIds: [m.messageId], coversUpTo: m.receivedAt, attempt, why });
        continue;
      }
      d.messageIds.push(m.messageId);
      if (m.receivedAt > d.coversUpTo) d.coversUpTo = m.receivedAt;
      // A fresh change restarts the patience for a settling target.
      d.attempt = Math.min(d.attempt, attempt);
    }
  }
  for (const d of due.values()) {
    try {
      const name = await rescanTarget(d, deps);
      if (name) report.started.push(name);
      else report.covered++;
    } catch (e) {
      deps.log('error', 'rescan not started; the messages return to the queue', { target: refKey(d.ref), error: describeError(e) });
      report.failedMessageIds.push(...d.messageIds);
    }
  }
  report.failedMessageIds = [...new Set(report.failedMessageIds)];
  return report;
}

function targetsOf(m: ChangeMessage, deps: RescanDeps): { ref: TargetRef; attempt: number; why: string }[] | undefined {
  let event: unknown;
  try {
    event = JSON.parse(m.body);
  } catch {
    deps.log('warn', 'change message ignored', { messageId: m.messageId, reason: 'not JSON' });
    return undefined;
  }
  const signal = changeSignalOf(event);
  if ('ignored' in signal) {
    deps.log('info', 'change message ignored', { messageId: m.messageId, reason: signal.ignored });
    return undefined;
  }
  const inScope = signal.targets.filter(
    (t) => deps.scope.regions.includes(t.region) && (!deps.scope.accountId || t.accountId === deps.scope.accountId),
  );
  if (inScope.length < signal.targets.length) {
    deps.log('warn', 'targets outside the scanned accounts or regions ignored', {
      messageId: m.messageId,
      ignored: signal.targets.filter((t) => !inScope.includes(t)).map(refKey),
    });
  }
  if (inScope.length === 0) return undefined;
  return inScope.map((ref) => ({ ref, attempt: signal.attempt, why: signal.why }));
}

/** Claims and starts the target's rescan; undefined when a rescan that covers these changes exists (it is made sure to run). */
async function rescanTarget(d: Due, deps: RescanDeps): Promise<string | undefined> {
  const now = deps.now();
  const tid = targetId(awsTargetOf(d.ref));
  // A Rescan Requested reason is the sender's free text: it goes into the execution input and logs only redacted.
  const reason = redact(d.why).slice(0, 512);
  const input: RescanExecutionInput = { targets: [d.ref], reason, ...(d.attempt > 0 ? { attempt: d.attempt } : {}) };
  const executionName = `rescan-${tid}-${now.getTime()}`;
  const executionInput = JSON.stringify(input);
  const claim = await claimRescan(deps.store, {
    targetId: tid,
    coversUpTo: d.coversUpTo,
    startedAt: new Date(now.getTime() - START_MARGIN_MS).toISOString(),
    executionName,
    executionInput,
    expiresAt: new Date(now.getTime() + CLAIM_TTL_MS),
  });
  if (claim.claimed) {
    await deps.startExecution(executionName, executionInput);
    deps.log('info', 'rescan started', { target: refKey(d.ref), executionName, why: reason, changes: d.messageIds.length });
    return executionName;
  }
  const outcome = await deps.startExecution(claim.current.executionName, claim.current.executionInput);
  deps.log('info', 'changes covered by a rescan already started', {
    target: refKey(d.ref),
    executionName: claim.current.executionName,
    changes: d.messageIds.length,
    startCall: outcome,
  });
  return undefined;
}
