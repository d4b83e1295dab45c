import { listText } from '../../core/text.js';
import { asArray, asRecord, asRecords, asString, asStrings } from '../../inventory/read.js';
import { constraintGaps, GATEKEEPER_CONSTRAINT_SOURCE, gatekeeperConstraints } from '../../policy/admission/gatekeeper.js';
import { KYVERNO_KINDS, kyvernoRules, ruleValidate, walkPattern, type KyvernoRule } from '../../policy/admission/kyverno.js';
import { type NamespaceInfo, namespaceInfos } from '../../policy/namespaces.js';
import { defineControl } from '../define.js';
import { clusterRef } from '../refs.js';
import type { Outcome } from '../types.js';

/** The Gatekeeper library's allowed-repos templates (K8sAllowedRepos, K8sAllowedReposv2) and common renames. */
const isRepoConstraint = (kind: string) => /allowed-?(repos|images|registr)/i.test(kind);

interface RepoRestriction {
  label: string;
  repos: string[];
  enforcing: boolean;
  action: string;
  covers(ns: NamespaceInfo): boolean;
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
const DENY_OPERATORS = new Set(['AnyNotIn', 'AllNotIn', 'NotIn', 'NotEquals']);

/** Allowed image patterns in a Kyverno rule: `image: "reg.io/* | other.io/*"` under containers, or a deny on image registries. */
function kyvernoRepos(r: KyvernoRule): string[] {
  const top = ruleValidate(r.rule);
  // `validate.foreach` runs the same pattern/deny per container (`{{ element.image }}`).
  const blocks = [top, ...asRecords(top['foreach'])];
  const repos: string[] = [];
  for (const validate of blocks) {
    for (const pattern of [validate['pattern'], ...asArray(validate['anyPattern'])]) {
      for (const { path, key, value } of walkPattern(pattern)) {
        if (key === 'image' && typeof value === 'string' && (path.some((p) => CONTAINER_LISTS.has(p)) || validate !== top)) {
          repos.push(
            ...value
              .split('|')
              .map((s) => s.trim())
              .filter((s) => s !== ''),
          );
        }
      }
    }
    const deny = asRecord(validate['deny']);
    const conditions = asRecord(deny?.['conditions']);
    for (const cond of [...asRecords(conditions?.['any']), ...asRecords(conditions?.['all']), ...asRecords(deny?.['conditions'])]) {
      const key = String(cond['key'] ?? '');
      if (/image|registr/i.test(key) && DENY_OPERATORS.has(asString(cond['operator']) ?? '')) {
        repos.push(...(typeof cond['value'] === 'string' ? [cond['value']] : asStrings(cond['value'])));
      }
    }
  }
  return repos;
}

/** A pattern that lets every image through restricts nothing: `""` (startswith), `*`, `?*`. */
function allowsAnything(repos: readonly string[]): boolean {
  return repos.some((r) => r === '' || r === '*' || r === '?*' || r === '*/*');
}

export const admissionAllowedRepos = defineControl(
  {
    id: 'admission.allowed-repos',
    title: 'Admission control must restrict the image repositories pods may use',
    severity: 'high',
    category: 'Pod security: building secure container images',
    scope: 'cluster',
    frameworks: { nsa: 'Pod security: building secure container images', kubescape: ['C-0036'], cis: ['5.1.4'] },
    rationale:
      'Without an admission rule any registry can be used, including typo-squatted or attacker-controlled images. NSA/CISA: only allow images from trusted repositories; CIS 5.1.4: limit container registries to approved ones.',
    remediation:
      'Enforce a Gatekeeper K8sAllowedRepos constraint (enforcementAction: deny) listing your ECR registries, or a Kyverno ClusterPolicy (restrict-image-registries) with failure action Enforce.',
  },
  {
    reads: [...KYVERNO_KINDS, GATEKEEPER_CONSTRAINT_SOURCE, 'ConstraintTemplate', 'Namespace'],
    check(ctx): Outcome[] {
      const out: Outcome[] = [];
      const restrictions: RepoRestriction[] = [
        ...gatekeeperConstraints(ctx)
          .filter((c) => isRepoConstraint(c.kind))
          .map((c) => ({
            label: `${c.kind}/${c.name}`,
            repos: [...asStrings(c.parameters['repos']), ...asStrings(c.parameters['allowedImages'])],
            enforcing: c.enforcing,
            action: `enforcementAction ${c.action}`,
            covers: (ns: NamespaceInfo) => c.match.covers(ns),
          })),
        ...kyvernoRules(ctx)
          .map((r) => ({ r, repos: kyvernoRepos(r) }))
          .filter(({ repos }) => repos.length > 0)
          .map(({ r, repos }) => ({
            label: r.label,
            repos,
            enforcing: r.action.startsWith('Enforce'),
            action: r.action,
            covers: (ns: NamespaceInfo) => r.covers(ns) && r.enforcedIn(ns),
          })),
      ];
      const ref = clusterRef(ctx);
      const effective = restrictions.filter((r) => r.enforcing && !allowsAnything(r.repos));
      const repos = [...new Set(effective.flatMap((r) => r.repos))];
      if (effective.length === 0) {
        const found = restrictions.map((r) => `${r.label} (${allowsAnything(r.repos) ? 'allows any image' : r.action})`);
        const gaps = [...constraintGaps(ctx, isRepoConstraint), ...KYVERNO_KINDS.filter((k) => ctx.index.gaps(k).length > 0)];
        const text = `no enforcing admission policy restricts image repositories${found.length > 0 ? `: ${found.join(', ')} ${found.length === 1 ? 'does' : 'do'} not reject` : ''}`;
        if (gaps.length > 0)
          out.push(ctx.outcome('UNKNOWN', ref, `${text}, and ${gaps.join(', ')} could not be read`, { policies: found }));
        else out.push(ctx.outcome('FAIL', ref, text, { policies: found }));
        return out;
      }
      // Namespaces the policies leave out (system namespaces are expected to be excluded unless configured otherwise).
      const judged = namespaceInfos(ctx).filter((ns) => !ns.system || ctx.config.systemNamespaceControls === 'evaluate');
      const uncovered = judged.filter((ns) => !effective.some((r) => r.covers(ns))).map((ns) => ns.name);
      const evidence = {
        policies: effective.map((r) => r.label),
        allowedRepos: repos,
        ...(uncovered.length > 0 ? { uncoveredNamespaces: uncovered } : {}),
      };
      if (uncovered.length > 0) {
        out.push(
          ctx.outcome(
            'FAIL',
            ref,
            `image repositories are restricted by ${effective.map((r) => r.label).join(', ')} but not in namespace${uncovered.length > 1 ? 's' : ''} ${listText(uncovered)}`,
            evidence,
          ),
        );
        return out;
      }
      out.push(
        ctx.outcome(
          'PASS',
          ref,
          `image repositories are restricted by ${effective.map((r) => r.label).join(', ')}; allowed: ${listText(repos, 10)}`,
          evidence,
        ),
      );
      return out;
    },
  },
);
