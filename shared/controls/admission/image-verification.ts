import { listText } from '../../core/text.js';
import { nameOf } from '../../inventory/objects.js';
import { asRecords, asString, asStrings, getPath } from '../../inventory/read.js';
import { constraintGaps, GATEKEEPER_CONSTRAINT_SOURCE, gatekeeperConstraints } from '../../policy/admission/gatekeeper.js';
import { KYVERNO_KINDS, kyvernoRules } from '../../policy/admission/kyverno.js';
import { type NamespaceInfo, namespaceInfos } from '../../policy/namespaces.js';
import { defineControl } from '../define.js';
import { clusterRef } from '../refs.js';
import type { CheckContext, Outcome } from '../types.js';

/** A policy that verifies image signatures at admission, and where it rejects unverified images. */
interface Verifier {
  label: string;
  enforcing: boolean;
  action: string;
  covers(ns: NamespaceInfo): boolean;
}

const SIGSTORE_OPT_IN = 'policy.sigstore.dev/include';
/** Gatekeeper external-data providers that verify signatures (Ratify, the cosign provider, Notation). */
const SIGNATURE_PROVIDER = /ratify|cosign|notation|sigstore/i;

/** `external_data({"provider": "ratify-provider", …})` in a template's Rego. */
function callsSignatureProvider(rego: string): boolean {
  return [...rego.matchAll(/external_data\s*\(\s*\{[^}]*?"provider"\s*:\s*"([^"]+)"/g)].some((m) => SIGNATURE_PROVIDER.test(m[1]!));
}

/** Kyverno verifyImages entries that check something (attestors or attestations), each with its failure action. */
function kyvernoVerifiers(ctx: CheckContext): Verifier[] {
  const out: Verifier[] = [];
  for (const r of kyvernoRules(ctx)) {
    const entries = asRecords(r.rule['verifyImages']).filter(
      (e) => asRecords(e['attestors']).length > 0 || asRecords(e['attestations']).length > 0,
    );
    if (entries.length === 0) continue;
    // Kyverno 1.13+ sets the failure action per verifyImages entry; older policies take the policy's validationFailureAction.
    const own = entries.map((e) => asString(e['failureAction'])).filter((a): a is string => a !== undefined);
    const ownEnforce = own.some((a) => a.toLowerCase() === 'enforce');
    const images = entries.flatMap((e) => asStrings(e['imageReferences']));
    out.push({
      label: `${r.label}${images.length > 0 ? ` (images ${listText(images, 3)})` : ''}`,
      // An Audit policy with Enforce overrides for some namespaces still enforces there.
      enforcing: own.length > 0 ? ownEnforce : r.action.includes('Enforce'),
      action: own.length > 0 ? `failureAction ${own.join('/')}` : r.action,
      covers: (ns) => r.covers(ns) && (own.length > 0 ? ownEnforce : r.enforcedIn(ns)),
    });
  }
  return out;
}

/** Sigstore policy-controller: ClusterImagePolicies with authorities, enforced (mode enforce, the default) in opted-in namespaces. */
function sigstoreVerifiers(ctx: CheckContext): Verifier[] {
  return ctx.index
    .byKind('ClusterImagePolicy')
    .filter((p) => asRecords(getPath(p, 'spec', 'authorities')).length > 0)
    .map((p) => {
      const mode = asString(getPath(p, 'spec', 'mode')) ?? 'enforce';
      return {
        label: `ClusterImagePolicy/${nameOf(p)}`,
        enforcing: mode === 'enforce',
        action: `mode ${mode}`,
        covers: (ns: NamespaceInfo) => ns.labels[SIGSTORE_OPT_IN] === 'true',
      };
    });
}

/** Gatekeeper constraints whose template asks an external-data provider that verifies signatures (Ratify and the like). */
function gatekeeperVerifiers(ctx: CheckContext): Verifier[] {
  const verifying = new Set(
    ctx.index
      .byKind('ConstraintTemplate')
      .filter((t) => asRecords(getPath(t, 'spec', 'targets')).some((target) => callsSignatureProvider(asString(target['rego']) ?? '')))
      .map((t) => asString(getPath(t, 'spec', 'crd', 'spec', 'names', 'kind')) ?? ''),
  );
  return gatekeeperConstraints(ctx)
    .filter((c) => verifying.has(c.kind) || /^ratify/i.test(c.kind))
    .map((c) => ({
      label: `${c.kind}/${c.name}`,
      enforcing: c.enforcing,
      action: `enforcementAction ${c.action}`,
      covers: (ns: NamespaceInfo) => c.match.covers(ns),
    }));
}

export const admissionImageVerification = defineControl(
  {
    id: 'admission.image-verification',
    title: 'Admission control must verify image signatures',
    severity: 'medium',
    category: 'Pod security: building secure container images',
    scope: 'cluster',
    frameworks: { nsa: 'Pod security: building secure container images', kubescape: ['C-0236', 'C-0237'] },
    match: [
      { ref: 'KS C-0236', match: 'related', note: "it verifies running images' cosign signatures against configured keys" },
      {
        ref: 'KS C-0237',
        match: 'related',
        note: 'it checks that running images have a signature; hardline looks for an admission policy that verifies',
      },
    ],
    rationale:
      'Without signature verification any image that reaches a registry the cluster can pull from runs, including one pushed with stolen ' +
      'CI credentials. Counted: Kyverno verifyImages rules with attestors or attestations whose failure action is Enforce, Sigstore ' +
      'policy-controller ClusterImagePolicies with authorities in mode enforce (they apply only to namespaces labelled ' +
      'policy.sigstore.dev/include: "true"), and enforcing Gatekeeper constraints whose template calls a signature-verifying external-data ' +
      'provider (Ratify, cosign, Notation). Every namespace outside the system ones must be covered. A policy engine whose policies could ' +
      'not be read is UNKNOWN; one that is not installed counts as none.',
    remediation:
      'Enforce signature verification for your images: a Kyverno ClusterPolicy with a verifyImages rule (attestors: your cosign key or ' +
      'keyless identity; failureAction: Enforce), or Sigstore policy-controller ClusterImagePolicies with the namespaces labelled ' +
      '`policy.sigstore.dev/include: "true"`, or Ratify with its Gatekeeper constraint (enforcementAction: deny).',
  },
  {
    reads: [...KYVERNO_KINDS, 'ClusterImagePolicy', GATEKEEPER_CONSTRAINT_SOURCE, 'ConstraintTemplate', 'Namespace'],
    check(ctx): Outcome[] {
      const ref = clusterRef(ctx);
      const verifiers = [...kyvernoVerifiers(ctx), ...sigstoreVerifiers(ctx), ...gatekeeperVerifiers(ctx)];
      const effective = verifiers.filter((v) => v.enforcing);
      if (effective.length === 0) {
        const found = verifiers.map((v) => `${v.label} (${v.action})`);
        const gaps = [
          ...constraintGaps(ctx),
          ...[...KYVERNO_KINDS, 'ClusterImagePolicy', 'ConstraintTemplate'].filter((k) => ctx.index.gaps(k).length > 0),
        ];
        const text = `no admission policy rejects unsigned images${found.length > 0 ? `: ${found.join(', ')} only ${found.length === 1 ? 'reports' : 'report'}` : ''}`;
        if (gaps.length > 0) return [ctx.outcome('UNKNOWN', ref, `${text}, and ${gaps.join(', ')} could not be read`, { policies: found })];
        return [ctx.outcome('FAIL', ref, text, { policies: found })];
      }
      const judged = namespaceInfos(ctx).filter((ns) => !ns.system || ctx.config.systemNamespaceControls === 'evaluate');
      const uncovered = judged.filter((ns) => !effective.some((v) => v.covers(ns))).map((ns) => ns.name);
      const labels = effective.map((v) => v.label);
      if (uncovered.length > 0) {
        const hint = effective.some((v) => v.label.startsWith('ClusterImagePolicy/'))
          ? ` (ClusterImagePolicies apply only to namespaces labelled ${SIGSTORE_OPT_IN}: "true")`
          : '';
        return [
          ctx.outcome(
            'FAIL',
            ref,
            `image signatures are verified by ${listText(labels)} but not in namespace${uncovered.length > 1 ? 's' : ''} ${listText(uncovered)}${hint}`,
            { policies: labels, uncoveredNamespaces: uncovered },
          ),
        ];
      }
      return [ctx.outcome('PASS', ref, `image signatures are verified at admission by ${listText(labels)}`, { policies: labels })];
    },
  },
);
