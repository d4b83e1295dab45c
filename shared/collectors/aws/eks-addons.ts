import { DescribeAddonCommand, paginateDescribeAddonVersions, paginateListAddons, type EKSClient } from '@aws-sdk/client-eks';
import { mapLimit } from '../../core/concurrency.js';
import { compareAddonVersions, type EksAddon } from '../../inventory/eks.js';
import type { Gap } from '../../inventory/types.js';
import { gapFrom } from './errors.js';
import { toJsonRecord } from './json.js';

export type AddonVersions = NonNullable<EksAddon['versions']>;
/** DescribeAddonVersions answers are the same for every cluster of a Kubernetes version: share them across clusters. */
export type AddonVersionCache = Map<string, Promise<AddonVersions>>;

export interface AddonsResult {
  addons?: EksAddon[];
  gaps: Gap[];
}

export async function collectAddons(
  eks: EKSClient,
  clusterName: string,
  kubernetesVersion: string | undefined,
  concurrency: number,
  cache: AddonVersionCache = new Map(),
): Promise<AddonsResult> {
  const gaps: Gap[] = [];
  const names: string[] = [];
  try {
    for await (const page of paginateListAddons({ client: eks }, { clusterName })) names.push(...(page.addons ?? []));
  } catch (e) {
    return { gaps: [gapFrom('eks:addons', e, `ListAddons ${clusterName}`)] };
  }
  const addons = await mapLimit(names, concurrency, async (addonName): Promise<EksAddon | undefined> => {
    let addon: EksAddon;
    try {
      const out = await eks.send(new DescribeAddonCommand({ clusterName, addonName }));
      addon = { ...toJsonRecord(out.addon ?? {}), addonName };
    } catch (e) {
      gaps.push(gapFrom('eks:addons', e, `DescribeAddon ${clusterName}/${addonName}`));
      return undefined;
    }
    if (!kubernetesVersion) return addon;
    const key = `${addonName}\u0000${kubernetesVersion}`;
    let pending = cache.get(key);
    if (!pending) {
      pending = describeAddonVersions(eks, addonName, kubernetesVersion);
      cache.set(key, pending);
      // A failed lookup must not be cached for the other clusters: they retry on their own.
      pending.catch(() => cache.delete(key));
    }
    try {
      addon.versions = await pending;
    } catch (e) {
      gaps.push(gapFrom('eks:addons', e, `DescribeAddonVersions ${addonName} for Kubernetes ${kubernetesVersion}`));
    }
    return addon;
  });
  return { addons: addons.filter((a): a is EksAddon => a !== undefined), gaps };
}

async function describeAddonVersions(eks: EKSClient, addonName: string, kubernetesVersion: string): Promise<AddonVersions> {
  const compatible: string[] = [];
  let defaultVersion: string | undefined;
  for await (const page of paginateDescribeAddonVersions({ client: eks }, { addonName, kubernetesVersion })) {
    for (const info of page.addons ?? []) {
      if (info.addonName && info.addonName !== addonName) continue;
      for (const v of info.addonVersions ?? []) {
        if (!v.addonVersion) continue;
        const compat = (v.compatibilities ?? []).find((c) => c.clusterVersion === kubernetesVersion);
        if (!compat) continue;
        compatible.push(v.addonVersion);
        if (compat.defaultVersion) defaultVersion = v.addonVersion;
      }
    }
  }
  compatible.sort((a, b) => compareAddonVersions(b, a));
  const out: AddonVersions = { clusterVersion: kubernetesVersion, compatible };
  if (defaultVersion) out.default = defaultVersion;
  if (compatible[0]) out.latest = compatible[0];
  return out;
}
