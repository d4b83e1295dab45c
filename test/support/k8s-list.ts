/**
 * List semantics of the Kubernetes API, as the fake API server applies them: label and field
 * selectors, etcd key order, and `limit`/`continue` chunking with opaque tokens.
 */
export type JsonObject = Record<string, unknown>;

interface Requirement {
  key: string;
  op: 'exists' | '!exists' | 'in' | 'notin';
  values: string[];
}

/** Parses a label selector (`a=b,c!=d,e,!f,g in (x,y),h notin (z)`); throws on syntax it cannot read. */
export function parseLabelSelector(selector: string): Requirement[] {
  const out: Requirement[] = [];
  // Split on commas outside parentheses.
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  for (const raw of parts.map((p) => p.trim()).filter(Boolean)) {
    let m: RegExpMatchArray | null;
    if ((m = raw.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      out.push({
        key: m[1]!,
        op: m[2] as 'in' | 'notin',
        values: m[3]!
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      });
    } else if ((m = raw.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/))) {
      out.push({ key: m[1]!, op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!] });
    } else if ((m = raw.match(/^!([\w./-]+)$/))) {
      out.push({ key: m[1]!, op: '!exists', values: [] });
    } else if ((m = raw.match(/^([\w./-]+)$/))) {
      out.push({ key: m[1]!, op: 'exists', values: [] });
    } else {
      throw new Error(`unable to parse requirement: ${raw}`);
    }
  }
  return out;
}

function labelsOf(obj: JsonObject): Record<string, string> {
  const meta = obj['metadata'] as JsonObject | undefined;
  return (meta?.['labels'] as Record<string, string> | undefined) ?? {};
}

export function matchesLabels(obj: JsonObject, reqs: readonly Requirement[]): boolean {
  const labels = labelsOf(obj);
  return reqs.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && r.values.includes(labels[r.key]!);
      case 'notin':
        return !has || !r.values.includes(labels[r.key]!);
    }
  });
}

/** Field selectors every kind supports: metadata.name and metadata.namespace (= and !=). */
export function matchesFields(obj: JsonObject, selector: string): boolean {
  const meta = (obj['metadata'] as JsonObject | undefined) ?? {};
  for (const part of selector
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = part.match(/^(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw new Error(`field label not supported: ${part}`);
    const value = String(meta[m[1] === 'metadata.name' ? 'name' : 'namespace'] ?? '');
    if ((m[2] === '!=') === (value === m[3])) return false;
  }
  return true;
}

/** etcd key of an object: lists come back in this order (`<namespace>/<name>`). */
export function storageKey(obj: JsonObject): string {
  const meta = (obj['metadata'] as JsonObject | undefined) ?? {};
  return `${String(meta['namespace'] ?? '')}/${String(meta['name'] ?? '')}`;
}

interface ContinueState {
  /** The list's resourceVersion: pages of one list are one snapshot. */
  rv: string;
  /** Resume after this key. */
  after: string;
}

export function encodeContinue(state: ContinueState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

export function decodeContinue(token: string): ContinueState | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object' && typeof (v as ContinueState).rv === 'string' && typeof (v as ContinueState).after === 'string') {
      return v as ContinueState;
    }
  } catch {
    // fall through
  }
  return undefined;
}

export interface Page {
  items: JsonObject[];
  continueToken?: string;
  remainingItemCount?: number;
}

/** One chunk of a sorted list: items after the token's key, at most `limit` of them. */
export function pageOf(sorted: readonly JsonObject[], rv: string, limit: number | undefined, token: ContinueState | undefined): Page {
  let start = 0;
  if (token) {
    // Binary search for the first key after the token's.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (storageKey(sorted[mid]!) <= token.after) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  if (!limit || limit <= 0 || start + limit >= sorted.length) return { items: sorted.slice(start) };
  const items = sorted.slice(start, start + limit);
  return {
    items,
    continueToken: encodeContinue({ rv, after: storageKey(items[items.length - 1]!) }),
    remainingItemCount: sorted.length - start - limit,
  };
}
