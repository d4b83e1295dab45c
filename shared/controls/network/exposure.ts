import type { ResourceRef } from '../../core/types.js';
import type { InventoryIndex } from '../../inventory/indexed.js';
import { namespaceOf } from '../../inventory/indexed.js';
import { apiGroupOf, describeObject, labelsOf, nameOf, objectRef } from '../../inventory/objects.js';
import { asRecord, asRecords, asString, asStrings, getPath } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import { clusterRef } from '../refs.js';
import type { CheckContext, Judge, Outcome } from '../types.js';
import { ALL_PROXY_IMAGES, describeWorkload, exposureIndex, proxyFronts, selectedWorkloads } from './exposure-index.js';
import { annotationsOf, type Reach, type ReachVerdict, serviceReach, sourceRestriction } from './load-balancer.js';
import { PROXY_IMAGES } from '../watched-workloads.js';

/** A way into the cluster from outside: a LoadBalancer Service, an Ingress or a Gateway, and how far it reaches. */
export interface EntryPoint extends ReachVerdict {
  object: KubeObject;
  ref: ResourceRef;
  /** `alb` when an AWS Application Load Balancer serves it (TLS is then set by annotations), `controller` for in-cluster proxies. */
  servedBy: 'service' | 'alb' | 'aws-gateway' | 'controller';
  /** The LoadBalancer Services of the in-cluster proxy (ingress-nginx, Istio, …) that carry its traffic. */
  fronts: KubeObject[];
  /** A Service in front of an ingress proxy or Gateway: what it serves is judged per Ingress or Gateway. */
  proxyFront?: boolean;
  /** Workloads or Services it sends traffic to. */
  reaches: string[];
}

/** Kinds the exposure model reads; Services and Ingresses must be readable for any verdict. */
const EXPOSURE_KINDS = [
  'Service',
  'Ingress',
  'IngressClass',
  'IngressClassParams',
  'Gateway',
  'GatewayClass',
  'HTTPRoute',
  'Deployment',
  'DaemonSet',
  'StatefulSet',
  'Pod',
] as const;

const ALB_CONTROLLERS = new Set(['ingress.k8s.aws/alb', 'eks.amazonaws.com/alb']);
const AWS_GATEWAY_CONTROLLERS = new Set(['gateway.k8s.aws/alb', 'gateway.k8s.aws/nlb']);
const LATTICE_CONTROLLER = 'application-networking.k8s.aws/gateway-api-controller';
const ALB = 'alb.ingress.kubernetes.io/';

/** Combines the reach of the LoadBalancer Services in front of a proxy: the widest known one wins. */
function throughFronts(fronts: readonly KubeObject[], what: string): ReachVerdict {
  const verdicts = fronts.map((s) => ({ s, v: serviceReach(s)! }));
  for (const reach of ['internet', 'unknown', 'restricted', 'internal'] as Reach[]) {
    const hit = verdicts.find(({ v }) => v.reach === reach);
    if (hit) return { reach, why: `${what} is reached through ${describeObject(hit.s)}: ${hit.v.why}` };
  }
  return {
    reach: 'unknown',
    why: `${what} is not behind a LoadBalancer Service in the inventory, so how it is reached from outside is not visible`,
  };
}

function ingressClassOf(ctx: CheckContext, ing: KubeObject): { name?: string; object?: KubeObject } {
  const name =
    asString(getPath(ing, 'spec', 'ingressClassName')) ??
    annotationsOf(ing)['kubernetes.io/ingress.class'] ??
    asString(
      ctx.index.byKind('IngressClass').find((c) => annotationsOf(c)['ingressclass.kubernetes.io/is-default-class'] === 'true')?.metadata
        ?.name,
    );
  if (name === undefined) return {};
  const object = ctx.index.find('IngressClass', '', name);
  return object ? { name, object } : { name };
}

