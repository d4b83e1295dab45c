import { allClustersTarget, registryTarget } from '../../../shared/collectors/aws/targets.js';
import type { Target } from '../../../shared/core/types.js';
import type { TargetStatus } from '../../../shared/engine/report.js';
import { findingTransition } from '../../../shared/events/transitions.js';
import { LAMBDA_THROTTLED } from '../../../shared/pipeline/step-retry.js';
import { TABLE_ACTIONS, TABLE_INDEXES, type PipelineFunction } from '../../../shared/pipeline/table-access.js';
import { targetId } from '../../../shared/store/keys.js';
import type { FleetResult, RunRecord } from './fleet.js';
import type { TableUse } from './lambda.js';
import type { StoreSnapshot } from './snapshot.js';
import { clusterTargetId, registryTargetId } from './truth.js';
import { isBlinded, registries, type ClusterDef, type Fleet } from './world.js';

/**
 * The fleet's promises, checked on the simulation's result. Every check lists what is wrong (an
 * empty list is a pass), so the test asserts emptiness and the benchmark reports counts.
 */
export interface FleetCheck {
  targets: number;
  accounted: number;
  problems: {
    unaccounted: string[];
    wrongStatus: string[];
    lostFindings: string[];
    extraFindings: string[];
    faultedResolved: string[];
    eventsMissing: string[];
    eventsUnexpected: string[];
    eventsInconsistent: string[];
    dlq: string[];
    /** Targets recorded ERROR because Lambda throttled their step beyond the retries. */
    throttledToError: string[];
    /** DynamoDB calls a step made that its function's role does not allow (or writes into the exemptions partition). */
    tableAccess: string[];
  };
  comparedTargets: number;
  duplicateDeliveries: number;
}

interface ExpectedTarget {
  target: Target;
  status: TargetStatus;
}

function expectedStatus(fleet: Fleet, c: ClusterDef, run: 1 | 2): TargetStatus {
  if (run === 1) return 'OK';
  if (c.roles.has('aws-throttled')) return 'UNKNOWN';
  if (c.roles.has('rbac-403') || c.roles.has('timeout') || c.roles.has('dead')) return 'PARTIAL';
  return 'OK';
}

/** The targets a run must account for: every cluster and registry — a denied account's as its pseudo-targets. */
export function expectedTargets(fleet: Fleet, run: 1 | 2): ExpectedTarget[] {
  const out: ExpectedTarget[] = [];
  for (const c of fleet.clusters) {
    if (run === 2 && c.accountId === fleet.deniedAccount) continue;
    out.push({
      target: { kind: 'cluster', accountId: c.accountId, region: c.region, name: c.name },
      status: expectedStatus(fleet, c, run),
    });
  }
  for (const r of registries(fleet)) {
    const denied = run === 2 && r.accountId === fleet.deniedAccount;
    const hung = run === 2 && r.accountId === fleet.hungRegistry.accountId && r.region === fleet.hungRegistry.region;
    out.push({ target: registryTarget(r.accountId, r.region), status: denied ? 'UNKNOWN' : hung ? 'ERROR' : 'OK' });
    if (denied) out.push({ target: allClustersTarget(r.accountId, r.region), status: 'UNKNOWN' });
  }
  return out;
}

const label = (t: Target) => `${t.kind} ${t.accountId}/${t.region}/${t.name}`;

