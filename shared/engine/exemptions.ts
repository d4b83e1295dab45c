import * as z from 'zod';
import { InputError } from '../core/errors.js';
import { globMatch } from '../core/glob.js';
import type { ResourceRef, Target } from '../core/types.js';
import { formatZodIssues } from '../core/zod-issues.js';
import type { InventoryIndex } from '../inventory/indexed.js';
import { annotationExemptions, nsKey, objKey } from './annotation-exemptions.js';
import { unknownControlProblem } from './control-ids.js';
import { expiresSchema, expiryBeyondPolicy, isExpired } from './expiry.js';
import type { Exemption, ExemptionApplied, ExemptionPolicy, IgnoredExemption } from './types.js';

export const DEFAULT_EXEMPTION_POLICY: ExemptionPolicy = { annotations: 'named', maxDays: 365 };

export const exemptionSchema = z
  .object({
    controlId: z
      .string()
      .min(1)
      .superRefine((id, ctx) => {
        const problem = unknownControlProblem(id);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
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
    reason: z.string().trim().min(1, 'every exemption needs a reason'),
    // YAML loaders that read timestamps hand over a Date: judged as the day it names.
    expires: z.preprocess((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v), expiresSchema).optional(),
    by: z.string().min(1).optional(),
  })
  .strict();

const exemptionListSchema = z.array(exemptionSchema);

export interface ExemptionParseOptions {
  policy?: Pick<ExemptionPolicy, 'maxDays'>;
  /** The scan's clock: an expiry is judged against it. */
  now: Date;
}

/**
 * Parses an exemptions document (a list, or `{exemptions: [...]}`), YAML or JSON. Every problem
 * (unknown control id, impossible date, missing reason, expiry beyond maxDays) is an InputError
 * naming the entry by index and field.
 */
export function parseExemptions(raw: unknown, source: string, opts: ExemptionParseOptions): Exemption[] {
  // Either a bare list or `{exemptions: [...]}`; parsed as one list so errors name the exact field.
  const record = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
  const list = record && 'exemptions' in record ? record['exemptions'] : (raw ?? []);
  const where = (path: readonly PropertyKey[]) => {
    const [index, ...field] = path;
    return typeof index === 'number' ? `exemptions[${index}]${field.length ? `.${field.join('.')}` : ''}` : 'exemptions';
  };
  const parsed = exemptionListSchema.safeParse(list);
  if (!parsed.success) {
    throw new InputError(`${source}: invalid exemptions: ${formatZodIssues(parsed.error, { where })}`, { file: source });
  }
  const policy = opts.policy ?? DEFAULT_EXEMPTION_POLICY;
  const now = opts.now;
  const tooFar = parsed.data.flatMap((e, i) => {
    const problem = e.expires === undefined ? undefined : expiryBeyondPolicy(e.expires, policy, now);
    return problem ? [`${where([i, 'expires'])}: ${problem}`] : [];
  });
  if (tooFar.length > 0) throw new InputError(`${source}: invalid exemptions: ${tooFar.join('; ')}`, { file: source });
  return parsed.data.map((e) => ({ ...e, source: `file:${source}` }));
}

function applied(e: Exemption): ExemptionApplied {
  const source = e.source ?? 'unspecified';
  const a: ExemptionApplied = { by: e.by ?? source, reason: e.reason, source };
  if (e.expires !== undefined) a.expires = e.expires;
  return a;
}

/** A pattern compiled once: any value, one literal, or a glob. */
function tester(pattern: string | undefined): (value: string) => boolean {
  if (pattern === undefined || pattern === '*') return () => true;
  if (!/[*?]/.test(pattern)) return (value) => value === pattern;
  return (value) => globMatch(pattern, value);
}

/** Whether an exemption's account, region and cluster patterns take in a target. */
function targetTester(m: Exemption['match']): (target: Target) => boolean {
  const account = tester(m.account);
  const region = tester(m.region);
  const cluster = tester(m.cluster);
  return (target) => account(target.accountId ?? '') && region(target.region ?? '') && cluster(target.name);
}

/** Whether an exemption's namespace, kind and name patterns take in a resource. */
function resourceTester(m: Exemption['match']): (r: ResourceRef) => boolean {
  const namespace = tester(m.namespace);
  const kind = tester(m.kind);
  const name = tester(m.name);
  return (r) => namespace(r.namespace ?? '') && kind(r.kind) && name(r.name);
}

/** What an exemption lookup found for one result. */
export interface ExemptionDecision {
  exempted?: ExemptionApplied;
  expired?: ExemptionApplied;
}

/**
 * Decides, per result, which exemption applies. Built once per inventory, narrowed once per
 * control (`forControl`), so the per-result lookup only walks exemptions that name that control.
 * An expired exemption never applies but is reported on the result so the report can say it lapsed;
 * annotations the policy refuses are listed in `ignored`.
 */
export class ExemptionMatcher {
  private readonly listed: Exemption[];
  private readonly annotated: Map<string, Exemption[]>;
  private readonly now: Date;
  readonly ignored: readonly IgnoredExemption[];

  constructor(exemptions: readonly Exemption[], index: InventoryIndex, now: Date, policy: ExemptionPolicy = DEFAULT_EXEMPTION_POLICY) {
    this.listed = [...exemptions];
    const fromAnnotations = annotationExemptions(index, policy, now);
    this.annotated = fromAnnotations.byKey;
    this.ignored = fromAnnotations.ignored;
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
    // Run for every FAIL and UNKNOWN of a scan: the patterns are compiled once per control, the
    // target's fields judged once per target, and the annotation maps looked at only when not empty.
    const compiled = listed.map((e) => ({ e, target: targetTester(e.match), resource: resourceTester(e.match) }));
    let lastTarget: Target | undefined;
    let targetMatches: boolean[] = [];
    return (target, r) => {
      let expired: Exemption | undefined;
      if (annotated.size > 0) {
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
      }
      if (target !== lastTarget) {
        lastTarget = target;
        targetMatches = compiled.map((c) => c.target(target));
      }
      for (let i = 0; i < compiled.length; i++) {
        const { e, resource } = compiled[i]!;
        if (!targetMatches[i] || !resource(r)) continue;
        if (!isExpired(e, now)) return { exempted: applied(e) };
        expired ??= e;
      }
      return expired ? { expired: applied(expired) } : undefined;
    };
  }
}