/** An ALB's scheme: the class's IngressClassParams win; else any Ingress of its group saying internet-facing; default internal. */
function albReach(ctx: CheckContext, ing: KubeObject, cls: KubeObject | undefined): ReachVerdict {
  const params = asRecord(getPath(cls, 'spec', 'parameters'));
  let paramsSpec: Record<string, unknown> | undefined;
  if (params && asString(params['kind']) === 'IngressClassParams') {
    const wanted = asString(params['name']) ?? '';
    const found = ctx.index.byKind('IngressClassParams').find((p) => nameOf(p) === wanted);
    if (!found) {
      const unread = ctx.index.gaps('IngressClassParams').length > 0 ? 'could not be read' : 'is not in the inventory';
      return { reach: 'unknown', why: `its IngressClass takes the scheme from IngressClassParams ${wanted}, which ${unread}` };
    }
    paramsSpec = asRecord(found['spec']) ?? {};
  }
  const ann = annotationsOf(ing);
  const cidrs = [...asStrings(paramsSpec?.['inboundCIDRs']), ...(ann[`${ALB}inbound-cidrs`] ?? '').split(',')];
  const restricted = sourceRestriction(cidrs);
  const paramsScheme = asString(paramsSpec?.['scheme']);
  let scheme: ReachVerdict;
  if (paramsScheme !== undefined)
    scheme = { reach: paramsScheme === 'internet-facing' ? 'internet' : 'internal', why: `IngressClassParams scheme: ${paramsScheme}` };
  else {
    // An IngressGroup is one ALB: one member saying internet-facing makes all of them reachable.
    const group = ann[`${ALB}group.name`];
    const members = group ? ctx.index.byKind('Ingress').filter((i) => annotationsOf(i)[`${ALB}group.name`] === group) : [ing];
    const facing = members.find((i) => annotationsOf(i)[`${ALB}scheme`] === 'internet-facing');
    if (facing)
      scheme = {
        reach: 'internet',
        why: `${ALB}scheme: internet-facing${facing === ing ? '' : ` on ${describeObject(facing)} of the same IngressGroup ${group}`}`,
      };
    else scheme = { reach: 'internal', why: `no ${ALB}scheme: the AWS Load Balancer Controller defaults to internal` };
  }
  if (scheme.reach !== 'internet') return scheme;
  return restricted
    ? { reach: 'restricted', why: `${scheme.why}, reachable only from ${restricted}` }
    : { reach: 'internet', why: `${scheme.why}, open to any source address` };
}

function ingressBackends(ing: KubeObject): string[] {
  const spec = asRecord(ing['spec']) ?? {};
  const names = new Set<string>();
  const add = (backend: unknown) => {
    const n = asString(getPath(backend, 'service', 'name')) ?? asString(asRecord(backend)?.['serviceName']);
    if (n) names.add(`Service/${namespaceOf(ing)}/${n}`);
  };
  add(spec['defaultBackend'] ?? spec['backend']);
  for (const rule of asRecords(spec['rules'])) for (const p of asRecords(getPath(rule, 'http', 'paths'))) add(p['backend']);
  return [...names];
}

function ingressEntry(ctx: CheckContext, ing: KubeObject): EntryPoint {
  const base = { object: ing, ref: objectRef(ing), reaches: ingressBackends(ing) };
  const cls = ingressClassOf(ctx, ing);
  const controller = asString(getPath(cls.object, 'spec', 'controller')) ?? (cls.name === 'alb' ? 'ingress.k8s.aws/alb' : undefined);
  if (controller !== undefined && ALB_CONTROLLERS.has(controller))
    return { ...base, servedBy: 'alb', fronts: [], ...albReach(ctx, ing, cls.object) };
  // Other classes are served by an in-cluster proxy, exposed through its own LoadBalancer Service.
  const known = controller ?? cls.name ?? '';
  let patterns = 0;
  for (let i = 0; i < PROXY_IMAGES.length; i++) if (PROXY_IMAGES[i]![0].test(known)) patterns |= 1 << i;
  const { workloads, fronts } = proxyFronts(ctx, patterns !== 0 ? patterns : ALL_PROXY_IMAGES);
  const what = cls.name ? `ingress class ${cls.name}${controller ? ` (${controller})` : ''}` : 'an Ingress without a class';
  if (workloads.length === 0)
    return {
      ...base,
      servedBy: 'controller',
      fronts,
      reach: 'unknown',
      why: `no controller for ${what} runs in the inventory, so its exposure cannot be judged`,
    };
  return { ...base, servedBy: 'controller', fronts, ...throughFronts(fronts, `the controller for ${what}`) };
}

/** HTTPRoutes attached to a Gateway (optionally to one of its listeners). */
export function attachedRoutes(ctx: CheckContext, gw: KubeObject, listener?: Record<string, unknown>): KubeObject[] {
  const name = nameOf(gw);
  const ns = namespaceOf(gw);
  return ctx.index.byKind('HTTPRoute').filter((route) =>
    asRecords(getPath(route, 'spec', 'parentRefs')).some((p) => {
      if ((asString(p['kind']) ?? 'Gateway') !== 'Gateway' || asString(p['name']) !== name) return false;
      if ((asString(p['namespace']) ?? namespaceOf(route)) !== ns) return false;
      if (!listener) return true;
      const section = asString(p['sectionName']);
      const port = p['port'];
      return (section === undefined || section === asString(listener['name'])) && (port === undefined || port === listener['port']);
    }),
  );
}

