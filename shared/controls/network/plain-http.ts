import { asNumber, asRecords, asString, asStrings, getPath } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import type { CheckContext } from '../types.js';
import { attachedRoutes, type EntryPoint } from './exposure.js';
import { annotationsOf } from './load-balancer.js';

/** Where an entry point serves plain HTTP, in words (empty: it serves none), or why TLS is in place. */
export interface PlainHttp {
  plain: string[];
  tls: string;
  /** Set when the listeners cannot be read (a malformed annotation). */
  unreadable?: string;
}

const SSL_CERT = 'service.beta.kubernetes.io/aws-load-balancer-ssl-cert';
const SSL_PORTS = 'service.beta.kubernetes.io/aws-load-balancer-ssl-ports';
const ALB = 'alb.ingress.kubernetes.io/';

/** Service ports the load balancer terminates TLS on: the ssl-ports annotation (names or numbers, `*` = all; all when absent). */
function tlsAtLoadBalancer(svc: KubeObject, port: Record<string, unknown>): boolean {
  const ann = annotationsOf(svc);
  if (!ann[SSL_CERT]) return false;
  const listed = (ann[SSL_PORTS] ?? '*').split(',').map((p) => p.trim());
  return listed.includes('*') || listed.includes(String(asNumber(port['port']))) || listed.includes(asString(port['name']) ?? '\u0000');
}

/** A port that speaks HTTP: its appProtocol or name says so, or it is 80 / 8080 (HTTPS ports are judged TLS by the pod). */
function isHttpPort(port: Record<string, unknown>): boolean {
  const app = (asString(port['appProtocol']) ?? '').toLowerCase();
  if (app !== '') return ['http', 'kubernetes.io/h2c', 'kubernetes.io/ws'].includes(app);
  if (/^(http|h2c)(-|$)/i.test(asString(port['name']) ?? '')) return true;
  return [80, 8080].includes(asNumber(port['port']) ?? -1);
}

function servicePlainHttp(svc: KubeObject): PlainHttp {
  const ports = asRecords(getPath(svc, 'spec', 'ports'));
  const plain = ports.filter((p) => isHttpPort(p) && !tlsAtLoadBalancer(svc, p)).map((p) => `port ${asNumber(p['port']) ?? '?'}`);
  const terminated = ports.filter((p) => tlsAtLoadBalancer(svc, p)).map((p) => String(asNumber(p['port']) ?? '?'));
  return {
    plain,
    tls: terminated.length > 0 ? `TLS terminated by the load balancer on port ${terminated.join(', ')} (${SSL_CERT})` : 'no HTTP port',
  };
}

/** Every port of every front Service is a TLS listener: what the proxy behind it serves reaches clients over TLS. */
function frontsTerminateTls(fronts: readonly KubeObject[]): boolean {
  return fronts.length > 0 && fronts.every((s) => asRecords(getPath(s, 'spec', 'ports')).every((p) => tlsAtLoadBalancer(s, p)));
}

/** ALB listeners: listen-ports, else HTTPS 443 when a certificate is given (annotation or spec.tls), else HTTP 80. */
function albPlainHttp(ing: KubeObject): PlainHttp {
  const ann = annotationsOf(ing);
  const hasCert = (ann[`${ALB}certificate-arn`] ?? '') !== '' || asRecords(getPath(ing, 'spec', 'tls')).length > 0;
  let listeners: [string, number][] = hasCert ? [['HTTPS', 443]] : [['HTTP', 80]];
  const raw = ann[`${ALB}listen-ports`];
  if (raw !== undefined) {
    try {
      listeners = asRecords(JSON.parse(raw) as unknown).flatMap((l) =>
        Object.entries(l).map(([proto, port]) => [proto, Number(port)] as [string, number]),
      );
    } catch {
      return { plain: [], tls: '', unreadable: `${ALB}listen-ports is not valid JSON (${raw})` };
    }
  }
  const http = listeners.filter(([proto]) => proto.toUpperCase() === 'HTTP').map(([, port]) => port);
  if (http.length > 0 && ann[`${ALB}ssl-redirect`] !== undefined)
    return {
      plain: [],
      tls: `HTTP listener${http.length > 1 ? 's' : ''} ${http.join(', ')} redirect${http.length > 1 ? '' : 's'} to HTTPS (${ALB}ssl-redirect)`,
    };
  return {
    plain: http.map((p) => `ALB HTTP listener ${p}${hasCert ? '' : ` (no ${ALB}certificate-arn or spec.tls)`}`),
    tls: 'ALB listeners are HTTPS only',
  };
}

