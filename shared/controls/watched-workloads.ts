import type { InventoryIndex } from '../inventory/indexed.js';
import { asString } from '../inventory/read.js';
import type { Workload } from '../inventory/workloads.js';

/** In-cluster ingress proxies: IngressClass controller names and the images their pods run. */
export const PROXY_IMAGES: [controller: RegExp, image: RegExp][] = [
  [/ingress-nginx/, /ingress-nginx\/controller|nginx-ingress-controller/],
  [/nginx\.org/, /nginx\/nginx(-plus)?-ingress/],
  [/traefik/, /traefik/],
  [/haproxy/, /haproxy/],
  [/kong/, /kong/],
  [/contour/, /envoyproxy\/envoy/],
  [/istio/, /istio\/proxyv2|proxyv2/],
];

/**
 * The kubernetes/ingress-nginx controller image under its registries and mirrors:
 * registry.k8s.io/ingress-nginx/controller, k8s.gcr.io/ingress-nginx/controller (and -chroot),
 * the pre-1.0 quay.io/kubernetes-ingress-controller/nginx-ingress-controller. Not F5's NGINX Ingress
 * Controller (nginx/nginx-ingress), a different project.
 */
export const INGRESS_NGINX_IMAGE =
  /(^|\/)(ingress-nginx\/controller(-chroot)?|kubernetes-ingress-controller\/nginx-ingress-controller)([:@]|$)/;

/** The dashboard UI image (v2 single image, v7 web/api/auth split), not its metrics scraper. */
export const DASHBOARD_IMAGE = /kubernetesui\/dashboard(?!-metrics-scraper)/;

/** metrics-server, by its workload's name or any image naming it (cluster.metrics-server). */
export const METRICS_SERVER = 'metrics-server';

/** Any image the network, dashboard and cluster controls recognise: matches exactly when one of the patterns above does. */
const WATCHED_IMAGE = new RegExp(
  [...PROXY_IMAGES.map(([, image]) => image), INGRESS_NGINX_IMAGE, DASHBOARD_IMAGE, new RegExp(METRICS_SERVER)]
    .map((r) => r.source)
    .join('|'),
);
/** The dashboard is also recognised by its workload's name, whatever the image. */
const WATCHED_NAME = 'kubernetes-dashboard';

const watched = new WeakMap<InventoryIndex, Workload[]>();

/**
 * Workloads, in inventory order, that run a recognised image or are named like the dashboard or
 * metrics-server: found in one pass over every container per index instead of one per control.
 * Each control still tests its own pattern on what this returns.
 */
export function watchedWorkloads(index: InventoryIndex): readonly Workload[] {
  let list = watched.get(index);
  if (list) return list;
  list = [];
  const workloads = index.workloads();
  for (let i = 0; i < workloads.length; i++) {
    const w = workloads[i]!;
    let hit = w.name.includes(WATCHED_NAME) || w.name === METRICS_SERVER;
    for (let c = 0; !hit && c < w.containers.length; c++) hit = WATCHED_IMAGE.test(asString(w.containers[c]!.spec['image']) ?? '');
    if (hit) list.push(w);
  }
  watched.set(index, list);
  return list;
}
