import { describeRef, groupByNamespace, labelsOf, nameOf, objectRef } from '../../inventory/objects.js';
import { asRecord, asString } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import { defineControl } from '../define.js';
import { described, named } from '../messages.js';
import { clusterRef } from '../refs.js';
import type { CheckContext, Outcome } from '../types.js';

/**
 * A Service that routes to pods by selector (ExternalName and selector-less Services do not): its
 * selector as sorted `key=value` pairs. Selectors are mostly written in key order already, so the
 * key list is sorted only when they are not.
 */
function selectorKey(svc: KubeObject): string | undefined {
  const spec = asRecord(svc['spec']);
  if (spec && asString(spec['type']) === 'ExternalName') return undefined;
  const selector = labelsOf(spec?.['selector']);
  let key: string | undefined;
  let last: string | undefined;
  for (const k in selector) {
    if (last !== undefined && !(last < k)) return sortedKey(selector);
    key = key === undefined ? `${k}=${selector[k]}` : `${key},${k}=${selector[k]}`;
    last = k;
  }
  return key;
}

function sortedKey(selector: Record<string, string>): string {
  return Object.keys(selector)
    .sort()
    .map((k) => `${k}=${selector[k]}`)
    .join(',');
}

const NO_SELECTOR = described(' has no pod selector');
const HEADLESS = named((ref) => `headless ${describeRef(ref)}`, ' (peer discovery) may share its selector');
const UNIQUE = described(' has a unique selector');

/** Headless Services exist next to a regular one for the same pods by design (StatefulSet peer discovery). */
function isHeadless(svc: KubeObject): boolean {
  return asString(asRecord(svc['spec'])?.['clusterIP']) === 'None';
}

/** One namespace's Services: each selector either unique or shared with the others named. */
function judgeNamespace(ctx: CheckContext, list: readonly KubeObject[], out: Outcome[]): void {
  const keys: (string | undefined)[] = [];
  const headless: boolean[] = [];
  // Per selector the one Service that has it, or every Service once two share it.
  const bySelector = new Map<string, KubeObject | KubeObject[]>();
  for (let i = 0; i < list.length; i++) {
    const svc = list[i]!;
    const key = selectorKey(svc);
    keys.push(key);
    headless.push(key !== undefined && isHeadless(svc));
    if (key === undefined || headless[i]) continue;
    const same = bySelector.get(key);
    if (same === undefined) bySelector.set(key, svc);
    else if (Array.isArray(same)) same.push(svc);
    else bySelector.set(key, [same, svc]);
  }
  for (let i = 0; i < list.length; i++) {
    const svc = list[i]!;
    const ref = objectRef(svc);
    const key = keys[i];
    if (key === undefined) {
      out.push(ctx.outcome('NOT_APPLICABLE', ref, NO_SELECTOR));
      continue;
    }
    if (headless[i]) {
      out.push(ctx.outcome('PASS', ref, HEADLESS));
      continue;
    }
    const same = bySelector.get(key);
    const others = Array.isArray(same) ? same.filter((o) => o !== svc).map(nameOf) : [];
    if (others.length === 0) {
      out.push(ctx.outcome('PASS', ref, UNIQUE));
      continue;
    }
    out.push(
      ctx.outcome('FAIL', ref, `${describeRef(ref)} has the same selector (${key}) as ${others.join(', ')}`, {
        field: 'spec.selector',
        selector: key,
        sameSelectorAs: others,
      }),
    );
  }
}

export const networkUniqueServiceSelector = defineControl(
  {
    id: 'network.unique-service-selector',
    title: 'Each Service must select its own set of pods',
    severity: 'low',
    category: 'Network separation',
    scope: 'namespace',
    frameworks: {},
    match: [],
    rationale:
      'Two Services with the same selector send traffic to the same pods under two names, often one left over or exposed differently (a forgotten LoadBalancer next to the ClusterIP), which widens what reaches the pods.',
    remediation: 'Remove the duplicate Service, or give each Service a selector that matches only the pods it is meant for.',
  },
  {
    reads: ['Service'],
    requires: ['Service'],
    check(ctx): Outcome[] {
      const out: Outcome[] = [];
      const services = ctx.index.byKind('Service');
      if (services.length === 0) {
        out.push(ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), 'no Service in the inventory'));
        return out;
      }
      // forEach: a for-of over the map would make an iterator result per namespace.
      groupByNamespace(services).forEach((list) => judgeNamespace(ctx, list, out));
      return out;
    },
  },
);
