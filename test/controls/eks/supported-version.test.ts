import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EKS_VERSION_SUPPORT, supportPhase } from '../../../shared/controls/eks/versions.js';
import { SHARED_DIR } from '../../support/paths.js';
import { hasShared } from '../../support/requirements.js';
import { clusterInventory, run } from './helpers.js';

const cluster = (version: string) => clusterInventory({ eks: { cluster: { name: 'prod', version } } });
const status = (version: string, now: string) => run('eks.supported-version', cluster(version), new Date(now))[0]!;

describe('eks.supported-version', () => {
  it('judges by the scan clock (ctx.now): the last day of standard support still passes, the day after fails', () => {
    expect(status('1.34', '2026-12-02T23:59:59Z').status).toBe('PASS');
    expect(status('1.34', '2026-12-03T00:00:00Z')).toMatchObject({ status: 'FAIL', evidence: { supportPhase: 'extended' } });
    expect(status('1.34', '2027-12-03T00:00:00Z')).toMatchObject({ status: 'FAIL', evidence: { supportPhase: 'ended' } });
  });

  it('reads patch and v-prefixed versions, treats unknown newer versions as supported and older ones as ended', () => {
    expect(supportPhase('v1.35.2', new Date('2026-11-30T00:00:00Z'))?.phase).toBe('standard');
    expect(status('1.40', '2026-11-30T00:00:00Z')).toMatchObject({
      status: 'PASS',
      message: expect.stringContaining('newer than the versions EKS lists (table checked'),
    });
    expect(status('1.20', '2026-11-30T00:00:00Z')).toMatchObject({ status: 'FAIL', evidence: { supportPhase: 'ended' } });
    expect(status('2.0', '2026-11-30T00:00:00Z').status).toBe('PASS');
    expect(status('latest', '2026-11-30T00:00:00Z').status).toBe('UNKNOWN');
  });

  it('judges by the dates DescribeClusterVersions gave when the scan collected them, and says where the dates came from', () => {
    // AWS moved the end of standard support of 1.34 by a week: the live answer wins over the table.
    const live = clusterInventory({
      eks: {
        cluster: { name: 'prod', version: '1.34' },
        clusterVersions: [
          { version: '1.36', release: '2026-05-20', endOfStandardSupport: '2027-07-20', endOfExtendedSupport: '2028-07-20' },
          { version: '1.34', release: '2025-10-06', endOfStandardSupport: '2026-12-09', endOfExtendedSupport: '2027-12-09' },
        ],
      },
    });
    const at = new Date('2026-12-05T00:00:00Z');
    expect(run('eks.supported-version', live, at)[0]).toMatchObject({
      status: 'PASS',
      evidence: { endOfStandardSupport: '2026-12-09', datesFrom: 'eks:DescribeClusterVersions' },
    });
    expect(status('1.34', '2026-12-05T00:00:00Z')).toMatchObject({
      status: 'FAIL',
      evidence: { datesFrom: expect.stringMatching(/^table checked \d{4}-\d{2}-\d{2}$/) },
    });
    // 1.36 is not in the table but EKS lists it: judged, not "newer than the table".
    const newer = clusterInventory({ eks: { cluster: { name: 'prod', version: '1.36' }, clusterVersions: live.eks!.clusterVersions! } });
    expect(run('eks.supported-version', newer, at)[0]).toMatchObject({
      status: 'PASS',
      evidence: { supportPhase: 'standard', endOfStandardSupport: '2027-07-20' },
    });
  });

  it('keeps the table consistent: 14 months of standard support and 12 of extended support after release', () => {
    for (const v of EKS_VERSION_SUPPORT) {
      const months = (a: string, b: string) =>
        (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
      expect(months(v.release, v.endOfStandardSupport), v.version).toBeGreaterThanOrEqual(13);
      expect(months(v.release, v.endOfStandardSupport), v.version).toBeLessThanOrEqual(15);
      expect(months(v.endOfStandardSupport, v.endOfExtendedSupport), v.version).toBe(12);
    }
  });

  it.skipIf(!hasShared('data/eks-kubernetes-versions.md', 'the published EKS version dates'))(
    'matches the published dates in ../shared/data/eks-kubernetes-versions.md',
    () => {
      const rows = readFileSync(`${SHARED_DIR}data/eks-kubernetes-versions.md`, 'utf8')
        .split('\n')
        .map((l) => /^\|\s*(\d+\.\d+)\s*\|\s*([\d-]+)\s*\|\s*([\d-]+)\s*\|\s*([\d-]+)\s*\|/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ version: m[1], release: m[2], endOfStandardSupport: m[3], endOfExtendedSupport: m[4] }));
      expect(rows.length).toBeGreaterThan(0);
      expect([...EKS_VERSION_SUPPORT]).toEqual(rows);
    },
  );
});