function checkTargets(fleet: Fleet, rec: RunRecord, check: FleetCheck): void {
  const expected = expectedTargets(fleet, rec.run);
  check.targets += expected.length;
  const inScan = rec.snapshot.scans.get(rec.scanId);
  if (inScan?.status !== 'COMPLETED')
    check.problems.unaccounted.push(`run ${rec.run}: scan item ${rec.scanId} is ${inScan?.status ?? 'missing'}`);
  if (inScan && inScan.targets.length + (inScan.targetsOmitted ?? 0) !== expected.length)
    check.problems.unaccounted.push(
      `run ${rec.run}: scan item lists ${inScan.targets.length}+${inScan.targetsOmitted ?? 0} targets, expected ${expected.length}`,
    );
  if (rec.execution.summary.targets !== expected.length)
    check.problems.unaccounted.push(
      `run ${rec.run}: summarize counted ${rec.execution.summary.targets} targets, expected ${expected.length}`,
    );
  for (const e of expected) {
    const item = rec.snapshot.targets.get(targetId(e.target));
    if (!item || item.lastScanId !== rec.scanId) {
      check.problems.unaccounted.push(`run ${rec.run}: ${label(e.target)} has no final status (last scan ${item?.lastScanId ?? 'none'})`);
      continue;
    }
    check.accounted++;
    if (item.lastStatus !== e.status)
      check.problems.wrongStatus.push(
        `run ${rec.run}: ${label(e.target)} is ${item.lastStatus} (${item.lastReason ?? ''}), expected ${e.status}`,
      );
  }
}

function checkThrottling(rec: RunRecord, check: FleetCheck): void {
  for (const o of rec.execution.outcomes) {
    if (o.status === 'ERROR' && o.error?.Error === LAMBDA_THROTTLED)
      check.problems.throttledToError.push(`run ${rec.run}: ${label(o.target)} is ERROR: Lambda throttled its step beyond the retries`);
  }
}

const FUNCTION_OF: Record<string, PipelineFunction> = {
  discover: 'discover',
  scanCluster: 'scan-cluster',
  scanRegistry: 'scan-registry',
  summarize: 'summarize',
};

/** Every table call of every step against what the CDK grants that step's function (shared/pipeline/table-access.ts). */
export function tableAccessProblems(use: TableUse): string[] {
  const problems: string[] = [];
  for (const [step, calls] of Object.entries(use.calls)) {
    const fn = FUNCTION_OF[step];
    if (!fn) {
      problems.push(`${step}: a step no function runs made table calls`);
      continue;
    }
    for (const call of Object.keys(calls)) {
      const [action, resource] = call.split(' ') as [string, string];
      const index = resource.startsWith('index/') ? resource.slice('index/'.length) : undefined;
      if (!TABLE_ACTIONS[fn].includes(action)) problems.push(`${fn}: ${action} is not granted (called ${calls[call]}×)`);
      if (index && !TABLE_INDEXES[fn].includes(index)) problems.push(`${fn}: index ${index} is not granted`);
    }
  }
  for (const w of use.protectedWrites) problems.push(`${w.step}: wrote ${w.key} in the exemptions partition`);
  return problems;
}

function currentOf(snap: StoreSnapshot, tid: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of snap.findings.values()) if (f.targetId === tid && f.state !== 'RESOLVED') out.set(f.findingId, f.state);
  return out;
}

function checkFindings(rec: RunRecord, previous: StoreSnapshot | undefined, check: FleetCheck): void {
  for (const [tid, expected] of rec.expected) {
    check.comparedTargets++;
    const stored = currentOf(rec.snapshot, tid);
    for (const [id, state] of expected)
      if (stored.get(id) !== state)
        check.problems.lostFindings.push(
          `run ${rec.run}: target ${tid}: finding ${id} is ${stored.get(id) ?? 'absent'}, expected ${state}`,
        );
    for (const [id, state] of stored)
      if (!expected.has(id))
        check.problems.extraFindings.push(`run ${rec.run}: target ${tid}: finding ${id} is ${state}, the data has no such violation`);
  }
  // Nothing disappears: a finding stored once stays (RESOLVED at worst) until its TTL.
  for (const id of previous?.findings.keys() ?? [])
    if (!rec.snapshot.findings.has(id)) check.problems.lostFindings.push(`run ${rec.run}: finding ${id} vanished from the store`);
}

