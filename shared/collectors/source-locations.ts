import type { SourceLocation } from '../core/types.js';

export function locationKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

/**
 * Where each manifest object was read from, looked up by `kind/namespace/name` (the last object
 * read under a key wins). Kept as columns, the lookup built on the first question: only SARIF
 * and PolicyReport ask, and a snapshot `List` of 160,000 objects held as a map of location
 * objects cost 66 MB for the whole scan. The items of one List share their document's location.
 */
export class SourceLocations {
  private readonly kinds: string[] = [];
  private readonly namespaces: (string | undefined)[] = [];
  private readonly names: string[] = [];
  private readonly documents: SourceLocation[] = [];
  /** The object's index in its document's List, or -1 when it is the document itself. */
  private readonly items: number[] = [];
  private byKey: Map<string, number> | undefined;

  add(kind: string, namespace: string | undefined, name: string, where: SourceLocation, item = -1): void {
    this.kinds.push(kind);
    this.namespaces.push(namespace);
    this.names.push(name);
    this.documents.push(where);
    this.items.push(item);
    this.byKey = undefined;
  }

  get(key: string): SourceLocation | undefined {
    if (!this.byKey) {
      this.byKey = new Map();
      for (let i = 0; i < this.kinds.length; i++) this.byKey.set(locationKey(this.kinds[i]!, this.namespaces[i], this.names[i]!), i);
    }
    const i = this.byKey.get(key);
    if (i === undefined) return undefined;
    const where = this.documents[i]!;
    const item = this.items[i]!;
    return item < 0 ? where : withItem(where, item);
  }
}

/** The location of item `index` of the List at `where`. */
export function withItem(where: SourceLocation, index: number): SourceLocation {
  return { ...where, items: [...(where.items ?? []), index] };
}
