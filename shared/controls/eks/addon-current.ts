import { compareAddonVersions } from '../../inventory/eks.js';
import { asRecord, asRecords, asString, asStrings } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { clusterRef, judgeEksCluster, eksRef } from './cluster.js';

export const addonCurrent = defineControl(
  {
    id: 'eks.addon-current',
    title: "EKS add-ons must run a version current for the cluster's Kubernetes version",
    severity: 'low',
    category: 'Upgrades',
    scope: 'eks',
    frameworks: { nsa: 'Upgrading and application security practices' },
    rationale:
      'vpc-cni, kube-proxy, coredns and friends run privileged on every node; their fixes ship as new add-on versions. An add-on is ' +
      "current when DescribeAddonVersions lists its version as compatible with the cluster's Kubernetes version and it is not older " +
      'than the version EKS marks as default for it; newer releases beyond the default are reported, not required.',
    remediation:
      'aws eks update-addon --cluster-name <cluster> --addon-name <addon> --addon-version <default or latest compatible version>',
  },
  judgeEksCluster({ reads: ['eks:addons'] }, function* ({ ctx }) {
    const list = ctx.inventory.eks?.addons;
    if (!Array.isArray(list)) {
      if (ctx.index.gaps('eks:addons').length === 0) yield ctx.outcome('UNKNOWN', clusterRef(ctx), 'add-ons were not collected');
      return;
    }
    const addons = asRecords(list);
    if (addons.length === 0) {
      yield ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), 'the cluster has no EKS-managed add-ons');
      return;
    }
    for (const addon of addons) {
      const name = asString(addon['addonName']) ?? '(unnamed)';
      const ref = eksRef('Addon', name);
      const installed = asString(addon['addonVersion']);
      const versions = asRecord(addon['versions']);
      if (!installed || !versions) {
        yield ctx.outcome(
          'UNKNOWN',
          ref,
          `the ${installed ? 'available versions' : 'installed version'} of add-on ${name} could not be read`,
        );
        continue;
      }
      const compatible = asStrings(versions['compatible']);
      const def = asString(versions['default']);
      const latest = asString(versions['latest']);
      const k8s = asString(versions['clusterVersion']);
      const evidence = { installed, default: def, latest, clusterVersion: k8s };
      if (!compatible.includes(installed)) {
        yield ctx.outcome(
          'FAIL',
          ref,
          `add-on ${name} ${installed} is not listed as compatible with Kubernetes ${k8s ?? '?'}${def ? ` (default: ${def})` : ''}`,
          evidence,
        );
        continue;
      }
      if (def && compareAddonVersions(installed, def) < 0) {
        yield ctx.outcome('FAIL', ref, `add-on ${name} ${installed} is older than the default version ${def}`, evidence);
        continue;
      }
      const newer = latest && compareAddonVersions(installed, latest) < 0 ? ` (${latest} is available)` : '';
      yield ctx.outcome('PASS', ref, `add-on ${name} ${installed} is current${newer}`, evidence);
    }
  }),
);
