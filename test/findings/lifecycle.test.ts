import { describe, expect, it } from 'vitest';
import type { TargetStatus } from '../../shared/engine/report.js';
import { ResultSet } from '../../shared/engine/results.js';
import type { Result } from '../../shared/engine/types.js';
import { findingId } from '../../shared/findings/id.js';
import { blindScopes, diffFindings, type FindingChange, type StoredFinding, type TargetScan } from '../../shared/findings/lifecycle.js';
import { gap, prod, result } from '../store/support.js';

const T0 = { id: 'scan-0', startedAt: '2026-11-01T00:00:00.000Z' };
const T1 = { id: 'scan-1', startedAt: '2026-11-02T00:00:00.000Z' };
const T2 = { id: 'scan-2', startedAt: '2026-11-03T00:00:00.000Z' };

function scan(results: Result[], status: TargetStatus = 'OK', extra: Partial<TargetScan> = {}): TargetScan {
  return { target: prod, status, results: ResultSet.of(results), ...extra };
}

/** Applies a diff the way the store would: the stored set after the writes. */
function stored(previous: StoredFinding[], changes: FindingChange[]): StoredFinding[] {
  const byId = new Map(previous.map((p) => [p.findingId, p]));
  for (const c of changes) byId.set(c.next.findingId, c.next);
  return [...byId.values()];
}

function byName(list: readonly StoredFinding[], name: string): StoredFinding {
  const f = list.find((x) => x.resource.name === name);
  if (!f) throw new Error(`no finding for ${name}`);
  return f;
}

