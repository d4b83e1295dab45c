import type { InventoryIndex } from '../../inventory/indexed.js';
import { namespaceOf } from '../../inventory/indexed.js';
import { labelsOf } from '../../inventory/objects.js';
import { asString, getPath } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import type { Workload } from '../../inventory/workloads.js';
import { selectsLabels } from '../../policy/selectors.js';
import type { CheckContext } from '../types.js';
import { type ReachVerdict, serviceReach } from './load-balancer.js';
import { PROXY_IMAGES, watchedWorkloads } from '../watched-workloads.js';

export const ALL_PROXY_IMAGES = (1 << PROXY_IMAGES.length) - 1;

/**
 * What the exposure model reads of the whole inventory, worked out once per index rather than per
 * Ingress, Gateway or Service (each of which used to rescan every workload or Service).
 */
interface ExposureIndex {
  /** Workloads running a proxy image, with a bit per PROXY_IMAGES entry one of their images matches. */
  proxies: { workload: Workload; patterns: number }[];
  /** Services of type LoadBalancer and their reach, in inventory order. */
  loadBalancers: { svc: KubeObject; reach: ReachVerdict }[];
}

const indexes = new WeakMap<InventoryIndex, ExposureIndex>();

export function exposureIndex(index: InventoryIndex): ExposureIndex {
  let found = indexes.get(index);
  if (found) return found;
  const proxies: ExposureIndex['proxies'] = [];
  for (const w of watchedWorkloads(index)) {
    let patterns = 0;
    for (const c of w.containers) {
      const image = asString(c.spec['image']) ?? '';
      for (let i = 0; i < PROXY_IMAGES.length; i++) if (PROXY_IMAGES[i]![1].test(image)) patterns |= 1 << i;
    }
    if (patterns !== 0) proxies.push({ workload: w, patterns });
  }
  const loadBalancers: ExposureIndex['loadBalancers'] = [];
  const services = index.byKind('Service');
  for (let i = 0; i < services.length; i++) {
    const svc = services[i]!;
    const reach = serviceReach(svc);
    if (reach) loadBalancers.push({ svc, reach });
  }
  indexes.set(index, (found = { proxies, loadBalancers }));
  return found;
}

/** Workloads a Service selects (same namespace, plain label selector). */
export function selectedWorkloads(index: InventoryIndex, svc: KubeObject): Workload[] {
  const selector = labelsOf(getPath(svc, 'spec', 'selector'));
  return index.workloadsIn(namespaceOf(svc)).filter((w) => selectsLabels(selector, labelsOf(w.podMeta.labels)));
}

export const describeWorkload = (w: Workload) => `${w.kind}/${w.namespace}/${w.name}`;

/** LoadBalancer Services selecting pods of an in-cluster proxy whose image matches one of the patterns (bits of PROXY_IMAGES). */
export function proxyFronts(ctx: CheckContext, patterns: number): { workloads: Workload[]; fronts: KubeObject[] } {
  const { proxies, loadBalancers } = exposureIndex(ctx.index);
  const workloads = proxies.filter((p) => (p.patterns & patterns) !== 0).map((p) => p.workload);
  if (workloads.length === 0) return { workloads, fronts: [] };
  const keys = new Set(workloads.map(describeWorkload));
  const fronts = loadBalancers
    .filter(({ svc }) => selectedWorkloads(ctx.index, svc).some((w) => keys.has(describeWorkload(w))))
    .map(({ svc }) => svc);
  return { workloads, fronts };
}