function gatewayEntry(ctx: CheckContext, gw: KubeObject): EntryPoint {
  const routes = attachedRoutes(ctx, gw);
  const reaches = [
    ...new Set(
      routes.flatMap((r) =>
        asRecords(getPath(r, 'spec', 'rules')).flatMap((rule) =>
          asRecords(rule['backendRefs']).map((b) => `Service/${asString(b['namespace']) ?? namespaceOf(r)}/${asString(b['name']) ?? '?'}`),
        ),
      ),
    ),
  ];
  const base = { object: gw, ref: objectRef(gw), reaches };
  const className = asString(getPath(gw, 'spec', 'gatewayClassName')) ?? '';
  const cls = ctx.index.find('GatewayClass', '', className);
  const controller = asString(getPath(cls, 'spec', 'controllerName'));
  if (controller !== undefined && AWS_GATEWAY_CONTROLLERS.has(controller)) {
    const params = getPath(gw, 'spec', 'infrastructure', 'parametersRef') ?? getPath(cls, 'spec', 'parametersRef');
    if (params !== undefined)
      return {
        ...base,
        servedBy: 'aws-gateway',
        fronts: [],
        reach: 'unknown',
        why: `${controller} takes the scheme from its LoadBalancerConfiguration, which hardline does not read`,
      };
    return {
      ...base,
      servedBy: 'aws-gateway',
      fronts: [],
      reach: 'internal',
      why: `${controller} without a LoadBalancerConfiguration defaults to internal`,
    };
  }
  if (controller === LATTICE_CONTROLLER)
    return {
      ...base,
      servedBy: 'aws-gateway',
      fronts: [],
      reach: 'internal',
      why: 'Amazon VPC Lattice service networks are reachable from associated VPCs only',
    };
  // Gateway implementations (Istio, Envoy Gateway, Cilium, NGINX Gateway Fabric, …) create a Service per Gateway.
  const fronts = exposureIndex(ctx.index)
    .loadBalancers.map(({ svc }) => svc)
    .filter((s) => {
      const labels = labelsOf(s.metadata?.labels);
      if (labels['gateway.networking.k8s.io/gateway-name'] === nameOf(gw) && namespaceOf(s) === namespaceOf(gw)) return true;
      return (
        labels['gateway.envoyproxy.io/owning-gateway-name'] === nameOf(gw) &&
        labels['gateway.envoyproxy.io/owning-gateway-namespace'] === namespaceOf(gw)
      );
    });
  const what = `the proxy of Gateway class ${className || '(none)'}${controller ? ` (${controller})` : ''}`;
  if (fronts.length === 0)
    return {
      ...base,
      servedBy: 'controller',
      fronts,
      reach: 'unknown',
      why: `${what}: no Service generated for this Gateway is in the inventory, so its exposure cannot be judged`,
    };
  return { ...base, servedBy: 'controller', fronts, ...throughFronts(fronts, what) };
}

const cache = new WeakMap<InventoryIndex, EntryPoint[]>();

/** Every LoadBalancer Service, Ingress and Gateway (gateway.networking.k8s.io) of the inventory, with its reach. */
export function entryPoints(ctx: CheckContext): EntryPoint[] {
  let list = cache.get(ctx.index);
  if (!list) {
    list = [];
    const entries: EntryPoint[] = [];
    for (const ing of ctx.index.byKind('Ingress')) entries.push(ingressEntry(ctx, ing));
    for (const gw of ctx.index.byKind('Gateway').filter((g) => apiGroupOf(g) === 'gateway.networking.k8s.io'))
      entries.push(gatewayEntry(ctx, gw));
    const fronts = new Set(entries.flatMap((e) => e.fronts));
    const proxies = proxyFronts(ctx, ALL_PROXY_IMAGES).fronts;
    for (const { svc, reach: verdict } of exposureIndex(ctx.index).loadBalancers) {
      const reaches = selectedWorkloads(ctx.index, svc).map(describeWorkload);
      const proxyFront = fronts.has(svc) || proxies.includes(svc);
      list.push({
        object: svc,
        ref: objectRef(svc),
        servedBy: 'service',
        fronts: [],
        reaches,
        ...(proxyFront ? { proxyFront } : {}),
        ...verdict,
      });
    }
    list.push(...entries);
    cache.set(ctx.index, list);
  }
  return list;
}

/**
 * The judge of the exposure controls: one verdict per entry point, NOT_APPLICABLE when there is none.
 * Without the Service or Ingress lists "nothing is exposed" would be a false PASS, so they are required.
 */
export function judgeEntryPoints(verdict: (e: EntryPoint, ctx: CheckContext) => Outcome): Judge {
  return {
    reads: EXPOSURE_KINDS,
    requires: ['Service', 'Ingress'],
    check(ctx): Outcome[] {
      const entries = entryPoints(ctx);
      if (entries.length === 0)
        return [ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), 'no LoadBalancer Service, Ingress or Gateway in the inventory')];
      return entries.map((e) => verdict(e, ctx));
    },
  };
}
