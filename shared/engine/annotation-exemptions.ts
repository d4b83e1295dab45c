import { namespaceOf, type InventoryIndex } from '../inventory/indexed.js';
import { asString } from '../inventory/read.js';
import type { KubeObject } from '../inventory/types.js';
import { hasGlob, unknownControlProblem } from './control-ids.js';
import { expiresSchema, expiryBeyondPolicy } from './expiry.js';
import type { Exemption, ExemptionPolicy, IgnoredExemption } from './types.js';

export const EXEMPT_ANNOTATION = 'hardline.dev/exempt';
export const EXEMPT_REASON_ANNOTATION = 'hardline.dev/exempt-reason';
export const EXEMPT_EXPIRES_ANNOTATION = 'hardline.dev/exempt-expires';

export const nsKey = (ns: string) => `ns\u0000${ns}`;
export const objKey = (kind: string, ns: string, name: string) => `${kind}\u0000${ns}\u0000${name}`;

function expiryProblem(expires: string, policy: ExemptionPolicy, now: Date): string | undefined {
  if (!expiresSchema.safeParse(expires).success)
    return `${EXEMPT_EXPIRES_ANNOTATION} '${expires.slice(0, 40)}' is not a real date (2027-01-31) or ISO date-time with zone`;
  const beyond = expiryBeyondPolicy(expires, policy, now);
  return beyond ? `${EXEMPT_EXPIRES_ANNOTATION} ${beyond}` : undefined;
}

/** What the annotations of a scan declare: exemptions keyed for lookup, and those the policy refused. */
interface Declared {
  byKey: Map<string, Exemption[]>;
  ignored: IgnoredExemption[];
}

/**
 * Exemptions declared by annotation on objects and namespaces, keyed for O(1) lookup per result.
 * Anyone who can edit a namespace can annotate it, so the policy decides what such a declaration
 * may do: `named` accepts explicit catalog ids with a reason, `any` also globs; what does not
 * qualify does not apply and is returned in `ignored` with the reason.
 */
export function annotationExemptions(index: InventoryIndex, policy: ExemptionPolicy, now: Date): Declared {
  const declared: Declared = { byKey: new Map(), ignored: [] };
  const resources = index.inventory.resources;
  // Every object of every scan is read here and almost none is annotated: the loop only reads the
  // one annotation (its body stays small, so it is optimized while it runs), the rest is done apart.
  for (let i = 0; i < resources.length; i++) {
    const obj = resources[i]!;
    const annotations = obj.metadata?.annotations;
    if (!annotations) continue;
    const ids = annotations[EXEMPT_ANNOTATION];
    if (ids !== undefined) declare(declared, obj, annotations, ids, policy, now);
  }
  return declared;
}

/** Adds what one object's annotations declare. */
function declare(
  declared: Declared,
  obj: KubeObject,
  annotations: Record<string, unknown>,
  value: unknown,
  policy: ExemptionPolicy,
  now: Date,
): void {
  const ids = asString(value)?.trim();
  if (!ids) return;
  const kind = obj.kind ?? '';
  const name = asString(obj.metadata?.name) ?? '';
  const isNamespace = kind === 'Namespace';
  const ns = isNamespace ? name : namespaceOf(obj);
  const source = `annotation:${kind}/${isNamespace || !ns ? name : `${ns}/${name}`}`;
  const declaredReason = asString(annotations[EXEMPT_REASON_ANNOTATION])?.trim();
  const expires = asString(annotations[EXEMPT_EXPIRES_ANNOTATION])?.trim() || undefined;
  // Problems of the annotation as a whole; each id may add its own.
  const shared =
    policy.annotations === 'off'
      ? 'annotation exemptions are turned off (exemptions.annotations: off)'
      : [
          !declaredReason && policy.annotations === 'named'
            ? `no ${EXEMPT_REASON_ANNOTATION}: an annotation exemption needs a reason (exemptions.annotations: named)`
            : undefined,
          expires === undefined ? undefined : expiryProblem(expires, policy, now),
        ]
          .filter(Boolean)
          .join('; ');
  const reason = declaredReason || `exempted by the ${EXEMPT_ANNOTATION} annotation`;
  const key = isNamespace ? nsKey(name) : objKey(kind, ns, name);
  const list = declared.byKey.get(key) ?? [];
  for (const id of ids
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const own =
      policy.annotations === 'named' && hasGlob(id)
        ? `'${id}' is a glob: an annotation exemption must name each control id (exemptions.annotations: named)`
        : unknownControlProblem(id);
    const problem = [shared, own].filter(Boolean).join('; ');
    if (problem) {
      declared.ignored.push({ source, controlId: id, problem });
      continue;
    }
    const e: Exemption = { controlId: id, match: {}, reason, source };
    if (expires) e.expires = expires;
    list.push(e);
  }
  if (list.length > 0) declared.byKey.set(key, list);
}
