import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { SourceLocation } from '../core/types.js';
import { KUBERNETES_YAML } from './kubernetes-yaml.js';
import { isPodBearingKind } from '../inventory/workloads.js';

/** The line of one field of one manifest object, asked for by a report (a SARIF region). */
export interface FieldRequest {
  location: SourceLocation;
  /** The object's kind: on pod-bearing kinds `spec.` and container paths are relative to the pod template. */
  kind: string;
  /** A field path as results name it: `spec.template.spec.hostPID`, `containers[app].securityContext.privileged`, `metadata.annotations[k]`. */
  field: string;
}

type Segment = { key: string } | { select: string } | { any: true };

/** `a.b[c].d[]`, where a bracket holds a name (which may contain dots) or nothing. */
export function fieldSegments(field: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  while (i < field.length) {
    if (field[i] === '.') i++;
    else if (field[i] === '[') {
      const close = field.indexOf(']', i);
      if (close < 0) break;
      const inside = field.slice(i + 1, close);
      out.push(inside === '' ? { any: true } : { select: inside });
      i = close + 1;
    } else {
      let j = i;
      while (j < field.length && field[j] !== '.' && field[j] !== '[') j++;
      out.push({ key: field.slice(i, j) });
      i = j;
    }
  }
  return out;
}

/**
 * The path inside the object. Workload results name pod fields the way the container walk sees
 * them — `spec.` is the pod spec, a container by its list and name, `metadata.` the pod's — so on
 * a Deployment or CronJob they are under the pod template.
 */
function objectPath(kind: string, field: string): Segment[] {
  const segments = fieldSegments(field);
  if (!isPodBearingKind(kind) || kind === 'Pod') {
    // A Pod's container fields are named without `spec.`.
    const first = segments[0];
    return kind === 'Pod' && first && 'key' in first && first.key !== 'spec' && first.key !== 'metadata'
      ? [{ key: 'spec' }, ...segments]
      : segments;
  }
  const template = kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template'] : ['spec', 'template'];
  const prefix = template.map((key) => ({ key }));
  const first = segments[0];
  if (first && 'key' in first && (first.key === 'spec' || first.key === 'metadata')) return [...prefix, ...segments];
  return [...prefix, { key: 'spec' }, ...segments];
}

/** Offset of the deepest node the path reaches (a key's own position when it names one). */
function deepestOffset(root: unknown, path: readonly Segment[]): number | undefined {
  let node: unknown = root;
  let found: number | undefined;
  for (let s = 0; s < path.length; s++) {
    const seg = path[s]!;
    if ('key' in seg) {
      if (!isMap(node)) break;
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg.key);
      if (!pair) break;
      found = (pair.key as Node).range?.[0] ?? found;
      node = pair.value;
      continue;
    }
    if (!isSeq(node)) break;
    let item: unknown;
    if ('any' in seg) {
      // `volumes[].hostPath`: the first item that has the next field.
      const next = path[s + 1];
      item = node.items.find((i) => next && 'key' in next && isMap(i) && i.has(next.key)) ?? node.items[0];
    } else {
      const byIndex = /^(?:\w+\[)?(\d+)\]?$/.exec(seg.select);
      item =
        node.items.find((i) => isMap(i) && String(i.get('name')) === seg.select) ?? (byIndex ? node.items[Number(byIndex[1])] : undefined);
    }
    if (!item) break;
    found = (item as Node).range?.[0] ?? found;
    node = item;
  }
  return found;
}

function kindOf(node: unknown): string | undefined {
  return isMap(node) ? String(node.get('kind') ?? '') : undefined;
}

/**
 * Where manifest objects came from, to find a field's line when a report asks: the document is
 * read again from its source and parsed alone, so no document model is kept in memory between
 * loading and reporting. Anything that does not resolve — JSON input, a file changed since, a
 * path the document does not have — gives the object's first line.
 */
export class ManifestSources {
  private readonly readers = new Map<string, () => string>();

  add(file: string, read: () => string): void {
    this.readers.set(file, read);
  }

  /** The line of each request, in order; every document is parsed once whatever the number of requests. */
  lines(requests: readonly FieldRequest[]): number[] {
    const out = requests.map((r) => r.location.line);
    const byFile = new Map<string, Map<NonNullable<SourceLocation['document']>, number[]>>();
    requests.forEach((r, i) => {
      const doc = r.location.document;
      if (!doc || !this.readers.has(r.location.file)) return;
      let docs = byFile.get(r.location.file);
      if (!docs) byFile.set(r.location.file, (docs = new Map()));
      const list = docs.get(doc);
      if (list) list.push(i);
      else docs.set(doc, [i]);
    });
    for (const [file, docs] of byFile) {
      let text: string;
      try {
        text = this.readers.get(file)!();
      } catch {
        continue;
      }
      for (const [doc, indexes] of docs) {
        const lineCounter = new LineCounter();
        const parsed = parseDocument(text.slice(doc.start, doc.end), { ...KUBERNETES_YAML, lineCounter, uniqueKeys: false });
        if (parsed.errors.length > 0) continue;
        for (const i of indexes) {
          const r = requests[i]!;
          let root: unknown = parsed.contents;
          for (const item of r.location.items ?? [])
            root = isMap(root) && isSeq(root.get('items')) ? (root.get('items') as { items: unknown[] }).items[item] : undefined;
          // A document that no longer holds this object (the file changed since): its first line.
          const kind = kindOf(root);
          if (kind === undefined || (kind !== '' && kind !== r.kind)) continue;
          const offset = deepestOffset(root, objectPath(r.kind, r.field));
          if (offset !== undefined) out[i] = doc.line + lineCounter.linePos(offset).line - 1;
        }
      }
    }
    return out;
  }
}