function checkFaulted(fleet: Fleet, rec: RunRecord, previous: StoreSnapshot, check: FleetCheck): void {
  const blinded = new Set(fleet.clusters.filter((c) => isBlinded(fleet, c, rec.run)).map(clusterTargetId));
  blinded.add(registryTargetId(fleet.hungRegistry.accountId, fleet.hungRegistry.region));
  for (const r of registries(fleet)) if (r.accountId === fleet.deniedAccount) blinded.add(registryTargetId(r.accountId, r.region));
  for (const f of rec.snapshot.findings.values()) {
    const before = previous.findings.get(f.findingId);
    if (f.targetId && blinded.has(f.targetId) && f.state === 'RESOLVED' && before?.state !== 'RESOLVED') {
      check.problems.faultedResolved.push(
        `run ${rec.run}: ${f.controlId} on ${f.resource.kind}/${f.resource.name} in ${f.target.name} was resolved although the target could not be read`,
      );
    }
  }
}

/** The events the store's transitions call for, by eventKey → detail-type. */
export function expectedEvents(rec: RunRecord, previous: StoreSnapshot | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of rec.snapshot.findings.values()) {
    const before = previous?.findings.get(f.findingId);
    const type = findingTransition(before?.state, f.state);
    if (type && (!before || before.version !== f.version)) out.set(`finding:${f.findingId}:${f.version}`, type);
  }
  out.set(`scan:${rec.scanId}`, 'Scan Completed');
  for (const t of rec.snapshot.targets.values()) {
    if (t.lastScanId !== rec.scanId || (t.lastStatus !== 'ERROR' && t.lastStatus !== 'UNKNOWN')) continue;
    out.set(`target:${[t.accountId ?? '', t.region ?? '', t.kind, t.name].join('|')}:${rec.scanId}`, 'Target Failed');
  }
  return out;
}

function checkEvents(result: FleetResult, check: FleetCheck): void {
  const expected = new Map<string, string>();
  result.runs.forEach((rec, i) => {
    for (const [k, v] of expectedEvents(rec, result.runs[i - 1]?.snapshot)) expected.set(k, v);
    for (const r of rec.delivery.dlq)
      check.problems.dlq.push(`run ${rec.run}: stream record ${r.dynamodb?.SequenceNumber} went to the DLQ`);
  });
  const seen = new Map<string, { type: string; detail: string }>();
  for (const e of result.bus.accepted) {
    const known = seen.get(e.eventKey);
    if (known) {
      check.duplicateDeliveries++;
      if (known.detail !== e.entry.Detail) check.problems.eventsInconsistent.push(`${e.eventKey}: redelivered with a different detail`);
      continue;
    }
    seen.set(e.eventKey, { type: e.detailType, detail: e.entry.Detail ?? '' });
  }
  for (const [k, type] of expected) {
    const got = seen.get(k);
    if (!got) check.problems.eventsMissing.push(`${type} ${k}`);
    else if (got.type !== type) check.problems.eventsInconsistent.push(`${k}: ${got.type}, expected ${type}`);
  }
  for (const [k, got] of seen) if (!expected.has(k)) check.problems.eventsUnexpected.push(`${got.type} ${k}`);
  if (result.bus.oversizedCalls > 0)
    check.problems.eventsInconsistent.push(`${result.bus.oversizedCalls} PutEvents calls broke the 10 entries / 256 KB limits`);
}

export function checkFleet(result: FleetResult): FleetCheck {
  const check: FleetCheck = {
    targets: 0,
    accounted: 0,
    comparedTargets: 0,
    duplicateDeliveries: 0,
    problems: {
      unaccounted: [],
      wrongStatus: [],
      lostFindings: [],
      extraFindings: [],
      faultedResolved: [],
      eventsMissing: [],
      eventsUnexpected: [],
      eventsInconsistent: [],
      dlq: [],
      throttledToError: [],
      tableAccess: [],
    },
  };
  result.runs.forEach((rec, i) => {
    const previous = result.runs[i - 1]?.snapshot;
    checkTargets(result.fleet, rec, check);
    checkThrottling(rec, check);
    checkFindings(rec, previous, check);
    if (previous) checkFaulted(result.fleet, rec, previous, check);
  });
  checkEvents(result, check);
  check.problems.tableAccess.push(...tableAccessProblems(result.tableUse));
  return check;
}

export function problemCount(c: FleetCheck): number {
  return Object.values(c.problems).reduce((n, list) => n + list.length, 0);
}
