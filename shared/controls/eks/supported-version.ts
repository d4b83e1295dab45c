import { asString } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { judgeEksCluster } from './cluster.js';
import { EKS_VERSION_SUPPORT, EKS_VERSIONS_CHECKED, endInstant, supportPhase, type EksVersionSupport } from './versions.js';

const DAY_MS = 86_400_000;

export const supportedVersion = defineControl(
  {
    id: 'eks.supported-version',
    title: 'The cluster must run a Kubernetes version in EKS standard support',
    severity: 'high',
    category: 'Upgrades',
    scope: 'eks',
    frameworks: { nsa: 'Upgrading and application security practices', kubescape: ['C-0273'], securityHub: ['EKS.2'] },
    rationale:
      'Upstream Kubernetes stops fixing a minor version about 14 months after release; EKS extended support buys 12 more months ' +
      'of patches at a premium and then upgrades the cluster by force. A version in extended support is a deadline already missed ' +
      'and fails; a version past extended support fails as unsupported. Dates come from eks:DescribeClusterVersions when the scan ' +
      `could read it, else from a maintained table (last checked ${EKS_VERSIONS_CHECKED}); a version newer than the table is treated as ` +
      'supported and says so.',
    remediation:
      'Upgrade the control plane (aws eks update-cluster-version --name <cluster> --kubernetes-version <next>), then nodegroups and add-ons.',
  },
  judgeEksCluster({}, function* ({ ctx, cluster, ref }) {
    const version = asString(cluster['version']);
    if (!version) {
      yield ctx.outcome('UNKNOWN', ref, 'DescribeCluster data has no Kubernetes version');
      return;
    }
    const live = ctx.inventory.eks?.clusterVersions;
    const fromApi = Array.isArray(live) && live.length > 0;
    const table: readonly EksVersionSupport[] = fromApi ? live : EKS_VERSION_SUPPORT;
    const source = fromApi ? 'eks:DescribeClusterVersions' : `table checked ${EKS_VERSIONS_CHECKED}`;
    const verdict = supportPhase(version, ctx.now, table);
    if (!verdict) {
      yield ctx.outcome('UNKNOWN', ref, `cannot read Kubernetes version '${version}'`);
      return;
    }
    const e = verdict.entry;
    const evidence = {
      version,
      supportPhase: verdict.phase,
      endOfStandardSupport: e?.endOfStandardSupport,
      endOfExtendedSupport: e?.endOfExtendedSupport,
      datesFrom: source,
    };
    switch (verdict.phase) {
      case 'standard': {
        const days = Math.ceil((endInstant(e!.endOfStandardSupport) - ctx.now.getTime()) / DAY_MS);
        yield ctx.outcome(
          'PASS',
          ref,
          `Kubernetes ${version} is in standard support until ${e!.endOfStandardSupport} (${days} days left)`,
          evidence,
        );
        return;
      }
      case 'newer-than-table':
        yield ctx.outcome(
          'PASS',
          ref,
          `Kubernetes ${version} is newer than the versions EKS lists (${source}): treated as supported`,
          evidence,
        );
        return;
      case 'extended':
        yield ctx.outcome(
          'FAIL',
          ref,
          `Kubernetes ${version} left standard support on ${e!.endOfStandardSupport}; extended support ends ${e!.endOfExtendedSupport}`,
          evidence,
        );
        return;
      case 'ended':
        yield ctx.outcome(
          'FAIL',
          ref,
          e
            ? `Kubernetes ${version} is unsupported: extended support ended on ${e.endOfExtendedSupport}`
            : `Kubernetes ${version} is older than every version EKS still supports`,
          evidence,
        );
        return;
    }
  }),
);
