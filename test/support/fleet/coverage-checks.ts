import type { CoverageFleetResult } from './coverage-fleet.js';
import { clusterTargetId } from './truth.js';

/**
 * What the coverage scenario promises, checked on its result (empty lists are a pass):
 * - every run's coverage is exactly readable / discovered, so the coverage alarm condition
 *   (below the floor) is met while 30% of clusters are not onboarded;
 * - the unreadable list a user reads (GET /summary) names exactly the unonboarded clusters, each
 *   with the access entry command for its own account and name;
 * - the deleted cluster's findings stay open after the first listing without it and resolve,
 *   with reason target-deleted and one Finding Resolved event each, on the second.
 */
export interface CoverageCheck {
  runs: { run: number; clusters: number; readable: number; percent: number; alarm: boolean }[];
  deletedFindings: number;
  resolvedByDeletion: number[];
  resolvedEvents: number;
  problems: { coverage: string[]; unreadableList: string[]; deletion: string[] };
}

export function checkCoverageFleet(result: CoverageFleetResult, floorPercent: number): CoverageCheck {
  const { fleet, unauthorized, deleted, runs } = result;
  const check: CoverageCheck = {
    runs: [],
    deletedFindings: 0,
    resolvedByDeletion: [],
    resolvedEvents: 0,
    problems: { coverage: [], unreadableList: [], deletion: [] },
  };
  const expectedUnreadable = unauthorized.map((c) => `${c.accountId}/${c.region}/${c.name}:unauthorized`).sort();
  const deletedId = clusterTargetId(deleted);
  const ofDeleted = (rec: CoverageFleetResult['runs'][number]) =>
    [...rec.snapshot.findings.values()].filter((f) => f.targetId === deletedId);

  for (const rec of runs) {
    const listed = fleet.clusters.length - (rec.run === 1 ? 0 : 1);
    const readable = listed - unauthorized.length;
    const cov = rec.execution.summary.coverage;
    check.runs.push({
      run: rec.run,
      clusters: cov.clusters,
      readable: cov.readable,
      percent: cov.ratio * 100,
      alarm: cov.ratio * 100 < floorPercent,
    });
    if (cov.clusters !== listed || cov.readable !== readable || cov.byState.unauthorized !== unauthorized.length) {
      check.problems.coverage.push(
        `run ${rec.run}: coverage ${JSON.stringify(cov)}, expected ${readable}/${listed} with ${unauthorized.length} unauthorized`,
      );
    }
    if (!(cov.ratio * 100 < floorPercent))
      check.problems.coverage.push(`run ${rec.run}: ${cov.ratio * 100}% does not breach the ${floorPercent}% floor`);
    const stored = rec.summary.coverage;
    const listedByApi = stored.unreadable.map((u) => `${u.accountId}/${u.region}/${u.name}:${u.state}`).sort();
    if (JSON.stringify(listedByApi) !== JSON.stringify(expectedUnreadable)) {
      check.problems.unreadableList.push(
        `run ${rec.run}: /summary lists ${listedByApi.length} unreadable (${listedByApi.slice(0, 3).join(', ')}…), expected exactly the ${expectedUnreadable.length} unonboarded`,
      );
    }
    for (const u of stored.unreadable) {
      if (!u.step?.includes(`--cluster-name ${u.name} --principal-arn arn:aws:iam::${u.accountId}:role/hardline-read`))
        check.problems.unreadableList.push(`run ${rec.run}: ${u.name}: step "${u.step ?? ''}" is not its access entry command`);
    }
    // A deleted cluster stops counting once confirmed (run 3); until then its marker is the last scan's.
    const storedClusters = fleet.clusters.length - (rec.run === 3 ? 1 : 0);
    if (stored.clusters !== storedClusters)
      check.problems.coverage.push(`run ${rec.run}: /summary counts ${stored.clusters} clusters, expected ${storedClusters}`);
    check.resolvedByDeletion.push(rec.execution.summary.deletedTargets.resolvedFindings);
  }

  const [first, second, third] = runs;
  const opened = ofDeleted(first!).filter((f) => f.state === 'OPEN');
  check.deletedFindings = opened.length;
  if (opened.length === 0) check.problems.deletion.push(`${deleted.name} has no open finding after run 1: the scenario proves nothing`);
  const afterSecond = ofDeleted(second!);
  if (afterSecond.some((f) => f.state !== 'OPEN'))
    check.problems.deletion.push(
      `run 2 (first listing without ${deleted.name}) changed its findings: ${afterSecond.filter((f) => f.state !== 'OPEN').length} not OPEN`,
    );
  if (second!.execution.summary.deletedTargets.absent !== 1)
    check.problems.deletion.push(`run 2: ${JSON.stringify(second!.execution.summary.deletedTargets)}, expected one absent cluster`);
  const afterThird = ofDeleted(third!);
  const notResolved = afterThird.filter((f) => f.state !== 'RESOLVED' || f.resolvedReason !== 'target-deleted');
  if (notResolved.length > 0)
    check.problems.deletion.push(`run 3: ${notResolved.length} findings of ${deleted.name} are not RESOLVED with target-deleted`);
  const elsewhere = [...third!.snapshot.findings.values()].filter((f) => f.resolvedReason === 'target-deleted' && f.targetId !== deletedId);
  if (elsewhere.length > 0) check.problems.deletion.push(`${elsewhere.length} findings of other clusters resolved as target-deleted`);
  const events = result.bus.accepted.filter((e) => e.detailType === 'Finding Resolved' && e.detail['resolvedReason'] === 'target-deleted');
  check.resolvedEvents = new Set(events.map((e) => e.eventKey)).size;
  if (check.resolvedEvents !== opened.length)
    check.problems.deletion.push(`${check.resolvedEvents} Finding Resolved events with target-deleted, expected ${opened.length}`);
  if (events.some((e) => e.detail['scanId'] !== third!.scanId))
    check.problems.deletion.push('a target-deleted resolution is not from the second confirming run');
  return check;
}
