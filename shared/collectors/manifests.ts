import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { describeError } from '../errors.js';
import { asRecord, asString } from '../inventory/read.js';
import type { Inventory, KubeObject, Target } from '../inventory/types.js';
import { SNAPSHOT_API_VERSION, SNAPSHOT_KIND } from '../inventory/types.js';

/** A document that could not be read: reported with file and line, then skipped. */
export interface LoadError {
  file: string;
  line?: number;
  message: string;
}

export interface SourceLocation {
  file: string;
  line: number;
}

export interface LoadedManifests {
  /** All loose manifests as one `manifests` target (undefined if there were none), plus one per snapshot. */
  inventories: Inventory[];
  errors: LoadError[];
  /** Where each manifest object came from, keyed by `kind/namespace/name` (SARIF and table locations). */
  locations: Map<string, SourceLocation>;
  files: number;
  documents: number;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export function locationKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

/** Files under a path: the file itself, or every manifest file below a folder (sorted, hidden folders skipped). */
export function listManifestFiles(path: string): string[] {
  const st = statSync(path);
  if (st.isFile()) return [path];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase())) out.push(full);
    }
  };
  walk(path);
  return out;
}

/** Accumulates objects from many sources into one manifests inventory plus snapshot inventories. */
export class ManifestLoader {
  readonly errors: LoadError[] = [];
  readonly locations = new Map<string, SourceLocation>();
  private readonly objects: KubeObject[] = [];
  private readonly snapshots: Inventory[] = [];
  private files = 0;
  private documents = 0;

  /** Reads a path (file or folder). A path that does not exist is an error in the report, not a crash. */
  addPath(path: string): void {
    let files: string[];
    try {
      files = listManifestFiles(path);
    } catch (e) {
      this.errors.push({ file: path, message: `cannot read: ${describeError(e)}` });
      return;
    }
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        this.errors.push({ file, message: `cannot read: ${describeError(e)}` });
        continue;
      }
      this.addText(text, relative(process.cwd(), file) || file);
    }
  }

  /** Parses YAML (multi-document) or JSON text; `name` is used in error messages (`-` for stdin). */
  addText(text: string, name: string): void {
    this.files++;
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      // JSON is parsed as JSON first: it is much faster than YAML for large snapshots.
      try {
        this.addDocument(JSON.parse(text), name, 1);
        return;
      } catch (e) {
        if (!(e instanceof SyntaxError)) throw e;
        // Fall through: YAML flow style also starts with { or [, and YAML reports a line number.
      }
    }
    const lineCounter = new LineCounter();
    const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
    const list = Array.isArray(docs) ? docs : [docs];
    for (const doc of list) {
      const startLine = lineCounter.linePos(doc.range?.[0] ?? 0).line;
      if (doc.errors.length > 0) {
        const err = doc.errors[0]!;
        const line = err.linePos?.[0]?.line ?? (err.pos ? lineCounter.linePos(err.pos[0]).line : startLine);
        this.errors.push({ file: name, line, message: `invalid YAML: ${err.message.split('\n')[0]}` });
        continue;
      }
      let value: unknown;
      try {
        value = doc.toJS({ maxAliasCount: 100 });
      } catch (e) {
        this.errors.push({ file: name, line: startLine, message: `invalid YAML: ${describeError(e)}` });
        continue;
      }
      const contentLine = doc.contents?.range ? lineCounter.linePos(doc.contents.range[0]).line : startLine;
      this.addDocument(value, name, contentLine);
    }
  }

  private addDocument(value: unknown, file: string, line: number): void {
    if (value === null || value === undefined) return; // empty document (e.g. a trailing ---)
    if (Array.isArray(value)) {
      value.forEach((v) => this.addDocument(v, file, line));
      return;
    }
    const obj = asRecord(value);
    if (!obj) {
      this.errors.push({ file, line, message: `not a Kubernetes object (a ${typeof value})` });
      return;
    }
    if (obj['apiVersion'] === SNAPSHOT_API_VERSION && obj['kind'] === SNAPSHOT_KIND) {
      this.addSnapshot(obj, file, line);
      return;
    }
    const kind = asString(obj['kind']);
    if (!kind) {
      this.errors.push({ file, line, message: 'document has no kind' });
      return;
    }
    // Everything downstream reads kind and apiVersion as strings (KubeObject); other fields stay untrusted.
    if (obj['apiVersion'] !== undefined && typeof obj['apiVersion'] !== 'string') {
      this.errors.push({ file, line, message: `${kind}: apiVersion is not a string` });
      return;
    }
    if (kind.endsWith('List') && Array.isArray(obj['items'])) {
      // `List` and typed lists (PodList): items of typed lists may omit apiVersion and kind.
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      for (const item of obj['items']) {
        const rec = asRecord(item);
        if (rec && itemKind && !rec['kind']) {
          this.addDocument({ apiVersion: obj['apiVersion'], kind: itemKind, ...rec }, file, line);
        } else this.addDocument(item, file, line);
      }
      return;
    }
    this.documents++;
    const k = obj as KubeObject;
    this.objects.push(k);
    const name = asString(k.metadata?.name);
    if (name) this.locations.set(locationKey(kind, asString(k.metadata?.namespace), name), { file, line });
  }

  private addSnapshot(obj: Record<string, unknown>, file: string, line: number): void {
    const target = asRecord(obj['target']);
    const resources = obj['resources'];
    if (!target || typeof target['name'] !== 'string' || !Array.isArray(resources)) {
      this.errors.push({ file, line, message: 'snapshot is missing target.name or resources[]' });
      return;
    }
    this.documents++;
    const inv: Inventory = {
      target: target as unknown as Target,
      collectedAt: asString(obj['collectedAt']) ?? new Date(0).toISOString(),
      origin: 'snapshot',
      resources: this.snapshotResources(resources, file, line),
      gaps: Array.isArray(obj['gaps']) ? (obj['gaps'] as Inventory['gaps']) : [],
    };
    if (obj['eks'] !== undefined) inv.eks = obj['eks'] as Inventory['eks'];
    if (obj['ecr'] !== undefined) inv.ecr = obj['ecr'] as Inventory['ecr'];
    if (Array.isArray(obj['absentKinds'])) inv.absentKinds = obj['absentKinds'] as string[];
    this.snapshots.push(inv);
  }

  /** A snapshot's objects with the shape KubeObject promises; the others are reported, never dropped silently. */
  private snapshotResources(resources: unknown[], file: string, line: number): KubeObject[] {
    const out: KubeObject[] = [];
    resources.forEach((r, i) => {
      const obj = asRecord(r);
      const problem = !obj ? 'is not an object' : typeof obj['kind'] !== 'string' ? 'has no kind' : obj['apiVersion'] !== undefined && typeof obj['apiVersion'] !== 'string' ? 'has an apiVersion that is not a string' : undefined;
      if (problem) this.errors.push({ file, line, message: `snapshot resources[${i}] ${problem}` });
      else out.push(obj as KubeObject);
    });
    return out;
  }

  result(target: Target, collectedAt: string): LoadedManifests {
    const inventories: Inventory[] = [];
    if (this.objects.length > 0) {
      inventories.push({ target, collectedAt, origin: 'manifests', resources: this.objects, gaps: [] });
    }
    inventories.push(...this.snapshots);
    return { inventories, errors: this.errors, locations: this.locations, files: this.files, documents: this.documents };
  }
}
