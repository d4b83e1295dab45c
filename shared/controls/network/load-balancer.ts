import { asRecord, asString, asStrings } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';

/**
 * How far a load balancer reaches: `internet` (an internet-facing scheme open to any address),
 * `restricted` (internet-facing, but only from listed source ranges), `internal` (VPC only) or
 * `unknown` (decided by data hardline cannot see).
 */
export type Reach = 'internet' | 'restricted' | 'internal' | 'unknown';

export interface ReachVerdict {
  reach: Reach;
  /** Why, in words a platform engineer can check against the object. */
  why: string;
}

const AWS_LB = 'service.beta.kubernetes.io/aws-load-balancer-';
const LBC_SERVICE_CLASS = 'service.k8s.aws/nlb';
const AUTO_MODE_SERVICE_CLASS = 'eks.amazonaws.com/nlb';

export const annotationsOf = (obj: KubeObject): Record<string, string> =>
  (asRecord(obj.metadata?.annotations) as Record<string, string> | undefined) ?? {};

/** Go's strconv.ParseBool, which the AWS Load Balancer Controller parses boolean annotations with. */
function parseBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

const isOpenCidr = (cidr: string) => /\/0$/.test(cidr.trim());

/** Source ranges that keep an internet-facing load balancer from the internet at large: none of them /0. */
export function sourceRestriction(ranges: readonly string[]): string | undefined {
  const list = ranges.map((r) => r.trim()).filter((r) => r !== '');
  if (list.length === 0 || list.some(isOpenCidr)) return undefined;
  return list.join(', ');
}

/** Which controller provisions a LoadBalancer Service's load balancer, from its class and type annotation. */
function serviceController(svc: KubeObject): 'lbc' | 'auto-mode' | 'in-tree' | { other: string } {
  const cls = asString(asRecord(svc['spec'])?.['loadBalancerClass']);
  if (cls === LBC_SERVICE_CLASS) return 'lbc';
  if (cls === AUTO_MODE_SERVICE_CLASS) return 'auto-mode';
  if (cls !== undefined && cls !== '') return { other: cls };
  const type = annotationsOf(svc)[`${AWS_LB}type`];
  return type === 'external' || type === 'nlb-ip' ? 'lbc' : 'in-tree';
}

/** The scheme a Service's controller gives its load balancer, before source ranges are considered. */
function serviceScheme(svc: KubeObject): ReachVerdict {
  const ann = annotationsOf(svc);
  const internal = ann[`${AWS_LB}internal`];
  const scheme = ann[`${AWS_LB}scheme`];
  const controller = serviceController(svc);
  if (controller === 'in-tree') {
    // The legacy cloud provider reads only aws-load-balancer-internal: any value but "false" makes it internal.
    if (internal !== undefined && internal !== '' && internal !== 'false')
      return { reach: 'internal', why: `${AWS_LB}internal: "${internal}"` };
    const ignored =
      scheme !== undefined
        ? ` (aws-load-balancer-scheme: ${scheme} is read only by the AWS Load Balancer Controller, which this Service is not handed to)`
        : '';
    return {
      reach: 'internet',
      why: `no loadBalancerClass or aws-load-balancer-type: external, so the legacy cloud provider makes it internet-facing${ignored}`,
    };
  }
  const who =
    controller === 'lbc'
      ? 'the AWS Load Balancer Controller'
      : controller === 'auto-mode'
        ? 'EKS Auto Mode'
        : `load balancer class ${controller.other}`;
  if (internal !== undefined) {
    const parsed = parseBool(internal);
    if (parsed === true) return { reach: 'internal', why: `${AWS_LB}internal: "${internal}" (${who})` };
    if (parsed === undefined) return { reach: 'unknown', why: `${AWS_LB}internal: "${internal}" is not a boolean (${who})` };
  }
  if (scheme === 'internal') return { reach: 'internal', why: `${AWS_LB}scheme: internal (${who})` };
  if (scheme === 'internet-facing') return { reach: 'internet', why: `${AWS_LB}scheme: internet-facing (${who})` };
  if (typeof controller === 'object')
    return { reach: 'unknown', why: `load balancer class ${controller.other}: hardline does not know what scheme it defaults to` };
  return { reach: 'internal', why: `no aws-load-balancer-scheme: ${who} defaults to internal` };
}

/** How far a Service of type LoadBalancer reaches; undefined for every other Service type. */
export function serviceReach(svc: KubeObject): ReachVerdict | undefined {
  const spec = asRecord(svc['spec']) ?? {};
  if (asString(spec['type']) !== 'LoadBalancer') return undefined;
  const scheme = serviceScheme(svc);
  if (scheme.reach !== 'internet') return scheme;
  const annotated = (annotationsOf(svc)['service.beta.kubernetes.io/load-balancer-source-ranges'] ?? '').split(',');
  const ranges = asStrings(spec['loadBalancerSourceRanges']);
  const restricted = sourceRestriction(ranges.length > 0 ? ranges : annotated);
  if (restricted) return { reach: 'restricted', why: `${scheme.why}, reachable only from ${restricted}` };
  return { reach: 'internet', why: `${scheme.why}, open to any source address` };
}
