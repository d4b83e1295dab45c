import { asNumber, asRecords, asString } from '../../inventory/read.js';
import { mapLookup, podLookup, type LabelLookup } from '../selectors.js';

/**
 * The common model every CNI's policies are compiled into. Questions are asked per endpoint
 * (a namespace's "any pod", or a workload's pods with known labels), per direction, per traffic.
 */
export type Direction = 'ingress' | 'egress';

export interface Endpoint {
  namespace: string;
  /** Namespace labels, `kubernetes.io/metadata.name` included. */
  nsLabels: Record<string, string>;
  /** Pod labels; undefined = any pod of the namespace (pod-label selectors are then unknown). */
  podLabels?: Record<string, string>;
  serviceAccount?: string;
}

/**
 * Who a rule talks to. Only what decides "all traffic" or "this IP" is kept exact; everything
 * narrower (some pods, FQDNs, services, node entities) is `partial`.
 */
export type Peer =
  | { kind: 'any' }
  | { kind: 'cidr'; cidr: string; except: string[] }
  /** Everything outside the cluster (Cilium `world`). */
  | { kind: 'world' }
  /** Every pod of every namespace. */
  | { kind: 'cluster' }
  | { kind: 'partial' };

export interface PortSpec {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

export type RuleAction = 'allow' | 'deny' | 'pass';

export interface NetRule {
  action: RuleAction;
  /** Ored peers; an empty list matches nothing (a Cilium `{}` rule). */
  peers: Peer[];
  /** undefined = every port and protocol. */
  ports?: PortSpec[];
  /** `ClusterNetworkPolicy/default-deny ingress[0] (drop-all-ingress)`: evidence, never values. */
  source: string;
}

/** One question about traffic: which rules cover it entirely. */
export interface Query {
  name: string;
  covers(rule: NetRule): boolean;
}

export type FamilyName = 'kubernetes' | 'antrea' | 'calico' | 'cilium';

export interface Decision {
  verdict: 'allow' | 'deny';
  /** The rule or policy that decided, or why nothing did. */
  by: string;
}

/** A decision and the policy engine whose semantics produced it. */
export interface FamilyDecision extends Decision {
  family: FamilyName;
}

/** A CNI's (or plain Kubernetes') semantics over its compiled policies. */
export interface PolicyFamily {
  name: FamilyName;
  /**
   * One decision per query; which policies select the endpoint is worked out once for all of them.
   * The list may be shared by every endpoint with the same answers: never change it.
   */
  decide(ep: Endpoint, dir: Direction, queries: readonly Query[]): readonly FamilyDecision[];
}

const ALL_V4 = '0.0.0.0/0';

function portsUnrestricted(rule: NetRule): boolean {
  return rule.ports === undefined;
}

/** Part of "all traffic": in-cluster pods, or everything outside the cluster. */
export type TrafficPart = 'cluster' | 'external';

export function coversPart(rule: NetRule, part: TrafficPart): boolean {
  if (!portsUnrestricted(rule)) return false;
  return rule.peers.some(
    (p) =>
      p.kind === 'any' ||
      (p.kind === 'cidr' && p.cidr === ALL_V4 && p.except.length === 0) ||
      (part === 'cluster' && p.kind === 'cluster') ||
      (part === 'external' && p.kind === 'world'),
  );
}

const PART_QUERIES: readonly Query[] = [
  { name: 'cluster', covers: (r) => coversPart(r, 'cluster') },
  { name: 'external', covers: (r) => coversPart(r, 'external') },
];

/** "Is all traffic of this part denied by default?" — narrower rules are exceptions, not answers. */
export function partQueries(): readonly Query[] {
  return PART_QUERIES;
}

/** "Is traffic to this address and port allowed?" (egress to the instance metadata endpoint). */
export function ipQuery(ip: string, port: number, protocol = 'TCP'): Query {
  return {
    name: `${ip}:${port}`,
    covers: (rule) => portMatches(rule.ports, port, protocol) && rule.peers.some((p) => peerMatchesIp(p, ip)),
  };
}

function peerMatchesIp(p: Peer, ip: string): boolean {
  switch (p.kind) {
    case 'any':
    case 'world':
      return true;
    case 'cidr':
      return cidrContains(p.cidr, ip) && !p.except.some((e) => cidrContains(e, ip));
    default:
      return false;
  }
}

function portMatches(ports: PortSpec[] | undefined, port: number, protocol: string): boolean {
  if (ports === undefined) return true;
  return ports.some((p) => {
    if (p.protocol !== undefined && p.protocol.toUpperCase() !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') return false; // a named port is a container port, never a remote service
    return p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port;
  });
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const v = Number(part);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/** IPv4 containment; an IPv6 or malformed block never contains an IPv4 address. */
export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bitsText] = cidr.trim().split('/');
  const addr = ipv4ToInt(ip);
  const net = ipv4ToInt(base ?? '');
  if (addr === undefined || net === undefined) return false;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  if (bits === 0) return true;
  const size = 2 ** (32 - bits);
  return Math.floor(addr / size) === Math.floor(net / size);
}

/** Kubernetes-style `ports: [{protocol, port, endPort}]`; absent or empty = every port. */
export function parsePorts(value: unknown): PortSpec[] | undefined {
  const list = asRecords(value);
  if (list.length === 0) return undefined;
  return list.map((p) => {
    const spec: PortSpec = {};
    const protocol = asString(p['protocol']);
    if (protocol) spec.protocol = protocol;
    const port = typeof p['port'] === 'string' && !/^\d+$/.test(p['port']) ? p['port'] : asNumber(p['port']);
    if (port !== undefined) spec.port = port;
    const endPort = asNumber(p['endPort']);
    if (endPort !== undefined) spec.endPort = endPort;
    return spec;
  });
}

/** Looks up namespace labels exactly and pod labels when known. */
export function endpointLookup(ep: Endpoint): { ns: LabelLookup; pod: LabelLookup } {
  return { ns: mapLookup(ep.nsLabels), pod: podLookup(ep.podLabels) };
}

export function serviceAccountMatches(ep: Endpoint, name: string | undefined): boolean | undefined {
  if (!name) return false;
  return ep.podLabels === undefined ? undefined : (ep.serviceAccount ?? 'default') === name;
}

/**
 * Cluster-wide items plus those of one namespace, merged (and sorted) once per namespace: a pod is
 * never tested against every other namespace's policies.
 */
export class ScopedList<T> {
  private readonly global: T[] = [];
  private readonly byNamespace = new Map<string, T[]>();
  private readonly merged = new Map<string, T[]>();

  constructor(
    items: readonly T[],
    namespaceOf: (item: T) => string | undefined,
    private readonly order?: (a: T, b: T) => number,
  ) {
    for (const item of items) {
      const ns = namespaceOf(item);
      if (ns === undefined) this.global.push(item);
      else {
        const list = this.byNamespace.get(ns);
        if (list) list.push(item);
        else this.byNamespace.set(ns, [item]);
      }
    }
    if (order) this.global.sort(order);
  }

  for(namespace: string): T[] {
    let list = this.merged.get(namespace);
    if (!list) {
      const local = this.byNamespace.get(namespace);
      list = local ? [...this.global, ...local] : this.global;
      if (local && this.order) list.sort(this.order);
      this.merged.set(namespace, list);
    }
    return list;
  }
}
