import { allClustersTarget } from '../collectors/aws/targets.js';
import { ConfigError } from '../core/errors.js';
import { SEVERITIES, STATUSES } from '../core/types.js';
import type { Summary, TargetReport, TargetStatus } from '../engine/report.js';
import type { TargetInput } from '../inventory/types.js';
import { retireConfirmedDeletions } from '../store/confirmed-deletions.js';
import { confirmDeletedTargets, pairKey, type ClusterListing, type DeletionOutcome } from '../store/deleted-targets.js';
import { emptyChanges, type ScanChanges } from '../store/items.js';
import { completeRun } from '../store/run.js';
import type { PipelineDeps } from './deps.js';
import { parseOutcome, readDiscoveredTargets, readMapResults, reasonFromError } from './run-results.js';
import { evaluateAndSave, outcomeOf } from './scan-target.js';
import { targetKey, type DiscoveredTarget, type RunCoverage, type RunSummary, type SummarizeInput, type TargetOutcome } from './types.js';

/**
 * The last step of a run: every discovered target accounted for, the run completed once.
 * Outcomes the scan steps saved themselves are taken as they are; caught failures, discovery
 * failures and targets that left no result at all are recorded now (UNKNOWN/ERROR with the reason,
 * so a Target Failed event goes out), then the scan item is completed with the totals.
 */
export async function summarizeRun(input: SummarizeInput, deps: PipelineDeps): Promise<RunSummary> {
  const discovered = await discoveredTargets(input, deps);
  const outcomes = await mapOutcomes(input, deps);
  const seen = new Set(outcomes.map((o) => targetKey(o.target)));
  const missingReason = input.mapError ? reasonFromError(input.mapError, 'the map over targets failed') : 'the scan step left no result';
  for (const d of discovered) {
    if (seen.has(targetKey(d.target))) continue;
    seen.add(targetKey(d.target));
    outcomes.push({ target: d.target, status: 'ERROR', reason: missingReason, resources: 0, gaps: 0, recorded: false });
  }
  const pending = outcomes.filter((o) => !o.recorded);
  const recorded = await recordFailures(input, pending, deps);
  const all = [...outcomes.filter((o) => o.recorded), ...recorded];
  const deletionOptions = { retentionDays: deps.settings.retentionDays, now: deps.now };
  // A rescan lists nothing: absence from it proves nothing; only the deletions its Describe confirmed count.
  const deletions = input.targeted
    ? await retireConfirmedDeletions(deps.store.ctx, input, input.deletedTargets ?? [], deletionOptions)
    : await confirmDeletedTargets(deps.store.ctx, clusterListing(input, discovered), deletionOptions);
  const finishedAt = deps.now().toISOString();
  const summary = mergeSummaries(all.flatMap((o) => (o.summary ? [o.summary] : [])));
  const changes = sumChanges(all.flatMap((o) => (o.changes ? [o.changes] : [])));
  changes.resolved += deletions.resolved;
  await completeRun(deps.store.ctx, {
    scanId: input.scanId,
    startedAt: input.startedAt,
    finishedAt,
    framework: deps.settings.framework,
    summary,
    changes,
    targets: all.map(targetReportOf),
  });
  const byTargetStatus: Record<TargetStatus, number> = { OK: 0, PARTIAL: 0, UNKNOWN: 0, ERROR: 0 };
  for (const o of all) byTargetStatus[o.status]++;
  return {
    scanId: input.scanId,
    status: 'COMPLETED',
    targets: all.length,
    failedTargets: byTargetStatus.UNKNOWN + byTargetStatus.ERROR,
    byTargetStatus,
    summary,
    changes,
    coverage: runCoverage(all),
    deletedTargets: deletedTargetsOf(deletions),
    ...(input.targeted ? { targeted: true as const, settlingTargets: input.settlingTargets ?? 0 } : {}),
  };
}

/**
 * What discovery listed, per account and region: a region is listed when its registry target came
 * without a failure and no pseudo-target says its clusters could not be listed.
 */
