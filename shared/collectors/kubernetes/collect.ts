import { mapLimit } from '../../core/concurrency.js';
import { describeError } from '../../core/errors.js';
import type { Target } from '../../core/types.js';
import { getPath } from '../../inventory/read.js';
import type { Gap, Inventory, KubeObject } from '../../inventory/types.js';
import { Discovery, groupVersionPath, splitGroupVersion } from './discovery.js';
import { KubeRequestError, isKubeRequestError } from './errors.js';
import { DYNAMIC_GROUPS, GATEKEEPER_CONSTRAINTS, KUBERNETES_KINDS, type DynamicGroupSpec, type KindSpec } from './kinds.js';
import { listAll, type ListPlan } from './paginate.js';
import { createKubeTransport, type KubeConnection, type TransportOptions } from './transport.js';

export interface CollectProgress {
  kind: string;
  /** Objects of `kind` read so far. */
  items: number;
  kindsDone: number;
  kindsTotal: number;
  requests: number;
}

export interface CollectOptions extends TransportOptions {
  /** Defaults to `{kind: 'cluster', name: <current context>}`. */
  target?: Target;
  /** `limit` per list page (default 500). */
  pageSize?: number;
  /** Lists in flight at once (default 4): enough to hide latency, few enough not to trip API priority and fairness. */
  concurrency?: number;
  kinds?: readonly KindSpec[];
  dynamicGroups?: readonly DynamicGroupSpec[];
  /** Restarts of one list after 410 Expired (default 3). */
  maxListRestarts?: number;
  onProgress?: (p: CollectProgress) => void;
  now?: () => Date;
}

interface KindResult {
  objects: KubeObject[];
  gap?: Gap;
  absent?: boolean;
}

/**
 * Reads one live cluster into an Inventory (origin 'live'). Kinds the server does not serve
 * (found through discovery) go to `absentKinds`; kinds that cannot be read — 401, 403, timeout,
 * throttled beyond retries — become `gaps`, so the controls that need them report UNKNOWN, never
 * PASS. Throws a KubeRequestError only when the API server itself cannot be reached or refuses
 * the credentials (the whole target then fails with that reason).
 */
export async function collectKubernetesInventory(connection: KubeConnection, options: CollectOptions = {}): Promise<Inventory> {
  const now = options.now ?? (() => new Date());
  const collectedAt = now().toISOString();
  const target: Target = options.target ?? { kind: 'cluster', name: connection.name };
  const transport = await createKubeTransport(connection, options);
  const pageSize = options.pageSize ?? 500;
  const maxRestarts = options.maxListRestarts ?? 3;
  const kinds = options.kinds ?? KUBERNETES_KINDS;
  const dynamicGroups = options.dynamicGroups ?? DYNAMIC_GROUPS;
  let kindsDone = 0;
  let kindsTotal = kinds.length;
  const progress = (kind: string, items: number) =>
    options.onProgress?.({ kind, items, kindsDone, kindsTotal, requests: transport.requests });

  const list = async (plans: readonly ListPlan[], confirmed: boolean, source: string): Promise<KindResult> => {
    for (const [i, plan] of plans.entries()) {
      try {
        const objects = await listAll(transport, plan, { pageSize, maxRestarts, onPage: (p, n) => progress(p.kind, n) });
        return { objects };
      } catch (e) {
        const err = isKubeRequestError(e) ? e : new KubeRequestError('error', plan.path, describeError(e), { cause: e });
        // Without discovery to say which version serves the kind, a 404 only rules out this candidate.
        if (err.reason === 'not-found' && !confirmed && i < plans.length - 1) continue;
        const message =
          err.reason === 'not-found' && !confirmed
            ? `${plan.path}: not served (404), and the server offers no discovery document to confirm the kind is absent`
            : `${plan.path}: ${err.message}`;
        return { objects: [], gap: { source, reason: err.reason, message } };
      }
    }
    return { objects: [] };
  };

  try {
    const discovery = await Discovery.load(transport);
    const staticResults = await mapLimit(kinds, options.concurrency ?? 4, async (spec) => {
      const resolved = await resolveKind(spec, discovery);
      const result = resolved === 'absent' ? { objects: [], absent: true } : await list(resolved.plans, resolved.confirmed, spec.kind);
      kindsDone++;
      progress(spec.kind, result.objects.length);
      return result;
    });
    const resources = staticResults.flatMap((r) => r.objects);
    const gaps = staticResults.flatMap((r) => (r.gap ? [r.gap] : []));
    // A kind is absent only when every entry naming it is (Calico's NetworkPolicy must not hide Kubernetes').
    const absent = new Set(kinds.filter((_, i) => staticResults[i]!.absent).map((s) => s.kind));
    kinds.forEach((s, i) => !staticResults[i]!.absent && absent.delete(s.kind));

    for (const group of dynamicGroups) {
      const resolved = await resolveDynamic(group, discovery);
      if (resolved === 'absent') {
        absent.add(group.source);
        continue;
      }
      if ('unknown' in resolved) {
        // Constraint kinds cannot be listed: every kind the templates define is unknown, and the group as a whole.
        const templateKinds = group === GATEKEEPER_CONSTRAINTS ? constraintKindsOf(resources) : [];
        for (const source of [group.source, ...templateKinds]) gaps.push({ source, reason: resolved.reason, message: resolved.unknown });
        continue;
      }
      kindsTotal += resolved.plans.length;
      const results = await mapLimit(resolved.plans, options.concurrency ?? 4, async (plan) => {
        const r = await list([plan], true, plan.kind);
        kindsDone++;
        return r;
      });
      for (const r of results) {
        resources.push(...r.objects);
        if (r.gap) gaps.push(r.gap);
      }
    }
    return { target, collectedAt, origin: 'live', resources, gaps, absentKinds: [...absent] };
  } finally {
    await transport.close();
  }
}

