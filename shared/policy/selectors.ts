import { asRecord, asString, asStrings } from '../inventory/read.js';

/**
 * Three-valued truth: `undefined` = depends on data we do not have (a pod label when judging "any
 * pod of a namespace"). A namespace is covered only by selectors that are definitely true for it.
 */
export type Tri = boolean | undefined;

/** The value of a label, `null` when absent, `UNKNOWN_LABEL` when it cannot be known. */
export const UNKNOWN_LABEL = Symbol('unknown label');
export type LabelValue = string | null | typeof UNKNOWN_LABEL;
export type LabelLookup = (key: string) => LabelValue;

export function and(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  if (a === undefined || b === undefined) return undefined;
  return true;
}

export function or(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  if (a === undefined || b === undefined) return undefined;
  return false;
}

export function not(a: Tri): Tri {
  return a === undefined ? undefined : !a;
}

/** A lookup over a plain label map: every key is known (absent = null). */
export function mapLookup(labels: Record<string, string>): LabelLookup {
  return (key) => (Object.prototype.hasOwnProperty.call(labels, key) ? labels[key]! : null);
}

/**
 * Kubernetes LabelSelector (`matchLabels` + `matchExpressions`, ANDed). `{}` selects everything;
 * a value that is not an object selects nothing (an invalid selector never widens coverage).
 */
export function matchLabelSelector(selector: unknown, lookup: LabelLookup): Tri {
  const sel = asRecord(selector);
  if (!sel) return false;
  let result: Tri = true;
  const matchLabels = asRecord(sel['matchLabels']);
  // Plain loops, no entry or record lists: a selector is matched once per pod and policy of a large cluster.
  if (matchLabels) {
    for (const key in matchLabels) {
      if (!Object.prototype.hasOwnProperty.call(matchLabels, key)) continue;
      const have = lookup(key);
      const want = matchLabels[key];
      const wanted = typeof want === 'string' ? want : String(want);
      result = and(result, have === UNKNOWN_LABEL ? undefined : have === wanted);
      if (result === false) return false;
    }
  }
  const exprs = sel['matchExpressions'];
  if (Array.isArray(exprs)) {
    for (const item of exprs) {
      const expr = asRecord(item);
      if (!expr) continue;
      result = and(result, matchExpression(expr, lookup));
      if (result === false) return false;
    }
  }
  return result;
}

function matchExpression(expr: Record<string, unknown>, lookup: LabelLookup): Tri {
  const key = asString(expr['key']);
  if (!key) return false;
  const have = lookup(key);
  const values = asStrings(expr['values']);
  const op = asString(expr['operator']) ?? '';
  if (have === UNKNOWN_LABEL) return undefined;
  switch (op) {
    case 'In':
      return have !== null && values.includes(have);
    case 'NotIn':
      return have === null || !values.includes(have);
    case 'Exists':
      return have !== null;
    case 'DoesNotExist':
      return have === null;
    default:
      return false; // an unknown operator is rejected by the API server; never widen coverage
  }
}

/** True when a selector has no terms at all (`{}`): it selects every object in scope. */
export function isEmptySelector(selector: unknown): boolean {
  const sel = asRecord(selector);
  if (!sel) return false;
  const labels = asRecord(sel['matchLabels']);
  const exprs = sel['matchExpressions'];
  return (!labels || Object.keys(labels).length === 0) && (!Array.isArray(exprs) || exprs.length === 0);
}

const UNKNOWN_POD_LABELS: LabelLookup = () => UNKNOWN_LABEL;

/** Selects by pod labels when they are known, otherwise every non-namespace key is unknown. */
export function podLookup(podLabels: Record<string, string> | undefined): LabelLookup {
  return podLabels ? mapLookup(podLabels) : UNKNOWN_POD_LABELS;
}

/** Does a plain `matchLabels`-only map (a Service selector) select these labels? */
export function selectsLabels(selector: Record<string, string>, labels: Record<string, string>): boolean {
  let any = false;
  for (const k in selector) {
    if (!Object.prototype.hasOwnProperty.call(selector, k)) continue;
    if (labels[k] !== selector[k]) return false;
    any = true;
  }
  return any;
}