export function clusterListing(run: Pick<SummarizeInput, 'scanId' | 'startedAt'>, discovered: readonly DiscoveredTarget[]): ClusterListing {
  const names = new Map<string, Set<string>>();
  const readable = new Set<string>();
  const unlisted = new Set<string>();
  for (const { target, failure } of discovered) {
    const key = pairKey(target.accountId, target.region);
    if (target.kind === 'registry') {
      if (failure) unlisted.add(key);
      else readable.add(key);
    } else if (target.name === allClustersTarget(target.accountId, target.region).name) unlisted.add(key);
    else (names.get(key) ?? names.set(key, new Set()).get(key)!).add(target.name);
  }
  const listed = new Map<string, Set<string>>();
  for (const key of readable) if (!unlisted.has(key)) listed.set(key, names.get(key) ?? new Set());
  return { scanId: run.scanId, startedAt: run.startedAt, listed, unlisted };
}

function deletedTargetsOf(d: DeletionOutcome): RunSummary['deletedTargets'] {
  return { absent: d.absent, deleted: d.deleted.length, resolvedFindings: d.resolved };
}

/** Fleet coverage of the run: cluster targets whose Kubernetes API was read, out of all that carry an access state. */
export function runCoverage(outcomes: readonly TargetOutcome[]): RunCoverage {
  const byState: RunCoverage['byState'] = {};
  let clusters = 0;
  for (const o of outcomes) {
    const state = o.kubernetesAccess?.state;
    if (!state) continue;
    clusters++;
    byState[state] = (byState[state] ?? 0) + 1;
  }
  const readable = byState.read ?? 0;
  return { clusters, readable, ratio: clusters === 0 ? 1 : Math.round((readable / clusters) * 10_000) / 10_000, byState };
}

async function discoveredTargets(input: SummarizeInput, deps: PipelineDeps): Promise<DiscoveredTarget[]> {
  if (input.items) return input.items;
  if (!input.targetsKey) return [];
  const bucket = deps.settings.runsBucket;
  if (!bucket) throw new ConfigError('pipeline environment: HARDLINE_RUNS_BUCKET is required to read the discovered targets');
  if (!deps.s3) throw new ConfigError('summarize needs the S3 client');
  return readDiscoveredTargets(deps.s3, bucket, input.targetsKey);
}

async function mapOutcomes(input: SummarizeInput, deps: PipelineDeps): Promise<TargetOutcome[]> {
  if (!input.map) return [];
  if (Array.isArray(input.map)) return input.map.map(parseOutcome);
  if (!deps.s3) throw new ConfigError('summarize needs the S3 client');
  return readMapResults(deps.s3, input.map.ResultWriterDetails);
}

/** One save for every target the scan steps did not record: the engine turns each into its UNKNOWN/ERROR line. */
async function recordFailures(input: SummarizeInput, pending: readonly TargetOutcome[], deps: PipelineDeps): Promise<TargetOutcome[]> {
  if (pending.length === 0) return [];
  const inputs: TargetInput[] = pending.map((o) => ({
    target: o.target,
    failure: { status: o.status === 'UNKNOWN' ? 'UNKNOWN' : 'ERROR', reason: o.reason ?? 'the scan step failed' },
  }));
  const { report, changes } = await evaluateAndSave(input, inputs, deps);
  // The change counts belong to the batch; attach them once.
  return report.scan.targets.map((t, i) => outcomeOf(t, true, i === 0 ? { changes } : {}));
}

function targetReportOf(o: TargetOutcome): TargetReport {
  return { ...o.target, status: o.status, ...(o.reason ? { reason: o.reason } : {}), resources: o.resources, gaps: o.gaps };
}

/** Totals over targets: counts add up; the score is recomputed from them (passed / (passed + failed)). */
export function mergeSummaries(list: readonly Summary[]): Summary {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Summary['byStatus'];
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Summary['bySeverity'];
  let exempted = 0;
  for (const s of list) {
    for (const k of STATUSES) byStatus[k] += s.byStatus[k] ?? 0;
    for (const k of SEVERITIES) bySeverity[k] += s.bySeverity[k] ?? 0;
    exempted += s.exempted;
  }
  const passed = byStatus.PASS;
  const failed = SEVERITIES.reduce((n, k) => n + bySeverity[k], 0);
  return {
    byStatus,
    bySeverity,
    exempted,
    score: passed + failed === 0 ? null : Math.round((passed / (passed + failed)) * 10_000) / 10_000,
  };
}

export function sumChanges(list: readonly ScanChanges[]): ScanChanges {
  const total = emptyChanges();
  for (const c of list) for (const k of Object.keys(total) as (keyof ScanChanges)[]) total[k] += c[k] ?? 0;
  return total;
}
