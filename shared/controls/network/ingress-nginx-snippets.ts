import { listText } from '../../core/text.js';
import { describeRef, objectRef } from '../../inventory/objects.js';
import { asString, getPath } from '../../inventory/read.js';
import { POD_BEARING_KINDS } from '../../inventory/workloads.js';
import { defineControl } from '../define.js';
import { clusterRef } from '../refs.js';
import type { CheckContext, Outcome } from '../types.js';
import { controllerFlag, type IngressNginxController, ingressNginxControllers, olderThan, versionText } from './ingress-nginx.js';
import { annotationsOf } from './load-balancer.js';

interface SnippetPolicy {
  /** undefined: cannot be told (version unknown and nothing configured, or the ConfigMap unreadable). */
  accepted: boolean | undefined;
  why: string;
}

/**
 * Whether a controller accepts `*-snippet` annotations: allow-snippet-annotations (default true
 * before v1.9.0, false since), and since v1.9.0 annotations-risk-level, which must be Critical for
 * snippets (default Critical before v1.12.0, High since).
 */
function snippetPolicy(ctx: CheckContext, c: IngressNginxController): SnippetPolicy {
  const cmName = controllerFlag(c, 'configmap');
  const [ns, name] = cmName?.includes('/') ? (cmName.split('/', 2) as [string, string]) : [c.workload.namespace, cmName];
  const cm = name ? ctx.index.find('ConfigMap', ns, name) : undefined;
  if (name && !cm && ctx.index.gaps('ConfigMap').length > 0)
    return { accepted: undefined, why: `its ConfigMap ${ns}/${name} could not be read` };
  const where = cm ? ` in ConfigMap ${ns}/${name}` : '';
  const v = c.version;
  const allowSet = asString(getPath(cm, 'data', 'allow-snippet-annotations'));
  const riskSet = asString(getPath(cm, 'data', 'annotations-risk-level'));
  let allow: boolean | undefined;
  let allowWhy: string;
  if (allowSet !== undefined) {
    allow = allowSet === 'true';
    allowWhy = `allow-snippet-annotations: "${allowSet}"${where}`;
  } else if (v) {
    allow = olderThan(v, [1, 9, 0]);
    allowWhy = `allow-snippet-annotations defaults to ${String(allow)} in ${versionText(v)}`;
  } else {
    return { accepted: undefined, why: `allow-snippet-annotations is not set and the version of ${c.image} cannot be read from its tag` };
  }
  if (!allow) return { accepted: false, why: allowWhy };
  // annotations-risk-level arrived in v1.9.0: before it nothing else gates snippets.
  if (riskSet === undefined && v && olderThan(v, [1, 9, 0])) return { accepted: true, why: allowWhy };
  if (riskSet !== undefined) {
    const accepted = riskSet === 'Critical';
    return {
      accepted,
      why: `${allowWhy}; annotations-risk-level: "${riskSet}"${where}${accepted ? '' : ' rejects snippets (Critical risk)'}`,
    };
  }
  if (!v)
    return { accepted: undefined, why: `${allowWhy}, and the default annotations-risk-level of ${c.image} cannot be told from its tag` };
  const accepted = olderThan(v, [1, 12, 0]);
  return {
    accepted,
    why: `${allowWhy}; annotations-risk-level defaults to ${accepted ? 'Critical' : 'High, which rejects snippets'} in ${versionText(v)}`,
  };
}

export const networkIngressNginxSnippets = defineControl(
  {
    id: 'network.ingress-nginx-snippets',
    title: 'ingress-nginx must not accept snippet annotations',
    severity: 'high',
    category: 'Upgrading and application security practices',
    scope: 'cluster',
    frameworks: { nsa: 'Upgrading and application security practices', kubescape: ['C-0059'] },
    match: [
      {
        ref: 'KS C-0059',
        match: 'stricter',
        note: 'C-0059 fails only controller versions hit by CVE-2021-25742 (before 0.49.1, and 1.0.0) that allow snippets; hardline any version allowing snippets, and Ingresses using them',
      },
    ],
    rationale:
      "A `*-snippet` annotation writes raw NGINX configuration: whoever may create an Ingress can read the controller's service account " +
      'token and with it every Secret of the cluster (CVE-2021-25742, and the annotation injections of CVE-2025-1974). The controller ' +
      'accepts them when allow-snippet-annotations is true (its default before v1.9.0) and, since v1.9.0, annotations-risk-level is ' +
      'Critical (its default before v1.12.0). An Ingress carrying snippet annotations fails too: it depends on that being allowed.',
    remediation:
      'Set `allow-snippet-annotations: "false"` in the controller ConfigMap (Helm: controller.allowSnippetAnnotations=false) and keep ' +
      'annotations-risk-level below Critical; replace snippets with the dedicated annotations or a controller-level configuration reviewed by the platform team.',
  },
  {
    reads: [...POD_BEARING_KINDS, 'ConfigMap', 'Ingress'],
    check(ctx): Outcome[] {
      const out: Outcome[] = [];
      const controllers = ingressNginxControllers(ctx);
      const prefixes = new Set([
        'nginx.ingress.kubernetes.io',
        ...controllers.map((c) => controllerFlag(c, 'annotations-prefix') ?? '').filter(Boolean),
      ]);
      for (const c of controllers) {
        const policy = snippetPolicy(ctx, c);
        const evidence = { image: c.image, why: policy.why };
        const what = `ingress-nginx ${versionText(c.version)}`;
        if (policy.accepted === undefined)
          out.push(
            ctx.outcome('UNKNOWN', c.container.ref, `whether ${what} accepts snippet annotations is not known: ${policy.why}`, evidence),
          );
        else if (policy.accepted)
          out.push(ctx.outcome('FAIL', c.container.ref, `${what} accepts snippet annotations: ${policy.why}`, evidence));
        else out.push(ctx.outcome('PASS', c.container.ref, `${what} rejects snippet annotations: ${policy.why}`, evidence));
      }
      for (const ing of ctx.index.byKind('Ingress')) {
        const snippets = Object.keys(annotationsOf(ing)).filter((k) => {
          const slash = k.indexOf('/');
          return slash > 0 && prefixes.has(k.slice(0, slash)) && k.endsWith('-snippet');
        });
        if (snippets.length === 0) continue;
        const ref = objectRef(ing);
        out.push(
          ctx.outcome('FAIL', ref, `${describeRef(ref)} injects NGINX configuration through ${listText(snippets)}`, {
            annotations: snippets,
          }),
        );
      }
      if (out.length === 0)
        out.push(ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), 'no ingress-nginx controller and no Ingress with snippet annotations'));
      return out;
    },
  },
);