const planFor = (spec: KindSpec, groupVersion: string, plural: string): ListPlan => ({
  kind: spec.kind,
  apiVersion: groupVersion,
  path: `${groupVersionPath(groupVersion)}/${plural}`,
  retain: spec.retain,
});

/**
 * The list to make for a kind: the first candidate group/version discovery says serves it. When
 * the server has no group discovery, every candidate with the known plural, tried in order.
 */
async function resolveKind(spec: KindSpec, d: Discovery): Promise<{ plans: ListPlan[]; confirmed: boolean } | 'absent'> {
  const unconfirmed: ListPlan[] = [];
  for (const gv of spec.versions) {
    const served = d.serves(gv);
    if (served === false) continue;
    if (served === undefined) {
      unconfirmed.push(planFor(spec, gv, spec.plural));
      continue;
    }
    const resources = await d.resources(gv);
    // Group served but its resource document unreadable: try the known plural; the list will tell.
    if (!resources) return { plans: [planFor(spec, gv, spec.plural)], confirmed: false };
    const found = resources.find((r) => r.kind === spec.kind);
    if (found) return { plans: [planFor(spec, gv, found.name)], confirmed: true };
  }
  return unconfirmed.length > 0 ? { plans: unconfirmed, confirmed: false } : 'absent';
}

async function resolveDynamic(
  group: DynamicGroupSpec,
  d: Discovery,
): Promise<{ plans: ListPlan[] } | { unknown: string; reason: Gap['reason'] } | 'absent'> {
  const served = d.versionsOf(group.group);
  if (served && served.length === 0) return 'absent';
  const candidates = served ? [group.versions.find((v) => served.includes(v)) ?? served[0]!] : group.versions;
  for (const version of candidates) {
    const gv = `${group.group}/${version}`;
    const resources = await d.resources(gv);
    if (resources) {
      return {
        plans: resources.map((r) => ({ kind: r.kind, apiVersion: gv, path: `${groupVersionPath(gv)}/${r.name}`, retain: 'all' as const })),
      };
    }
  }
  return served
    ? { unknown: `the discovery document of ${group.group} could not be read, so its kinds cannot be listed`, reason: 'error' }
    : { unknown: `the server offers no API group discovery, so the kinds of ${group.group} cannot be found`, reason: 'not-found' };
}

/** Constraint kinds defined by ConstraintTemplates (spec.crd.spec.names.kind). */
function constraintKindsOf(resources: readonly KubeObject[]): string[] {
  const kinds = new Set<string>();
  for (const obj of resources) {
    if (obj.kind !== 'ConstraintTemplate' || splitGroupVersion(obj.apiVersion ?? '')[0] !== 'templates.gatekeeper.sh') continue;
    const kind = getPath(obj, 'spec', 'crd', 'spec', 'names', 'kind');
    if (typeof kind === 'string' && kind) kinds.add(kind);
  }
  return [...kinds];
}
