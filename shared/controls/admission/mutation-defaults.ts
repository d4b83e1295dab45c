import { parse as parseYaml } from 'yaml';
import { apiGroupOf, describeObject } from '../../inventory/objects.js';
import { asArray, asNumber, asRecord, asRecords, asString, asStrings, getPath } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import { isPodBearingKind } from '../../inventory/workloads.js';
import { GATEKEEPER_MUTATION_GROUP, gatekeeperMatch } from '../../policy/admission/gatekeeper.js';
import { kyvernoRules, walkPattern } from '../../policy/admission/kyverno.js';
import { defineControl } from '../define.js';
import { clusterRef } from '../refs.js';
import type { Outcome } from '../types.js';

/** The secure value of each pod/container field a mutation may default (leaf name → test). */
const SECURE_DEFAULTS: Record<string, (v: unknown) => boolean> = {
  allowPrivilegeEscalation: (v) => v === false || v === 'false',
  privileged: (v) => v === false || v === 'false',
  runAsNonRoot: (v) => v === true || v === 'true',
  readOnlyRootFilesystem: (v) => v === true || v === 'true',
  automountServiceAccountToken: (v) => v === false || v === 'false',
  runAsUser: (v) => (asNumber(v) ?? 0) > 0,
  type: (v) => v === 'RuntimeDefault' || v === 'Localhost', // seccompProfile.type
  drop: (v) => asStrings(Array.isArray(v) ? v : [v]).some((c) => c.toUpperCase() === 'ALL'),
  cpu: () => true, // resources.limits.cpu / memory: a default limit (NSA/CISA resource policies)
  memory: () => true,
};

function secureSetting(path: readonly string[], value: unknown): string | undefined {
  const leaf = path[path.length - 1];
  if (!leaf) return undefined;
  const test = SECURE_DEFAULTS[leaf];
  if (!test || !test(value)) return undefined;
  if (leaf === 'type' && path[path.length - 2] !== 'seccompProfile') return undefined;
  if ((leaf === 'cpu' || leaf === 'memory') && path[path.length - 2] !== 'limits') return undefined;
  if (leaf === 'drop' && path[path.length - 2] !== 'capabilities') return undefined;
  // `container securityContext.allowPrivilegeEscalation=false`, `pod seccompProfile.type=RuntimeDefault`.
  const level = path.some((p) => /^(containers|initContainers|ephemeralContainers)$/.test(p)) ? 'container' : 'pod';
  const field = ['type', 'drop', 'cpu', 'memory'].includes(leaf)
    ? path.slice(-2).join('.')
    : path.includes('securityContext')
      ? `securityContext.${leaf}`
      : leaf;
  return `${level} ${field}=${Array.isArray(value) ? value.join(',') : String(value)}`;
}

/** `spec.containers[name:*].securityContext.allowPrivilegeEscalation` → its field names. */
function locationPath(location: string): string[] {
  return location
    .replace(/\[[^\]]*\]/g, '')
    .split('.')
    .filter((s) => s !== '');
}

function appliesToPods(obj: KubeObject): boolean {
  const applyTo = asRecords(getPath(obj, 'spec', 'applyTo'));
  return applyTo.length === 0 || applyTo.some((a) => asStrings(a['kinds']).some((k) => isPodBearingKind(k)));
}

/** Gatekeeper Assign (location + assign.value) and ModifySet (capabilities.drop += ALL). */
function gatekeeperDefaults(obj: KubeObject): string[] {
  if (apiGroupOf(obj) !== GATEKEEPER_MUTATION_GROUP || !appliesToPods(obj)) return [];
  const location = asString(getPath(obj, 'spec', 'location'));
  if (!location) return [];
  const path = locationPath(location);
  if (obj.kind === 'Assign') {
    const value = getPath(obj, 'spec', 'parameters', 'assign', 'value');
    const direct = secureSetting(path, value);
    if (direct) return [direct];
    // An object assigned at a parent location (e.g. the whole securityContext).
    const out: string[] = [];
    for (const { path: sub, key, value: v } of walkPattern(value)) {
      const s = secureSetting([...path, ...sub, key], v);
      if (s) out.push(s);
    }
    return out;
  }
  if (obj.kind === 'ModifySet' && (asString(getPath(obj, 'spec', 'parameters', 'operation')) ?? 'merge') === 'merge') {
    const s = secureSetting(path, asArray(getPath(obj, 'spec', 'parameters', 'values', 'fromList')));
    return s ? [s] : [];
  }
  return [];
}

