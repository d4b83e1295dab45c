import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { describeError, InputError } from '../errors.js';
import type { InventoryIndex } from '../inventory/indexed.js';
import { namespaceOf } from '../inventory/indexed.js';
import { asString } from '../inventory/read.js';
import type { Target } from '../inventory/types.js';
import type { ResourceRef } from '../controls/types.js';
import { globMatch } from './glob.js';
import type { Exemption, ExemptionApplied } from './types.js';

export const EXEMPT_ANNOTATION = 'hardline.dev/exempt';
export const EXEMPT_REASON_ANNOTATION = 'hardline.dev/exempt-reason';
export const EXEMPT_EXPIRES_ANNOTATION = 'hardline.dev/exempt-expires';

const isoDate = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), { message: 'expires must be an ISO date (2027-01-31) or date-time' });

export const exemptionSchema = z
  .object({
    controlId: z.string().min(1),
    match: z
      .object({
        account: z.string().min(1).optional(),
        region: z.string().min(1).optional(),
        cluster: z.string().min(1).optional(),
        namespace: z.string().min(1).optional(),
        kind: z.string().min(1).optional(),
        name: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
    reason: z.string().min(1, 'every exemption needs a reason'),
    expires: z.union([isoDate, z.date().transform((d) => d.toISOString().slice(0, 10))]).optional(),
    by: z.string().min(1).optional(),
  })
  .strict();

const exemptionListSchema = z.array(exemptionSchema);

/** Parses an exemptions document (a list, or `{exemptions: [...]}`), YAML or JSON. */
export function parseExemptions(raw: unknown, source: string): Exemption[] {
  // Either a bare list or `{exemptions: [...]}`; parsed as one list so errors name the exact field.
  const record = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
  const list = record && 'exemptions' in record ? record['exemptions'] : (raw ?? []);
  const parsed = exemptionListSchema.safeParse(list);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new InputError(`${source}: invalid exemptions: ${issues}`, { file: source });
  }
  return parsed.data.map((e) => ({ ...e, source: `file:${source}` }));
}

export function loadExemptionsFile(file: string): Exemption[] {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`cannot read exemptions ${file}: ${describeError(e)}`, { file, cause: e });
  }
  return parseExemptions(raw, file);
}

/** An ISO date means "through that day" (UTC); a date-time is exact. */
export function expiryInstant(expires: string): number {
  const t = Date.parse(expires);
  return /^\d{4}-\d{2}-\d{2}$/.test(expires) ? t + 86_400_000 : t;
}

export function isExpired(e: { expires?: string }, now: Date): boolean {
  return e.expires !== undefined && expiryInstant(e.expires) <= now.getTime();
}

function applied(e: Exemption): ExemptionApplied {
  const a: ExemptionApplied = { by: e.by ?? e.source ?? 'exemption', reason: e.reason };
  if (e.expires !== undefined) a.expires = e.expires;
  return a;
}

function matches(e: Exemption, controlId: string, target: Target, r: ResourceRef): boolean {
  const m = e.match;
  return (
    globMatch(e.controlId, controlId) &&
    (m.account === undefined || globMatch(m.account, target.accountId ?? '')) &&
    (m.region === undefined || globMatch(m.region, target.region ?? '')) &&
    (m.cluster === undefined || globMatch(m.cluster, target.name)) &&
    (m.namespace === undefined || globMatch(m.namespace, r.namespace ?? '')) &&
    (m.kind === undefined || globMatch(m.kind, r.kind)) &&
    (m.name === undefined || globMatch(m.name, r.name))
  );
}

/** Exemptions declared by annotation on objects and namespaces, keyed for O(1) lookup per result. */
function annotationExemptions(index: InventoryIndex): Map<string, Exemption[]> {
  const byKey = new Map<string, Exemption[]>();
  for (const obj of index.inventory.resources) {
    const annotations = obj.metadata?.annotations;
    const ids = annotations && asString(annotations[EXEMPT_ANNOTATION]);
    if (!ids) continue;
    const kind = obj.kind ?? '';
    const name = asString(obj.metadata?.name) ?? '';
    const isNamespace = kind === 'Namespace';
    const ns = isNamespace ? name : namespaceOf(obj);
    const key = isNamespace ? nsKey(name) : objKey(kind, ns, name);
    const reason = asString(annotations[EXEMPT_REASON_ANNOTATION]) || `exempted by the ${EXEMPT_ANNOTATION} annotation`;
    const expires = asString(annotations[EXEMPT_EXPIRES_ANNOTATION]);
    const list = byKey.get(key) ?? [];
    for (const id of ids.split(',').map((s) => s.trim()).filter(Boolean)) {
      const where = isNamespace || !ns ? name : `${ns}/${name}`;
      const e: Exemption = { controlId: id, match: {}, reason, source: `annotation:${kind}/${where}` };
      if (expires && !Number.isNaN(Date.parse(expires))) e.expires = expires;
      list.push(e);
    }
    byKey.set(key, list);
  }
  return byKey;
}

const nsKey = (ns: string) => `ns\u0000${ns}`;
const objKey = (kind: string, ns: string, name: string) => `${kind}\u0000${ns}\u0000${name}`;

/** What an exemption lookup found for one result. */
export interface ExemptionDecision {
  exempted?: ExemptionApplied;
  expired?: ExemptionApplied;
}

/**
 * Decides, per result, which exemption applies. Built once per inventory, narrowed once per
 * control (`forControl`), so the per-result lookup only walks exemptions that name that control.
 * An expired exemption never applies but is reported on the result so the report can say it lapsed.
 */
export class ExemptionMatcher {
  private readonly listed: Exemption[];
  private readonly annotated: Map<string, Exemption[]>;
  private readonly now: Date;

  constructor(exemptions: readonly Exemption[], index: InventoryIndex, now: Date) {
    this.listed = [...exemptions];
    this.annotated = annotationExemptions(index);
    this.now = now;
  }

  /** The lookup for one control, or undefined when no exemption could ever apply to it. */
  forControl(controlId: string): ((target: Target, r: ResourceRef) => ExemptionDecision | undefined) | undefined {
    const listed = this.listed.filter((e) => globMatch(e.controlId, controlId));
    const annotated = new Map<string, Exemption[]>();
    for (const [key, list] of this.annotated) {
      const forThis = list.filter((e) => globMatch(e.controlId, controlId));
      if (forThis.length > 0) annotated.set(key, forThis);
    }
    if (listed.length === 0 && annotated.size === 0) return undefined;
    const now = this.now;
    return (target, r) => {
      let expired: Exemption | undefined;
      const candidates = [
        annotated.get(objKey(r.kind, r.namespace ?? '', r.name)),
        r.namespace ? annotated.get(nsKey(r.namespace)) : undefined,
      ];
      for (const list of candidates) {
        for (const e of list ?? []) {
          if (!isExpired(e, now)) return { exempted: applied(e) };
          expired ??= e;
        }
      }
      for (const e of listed) {
        if (!matches(e, controlId, target, r)) continue;
        if (!isExpired(e, now)) return { exempted: applied(e) };
        expired ??= e;
      }
      return expired ? { expired: applied(expired) } : undefined;
    };
  }
}