describe('diffFindings', () => {
  it('opens new FAIL and UNKNOWN results as version 1 and ignores PASS, N/A and ERROR', () => {
    const d = diffFindings(
      [],
      scan([
        result({ name: 'a' }),
        result({ name: 'b', status: 'UNKNOWN' }),
        result({ name: 'c', status: 'PASS' }),
        result({ name: 'd', status: 'NOT_APPLICABLE' }),
      ]),
      T0,
    );
    expect(d.changes.map((c) => [c.kind, c.kind === 'refresh' ? '' : c.event, c.next.resource.name, c.next.state, c.next.version])).toEqual(
      [
        ['create', 'OPENED', 'a', 'OPEN', 1],
        ['create', 'OPENED', 'b', 'OPEN', 1],
      ],
    );
    const a = d.changes[0]!.next;
    expect(a.findingId).toBe(findingId(prod, 'workload.privileged', a.resource));
    expect(a.firstSeen).toBe(T0.startedAt);
    expect(a.scanId).toBe('scan-0');
  });

  it('writes nothing for an identical rescan', () => {
    const first = stored([], diffFindings([], scan([result({ name: 'a' }), result({ name: 'b' })]), T0).changes);
    const again = diffFindings(first, scan([result({ name: 'b' }), result({ name: 'a' })]), T1);
    expect(again.changes).toEqual([]);
    expect(again.unchanged).toHaveLength(2);
  });

  it('goes open → resolved → reopened, keeping firstSeen and bumping the version each time', () => {
    let s = stored([], diffFindings([], scan([result({ name: 'a' }), result({ name: 'keep' })]), T0).changes);
    const gone = diffFindings(s, scan([result({ name: 'keep' }), result({ name: 'a', status: 'PASS' })]), T1);
    expect(gone.changes).toHaveLength(1);
    expect(gone.changes[0]).toMatchObject({ kind: 'transition', event: 'RESOLVED' });
    s = stored(s, gone.changes);
    expect(byName(s, 'a')).toMatchObject({
      state: 'RESOLVED',
      version: 2,
      resolvedAt: T1.startedAt,
      scanId: 'scan-1',
      firstSeen: T0.startedAt,
    });

    const back = diffFindings(s, scan([result({ name: 'keep' }), result({ name: 'a' })]), T2);
    expect(back.changes.map((c) => (c.kind === 'refresh' ? 'refresh' : c.event))).toEqual(['REOPENED']);
    s = stored(s, back.changes);
    const a = byName(s, 'a');
    expect(a).toMatchObject({ state: 'OPEN', version: 3, firstSeen: T0.startedAt, lastSeen: T2.startedAt });
    expect(a.resolvedAt).toBeUndefined();
  });

  it('exempts and un-exempts as exemptions come and go, and opens a new exempted result as EXEMPTED', () => {
    let s = stored([], diffFindings([], scan([result({ name: 'a' }), result({ name: 'x', exempted: true })]), T0).changes);
    expect(byName(s, 'x')).toMatchObject({ state: 'EXEMPTED', version: 1 });
    const ex = diffFindings(s, scan([result({ name: 'a', exempted: true }), result({ name: 'x', exempted: true })]), T1);
    expect(ex.changes.map((c) => [c.next.resource.name, c.kind === 'refresh' ? '' : c.event])).toEqual([['a', 'EXEMPTED']]);
    s = stored(s, ex.changes);
    const un = diffFindings(s, scan([result({ name: 'a' }), result({ name: 'x', exempted: true })]), T2);
    expect(un.changes.map((c) => [c.next.resource.name, c.kind === 'refresh' ? '' : c.event, c.next.state, c.next.version])).toEqual([
      ['a', 'UNEXEMPTED', 'OPEN', 3],
    ]);
  });

  it('resolves an exempted finding that disappears', () => {
    const s = stored([], diffFindings([], scan([result({ name: 'x', exempted: true }), result({ name: 'y' })]), T0).changes);
    const d = diffFindings(s, scan([result({ name: 'y' })]), T1);
    expect(d.changes.map((c) => [c.next.resource.name, c.next.state])).toEqual([['x', 'RESOLVED']]);
  });

  it.each(['UNKNOWN', 'ERROR'] as const)('never resolves anything when the target scan was %s', (status) => {
    const s = stored([], diffFindings([], scan([result({ name: 'a' }), result({ name: 'b' })]), T0).changes);
    const d = diffFindings(s, scan([], status), T1);
    expect(d.changes).toEqual([]);
    expect(d.kept).toBe(2);
    expect(d.after.map((f) => f.state)).toEqual(['OPEN', 'OPEN']);
  });

  it('keeps findings of a control blind through a gap, but resolves the rest of the same scan', () => {
    const s = stored(
      [],
      diffFindings(
        [],
        scan([
          result({ name: 'a', control: 'workload.privileged', namespace: 'shop' }),
          result({ name: 'b', control: 'workload.privileged', namespace: 'pay' }),
          result({ name: 'c', control: 'workload.host-pid', namespace: 'shop' }),
        ]),
        T0,
      ).changes,
    );
    // Deployments in `shop` were unreadable for workload.privileged; host-pid read everything.
    const d = diffFindings(
      s,
      scan(
        [
          gap('workload.privileged', 'Deployment', 'shop'),
          result({ name: 'z', control: 'workload.privileged', namespace: 'pay', status: 'PASS' }),
          result({ name: 'p', control: 'workload.host-pid', status: 'PASS' }),
        ],
        'PARTIAL',
      ),
      T1,
    );
    const resolved = d.changes
      .filter((c) => c.next.state === 'RESOLVED')
      .map((c) => c.next.resource.name)
      .sort();
    expect(resolved).toEqual(['b', 'c']);
    expect(d.kept).toBe(1); // a: privileged in the blind namespace
    expect(d.blind).toEqual([{ controlId: 'workload.privileged', namespace: 'shop' }]);
  });

  it('treats a cluster-wide gap as blind for the whole control, and a control that threw as blind', () => {
    const s = stored(
      [],
      diffFindings(
        [],
        scan([
          result({ name: 'a', control: 'workload.privileged' }),
          result({ name: 'b', control: 'workload.host-pid' }),
          result({ name: 'c', control: 'workload.host-ipc' }),
        ]),
        T0,
      ).changes,
    );
    const errored: Result = {
      ...result({ name: 'workload.host-pid', control: 'workload.host-pid', status: 'ERROR' }),
      resource: { apiVersion: 'hardline.dev/v1', kind: 'Control', name: 'workload.host-pid' },
    };
    const d = diffFindings(
      s,
      scan(
        [gap('workload.privileged', 'Deployment'), errored, result({ name: 'q', control: 'workload.host-ipc', status: 'PASS' })],
        'PARTIAL',
      ),
      T1,
    );
    expect(d.changes.map((c) => [c.next.resource.name, c.next.state])).toEqual([
      ['Deployment', 'OPEN'], // the gap itself is a finding (UNKNOWN)
      ['c', 'RESOLVED'],
    ]);
    expect(d.kept).toBe(2);
  });

  it('resolves a gap finding once its source is readable again, even if the control has another gap', () => {
    const s = stored([], diffFindings([], scan([gap('rbac.wildcard', 'ClusterRole')], 'PARTIAL'), T0).changes);
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ status: 'UNKNOWN', state: 'OPEN' });
    const d = diffFindings(s, scan([gap('rbac.wildcard', 'Role', 'shop')], 'PARTIAL'), T1);
    expect(d.changes.map((c) => [c.next.resource.name, c.next.state])).toEqual([
      ['Role', 'OPEN'],
      ['ClusterRole', 'RESOLVED'],
    ]);
  });

  it('does not resolve findings of controls that did not run (narrowed scan)', () => {
    const s = stored(
      [],
      diffFindings(
        [],
        scan([result({ name: 'a', control: 'workload.privileged' }), result({ name: 'b', control: 'workload.host-pid' })]),
        T0,
      ).changes,
    );
    // Without an explicit list: host-pid produced no result → it did not run.
    const implicit = diffFindings(s, scan([result({ name: 'other', control: 'workload.privileged', status: 'PASS' })]), T1);
    expect(implicit.changes.map((c) => c.next.resource.name)).toEqual(['a']);
    // With the explicit list, a control that ran and found nothing resolves its findings.
    const explicit = diffFindings(s, scan([], 'OK', { evaluatedControls: new Set(['workload.privileged', 'workload.host-pid']) }), T1);
    expect(explicit.changes.map((c) => c.next.resource.name).sort()).toEqual(['a', 'b']);
  });

  it('refreshes content (message, severity) without a new version or event', () => {
    const s = stored([], diffFindings([], scan([result({ name: 'a', severity: 'high' })]), T0).changes);
    const d = diffFindings(s, scan([result({ name: 'a', severity: 'critical', message: 'now worse' })]), T1);
    expect(d.changes).toHaveLength(1);
    expect(d.changes[0]).toMatchObject({
      kind: 'refresh',
      next: { version: 1, severity: 'critical', message: 'now worse', state: 'OPEN', firstSeen: T0.startedAt },
    });
  });

  it('collapses duplicate results of one resource into one finding, a FAIL winning over an UNKNOWN', () => {
    const d = diffFindings(
      [],
      scan([result({ name: 'a', status: 'UNKNOWN' }), result({ name: 'a', message: 'the fail' }), result({ name: 'a', message: 'dup' })]),
      T0,
    );
    expect(d.changes).toHaveLength(1);
    expect(d.changes[0]!.next).toMatchObject({ status: 'FAIL', message: 'the fail' });
  });

  it('gives a resolved finding the last time the target was seen before it vanished', () => {
    const s = stored([], diffFindings([], scan([result({ name: 'a' })]), T0).changes);
    const d = diffFindings(s, scan([result({ name: 'b' })], 'OK', { previousSeenAt: '2026-11-01T12:00:00.000Z' }), T1);
    expect(d.changes.find((c) => c.next.resource.name === 'a')!.next.lastSeen).toBe('2026-11-01T12:00:00.000Z');
  });
});