/** Kyverno mutate rules: patchStrategicMerge (also in foreach) and patchesJson6902. */
function kyvernoDefaults(rule: Record<string, unknown>): string[] {
  const mutate = asRecord(rule['mutate']);
  if (!mutate) return [];
  const out: string[] = [];
  const patches = [mutate['patchStrategicMerge'], ...asRecords(mutate['foreach']).map((f) => f['patchStrategicMerge'])];
  for (const patch of patches) {
    for (const { path, key, value } of walkPattern(patch)) {
      const s = secureSetting([...path, key], value);
      if (s) out.push(s);
    }
  }
  const json6902 = mutate['patchesJson6902'];
  let ops: unknown = json6902;
  if (typeof json6902 === 'string') {
    try {
      ops = parseYaml(json6902);
    } catch {
      ops = [];
    }
  }
  for (const op of asRecords(ops)) {
    if (!['add', 'replace'].includes(asString(op['op']) ?? '')) continue;
    const s = secureSetting(
      (asString(op['path']) ?? '').split('/').filter((p) => p !== '' && !/^\d+$|^-$/.test(p)),
      op['value'],
    );
    if (s) out.push(s);
  }
  return out;
}

export const admissionMutationDefaults = defineControl(
  {
    id: 'admission.mutation-defaults',
    title: 'Admission must set secure defaults on pods (mutation)',
    severity: 'medium',
    category: 'Pod security enforcement',
    scope: 'cluster',
    frameworks: { nsa: 'Pod security enforcement', kubescape: ['C-0039'] },
    rationale:
      'Workloads that do not set a security context get insecure defaults (privilege escalation allowed, root, no seccomp). A mutating policy sets the secure value when it is missing, so omissions stop being vulnerabilities.',
    remediation:
      'Add Gatekeeper Assign mutations (e.g. allowPrivilegeEscalation=false, runAsNonRoot=true, seccompProfile RuntimeDefault; ModifySet capabilities.drop ALL) or a Kyverno mutate policy such as add-default-securitycontext.',
  },
  {
    reads: ['Assign', 'ModifySet', 'ClusterPolicy', 'Policy'],
    check(ctx): Outcome[] {
      const out: Outcome[] = [];
      const found: { label: string; settings: string[]; excluded: string[] }[] = [];
      for (const kind of ['Assign', 'ModifySet']) {
        for (const obj of ctx.index.byKind(kind)) {
          const settings = gatekeeperDefaults(obj);
          if (settings.length > 0)
            found.push({ label: describeObject(obj), settings, excluded: gatekeeperMatch(getPath(obj, 'spec', 'match'), []).describe });
        }
      }
      for (const r of kyvernoRules(ctx)) {
        const settings = kyvernoDefaults(r.rule);
        if (settings.length > 0) found.push({ label: r.label, settings, excluded: [] });
      }
      const ref = clusterRef(ctx);
      if (found.length === 0) {
        const unreadable = ['Assign', 'ModifySet', 'ClusterPolicy', 'Policy'].filter((k) => ctx.index.gaps(k).length > 0);
        const text =
          'no Gatekeeper or Kyverno mutation sets secure pod defaults (allowPrivilegeEscalation=false, runAsNonRoot, seccomp RuntimeDefault, drop ALL)';
        out.push(
          ctx.outcome(
            unreadable.length > 0 ? 'UNKNOWN' : 'FAIL',
            ref,
            unreadable.length > 0 ? `${text}, and ${unreadable.join(', ')} could not be read` : text,
          ),
        );
        return out;
      }
      const settings = [...new Set(found.flatMap((f) => f.settings))];
      out.push(
        ctx.outcome(
          'PASS',
          ref,
          `secure pod defaults are set at admission by ${found.map((f) => f.label).join(', ')}: ${settings.join(', ')}`,
          {
            mutations: found.map((f) => f.label),
            settings,
            scope: found.flatMap((f) => f.excluded.map((e) => `${f.label}: ${e}`)),
          },
        ),
      );
      return out;
    },
  },
);