/** An Ingress served by an in-cluster proxy: spec.tls must cover each rule host, or the load balancer in front terminates TLS. */
function proxiedIngressPlainHttp(e: EntryPoint): PlainHttp {
  if (frontsTerminateTls(e.fronts))
    return { plain: [], tls: `TLS terminated by the load balancer in front of its controller (${SSL_CERT})` };
  const ing = e.object;
  const tls = asRecords(getPath(ing, 'spec', 'tls'));
  if (tls.length === 0) return { plain: ['no spec.tls: every host is served over plain HTTP'], tls: '' };
  const covered = tls.some((t) => asStrings(t['hosts']).length === 0) ? undefined : new Set(tls.flatMap((t) => asStrings(t['hosts'])));
  const hosts = asRecords(getPath(ing, 'spec', 'rules')).map((r) => asString(r['host']) ?? '*');
  const uncovered = covered ? [...new Set(hosts.filter((h) => !covered.has(h)))] : [];
  const plain = uncovered.map((h) => `host ${h} is not in spec.tls`);
  // ingress-nginx redirects HTTP to HTTPS for TLS hosts unless told not to.
  if (annotationsOf(ing)['nginx.ingress.kubernetes.io/ssl-redirect'] === 'false')
    plain.push('nginx.ingress.kubernetes.io/ssl-redirect: "false" also serves it over HTTP');
  return { plain, tls: 'spec.tls covers its hosts' };
}

/** A rule that only redirects to https serves nothing over plain HTTP. */
const redirectsToHttps = (rule: Record<string, unknown>) =>
  asRecords(rule['filters']).some(
    (f) => asString(f['type']) === 'RequestRedirect' && asString(getPath(f, 'requestRedirect', 'scheme')) === 'https',
  );

function gatewayPlainHttp(ctx: CheckContext, e: EntryPoint): PlainHttp {
  if (frontsTerminateTls(e.fronts)) return { plain: [], tls: `TLS terminated by the load balancer in front of its proxy (${SSL_CERT})` };
  const plain: string[] = [];
  for (const listener of asRecords(getPath(e.object, 'spec', 'listeners'))) {
    if (asString(listener['protocol']) !== 'HTTP') continue;
    const routes = attachedRoutes(ctx, e.object, listener);
    const serving = routes.filter((r) => !asRecords(getPath(r, 'spec', 'rules')).every(redirectsToHttps));
    if (serving.length > 0)
      plain.push(
        `HTTP listener ${asString(listener['name']) ?? '?'} (port ${String(listener['port'])}) serves HTTPRoute ${serving.map((r) => r.metadata?.name ?? '?').join(', ')}`,
      );
  }
  return { plain, tls: 'its HTTP listeners serve no route except redirects to https' };
}

export function plainHttp(ctx: CheckContext, e: EntryPoint): PlainHttp {
  switch (e.servedBy) {
    case 'service':
      return servicePlainHttp(e.object);
    case 'alb':
      return albPlainHttp(e.object);
    case 'aws-gateway':
    case 'controller':
      return e.object.kind === 'Gateway' ? gatewayPlainHttp(ctx, e) : proxiedIngressPlainHttp(e);
  }
}