describe('diffFindings with input that failed to load (a PARTIAL manifests target)', () => {
  const base = () =>
    stored(
      [],
      diffFindings(
        [],
        scan([
          result({ name: 'in-broken-file' }),
          result({ name: 'fixed' }),
          result({ name: 'deleted' }),
          result({ name: 'sidecar', container: 'proxy' }),
        ]),
        T0,
      ).changes,
    );

  it('resolves nothing by absence: a finding whose resource was not read stays open', () => {
    const d = diffFindings(
      base(),
      scan([result({ name: 'fixed', status: 'PASS' }), result({ name: 'sidecar', status: 'PASS' })], 'PARTIAL', { inputIncomplete: true }),
      T1,
    );
    const resolved = d.changes.filter((c) => c.kind === 'transition' && c.event === 'RESOLVED').map((c) => c.next.resource.name);
    // `fixed` was read and passes; `sidecar` was read and its container no longer fails.
    expect(resolved.sort()).toEqual(['fixed', 'sidecar']);
    // `in-broken-file` and `deleted` were not read: nothing proves them gone.
    expect(d.kept).toBe(2);
  });

  it('resolves the same absences when the input was complete', () => {
    const d = diffFindings(base(), scan([result({ name: 'fixed', status: 'PASS' })], 'OK'), T1);
    expect(d.changes.filter((c) => c.kind === 'transition' && c.event === 'RESOLVED')).toHaveLength(4);
  });

  it('still opens what is newly found in the readable part', () => {
    const d = diffFindings(base(), scan([result({ name: 'new-one' })], 'PARTIAL', { inputIncomplete: true }), T1);
    expect(d.changes.map((c) => (c.kind === 'refresh' ? 'refresh' : `${c.event} ${c.next.resource.name}`))).toEqual(['OPENED new-one']);
    expect(d.kept).toBe(4);
  });
});

describe('blindScopes', () => {
  it('lists each control/namespace once', () => {
    expect(
      blindScopes(ResultSet.of([gap('c1', 'Pod', 'a'), gap('c1', 'Pod', 'a'), gap('c1', 'Deployment'), result({ name: 'x' })])),
    ).toEqual([{ controlId: 'c1', namespace: 'a' }, { controlId: 'c1' }]);
  });
});
