import { isAbsolute, relative } from 'node:path';
import { Composer, type Document, LineCounter, Parser } from 'yaml';
import { describeError } from '../core/errors.js';
import type { LoadError, SourceLocation, Target } from '../core/types.js';
import { asRecord, asString } from '../inventory/read.js';
import { type Inventory, type KubeObject, SNAPSHOT_API_VERSION, SNAPSHOT_KIND } from '../inventory/types.js';
import { ManifestSources } from './field-lines.js';
import { KUBERNETES_YAML } from './kubernetes-yaml.js';
import { withoutBookkeeping } from './kubernetes/strip.js';
import { listManifestFiles, nodeManifestFs, type ManifestFs } from './manifest-files.js';
import { MAX_DOCUMENT_DEPTH, nestingExceeds } from './nesting.js';
import { SourceLocations, withItem } from './source-locations.js';

/** One target read from files, with what of it could not be read (it is then incomplete). */
export interface LoadedTarget {
  inventory: Inventory;
  loadErrors: LoadError[];
}

export interface LoadedManifests {
  /**
   * The loose manifests as one `manifests` target (present when there were any, or when a file or
   * document failed to load: then it is incomplete even if empty), plus one per snapshot.
   */
  targets: LoadedTarget[];
  inventories: Inventory[];
  errors: LoadError[];
  /** SourceLocation each manifest object came from, by `kind/namespace/name` (SARIF and PolicyReport locations). */
  locations: SourceLocations;
  /** The sources again, to find the line of a field when a report asks (SARIF regions). */
  sources: ManifestSources;
  files: number;
  documents: number;
}

const TOO_DEEP = `nested more than ${MAX_DOCUMENT_DEPTH} levels deep: not scanned`;

/** Error and location names: relative to the working directory when below it, else absolute. */
function displayName(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

/** Accumulates objects from many sources into one manifests inventory plus snapshot inventories. */
export class ManifestLoader {
  /** Every load error, in order (the report's `scan.errors`). */
  readonly errors: LoadError[] = [];
  readonly locations = new SourceLocations();
  private readonly sources = new ManifestSources();
  private readonly objects: KubeObject[] = [];
  /** Errors that may have hidden loose manifests: they make the manifests target incomplete. */
  private readonly looseErrors: LoadError[] = [];
  private readonly snapshots: LoadedTarget[] = [];
  /** Real paths already read, across every path given. */
  private readonly seen = new Set<string>();
  private files = 0;
  private documents = 0;

  constructor(private readonly fs: ManifestFs = nodeManifestFs) {}

  private fail(error: LoadError, owner: LoadError[] = this.looseErrors): void {
    this.errors.push(error);
    owner.push(error);
  }

  /** Reads a path (file or folder). Unreadable files and folders are load errors in the report, not crashes. */
  addPath(path: string): void {
    const listed = listManifestFiles(path, this.fs, this.seen);
    for (const e of listed.errors) this.fail({ ...e, file: displayName(e.file) });
    for (const file of listed.files) {
      // The file is read again, not kept, when a report asks for a field's line; the reader holds
      // the file system alone, not this loader and every object it read.
      const fs = this.fs;
      const read = () => fs.readFile(file);
      if (this.addJsonFile(file, read)) continue;
      let text: string;
      try {
        text = this.fs.readFile(file);
      } catch (e) {
        this.fail({ file: displayName(file), message: `cannot read: ${describeError(e)}` });
        continue;
      }
      this.addText(text, displayName(file), read);
    }
  }

  /**
   * A JSON file parsed in pieces, so a large snapshot's text and its objects are never in memory
   * together; false when it is not JSON or not readable so: it is then read whole, and judged as before.
   */
  private addJsonFile(file: string, read: () => string): boolean {
    if (!this.fs.readJson) return false;
    let value: unknown;
    try {
      value = this.fs.readJson(file);
    } catch {
      return false;
    }
    const name = displayName(file);
    this.files++;
    this.sources.add(name, read);
    this.addJson(value, name);
    return true;
  }

  /**
   * Parses YAML (multi-document) or JSON text; `name` is used in error messages and reports
   * (`stdin` for standard input). `read` gives the text again for field lines (default: this text, kept).
   */
  addText(text: string, name: string, read: () => string = () => text): void {
    this.files++;
    this.sources.add(name, read);
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      // JSON is parsed as JSON first: it is much faster than YAML for large snapshots.
      let value: unknown;
      let parsed = false;
      try {
        value = JSON.parse(text);
        parsed = true;
      } catch (e) {
        if (!(e instanceof SyntaxError)) throw e;
        // Fall through: YAML flow style also starts with { or [, and YAML reports a line number.
      }
      if (parsed) {
        this.addJson(value, name);
        return;
      }
    }
    this.addYaml(text, name);
  }

  private addJson(value: unknown, name: string): void {
    if (nestingExceeds(value, MAX_DOCUMENT_DEPTH)) this.fail({ file: name, line: 1, message: TOO_DEEP });
    else this.addDocument(value, { file: name, line: 1 });
  }

  /**
   * YAML is read one document at a time: the parser's model of a document (tokens, nodes, ranges)
   * is several times the size of the text, and a 50 MB stream of 100,000 Deployments must not
   * hold all of them at once.
   */
  private addYaml(text: string, name: string): void {
    const lineCounter = new LineCounter();
    const composer = new Composer({ ...KUBERNETES_YAML, uniqueKeys: false, prettyErrors: false });
    let startLine = 1;
    try {
      for (const doc of composer.compose(new Parser(lineCounter.addNewLine).parse(text))) {
        startLine = lineCounter.linePos(doc.range?.[0] ?? 0).line;
        this.addYamlDocument(doc, name, lineCounter, startLine);
      }
    } catch (e) {
      // The YAML parser recurses: a pathologically nested document can exhaust the stack.
      this.fail({ file: name, line: startLine, message: e instanceof RangeError ? TOO_DEEP : `invalid YAML: ${describeError(e)}` });
    }
  }

  private addYamlDocument(doc: Document.Parsed, name: string, lineCounter: LineCounter, startLine: number): void {
    if (doc.errors.length > 0) {
      const err = doc.errors[0]!;
      const line = err.linePos?.[0]?.line ?? (err.pos ? lineCounter.linePos(err.pos[0]).line : startLine);
      // The YAML library reports its own stack overflow on deep nesting as a document error.
      const tooDeep = /maximum call stack/i.test(err.message);
      this.fail({ file: name, line, message: tooDeep ? TOO_DEEP : `invalid YAML: ${err.message.split('\n')[0]}` });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      this.fail({ file: name, line: startLine, message: e instanceof RangeError ? TOO_DEEP : `invalid YAML: ${describeError(e)}` });
      return;
    }
    const contentLine = doc.contents?.range ? lineCounter.linePos(doc.contents.range[0]).line : startLine;
    if (nestingExceeds(value, MAX_DOCUMENT_DEPTH)) {
      this.fail({ file: name, line: contentLine, message: TOO_DEEP });
      return;
    }
    const range = doc.range;
    const where: SourceLocation = { file: name, line: contentLine };
    if (range) where.document = { start: range[0], end: range[2], line: startLine };
    this.addDocument(value, where);
  }

  /** `item`: the value's index in the List at `where` (-1: the value is the document at `where`). */
  private addDocument(value: unknown, where: SourceLocation, item = -1): void {
    const { file, line } = where;
    if (value === null || value === undefined) return; // empty document (e.g. a trailing ---)
    if (Array.isArray(value)) {
      value.forEach((v) => this.addDocument(v, where, item));
      return;
    }
    const obj = asRecord(value);
    if (!obj) {
      this.fail({ file, line, message: `not a Kubernetes object (a ${typeof value})` });
      return;
    }
    if (obj['apiVersion'] === SNAPSHOT_API_VERSION && obj['kind'] === SNAPSHOT_KIND) {
      this.addSnapshot(obj, file, line);
      return;
    }
    const kind = asString(obj['kind']);
    if (!kind) {
      this.fail({ file, line, message: 'document has no kind' });
      return;
    }
    // Everything downstream reads kind and apiVersion as strings (KubeObject); other fields stay untrusted.
    if (obj['apiVersion'] !== undefined && typeof obj['apiVersion'] !== 'string') {
      this.fail({ file, line, message: `${kind}: apiVersion is not a string` });
      return;
    }
    if (kind.endsWith('List') && Array.isArray(obj['items'])) {
      // `List` and typed lists (PodList): items of typed lists may omit apiVersion and kind.
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      const list = item < 0 ? where : withItem(where, item);
      obj['items'].forEach((child: unknown, i: number) => {
        const rec = asRecord(child);
        if (rec && itemKind && !rec['kind']) {
          this.addDocument({ apiVersion: obj['apiVersion'], kind: itemKind, ...rec }, list, i);
        } else this.addDocument(child, list, i);
      });
      return;
    }
    this.documents++;
    const k = withoutBookkeeping(obj as KubeObject);
    this.objects.push(k);
    const name = asString(k.metadata?.name);
    if (name) this.locations.add(kind, asString(k.metadata?.namespace), name, where, item);
  }

  private addSnapshot(obj: Record<string, unknown>, file: string, line: number): void {
    const target = asRecord(obj['target']);
    const resources = obj['resources'];
    if (!target || typeof target['name'] !== 'string' || !Array.isArray(resources)) {
      this.fail({ file, line, message: 'snapshot is missing target.name or resources[]' });
      return;
    }
    this.documents++;
    const loadErrors: LoadError[] = [];
    const inv: Inventory = {
      target: target as unknown as Target,
      collectedAt: asString(obj['collectedAt']) ?? new Date(0).toISOString(),
      origin: 'snapshot',
      resources: this.snapshotResources(resources, file, line, loadErrors),
      gaps: Array.isArray(obj['gaps']) ? (obj['gaps'] as Inventory['gaps']) : [],
    };
    if (obj['eks'] !== undefined) inv.eks = obj['eks'] as Inventory['eks'];
    if (obj['ecr'] !== undefined) inv.ecr = obj['ecr'] as Inventory['ecr'];
    if (Array.isArray(obj['absentKinds'])) inv.absentKinds = obj['absentKinds'] as string[];
    this.snapshots.push({ inventory: inv, loadErrors });
  }

  /** A snapshot's objects with the shape KubeObject promises; the others are reported (the snapshot is then incomplete). */
  private snapshotResources(resources: unknown[], file: string, line: number, owner: LoadError[]): KubeObject[] {
    const out: KubeObject[] = [];
    resources.forEach((r, i) => {
      const obj = asRecord(r);
      const problem = !obj
        ? 'is not an object'
        : typeof obj['kind'] !== 'string'
          ? 'has no kind'
          : obj['apiVersion'] !== undefined && typeof obj['apiVersion'] !== 'string'
            ? 'has an apiVersion that is not a string'
            : undefined;
      if (problem) this.fail({ file, line, message: `snapshot resources[${i}] ${problem}` }, owner);
      else out.push(obj as KubeObject);
    });
    return out;
  }

  result(target: Target, collectedAt: string): LoadedManifests {
    const targets: LoadedTarget[] = [];
    if (this.objects.length > 0 || this.looseErrors.length > 0) {
      targets.push({
        inventory: { target, collectedAt, origin: 'manifests', resources: this.objects, gaps: [] },
        loadErrors: this.looseErrors,
      });
    }
    targets.push(...this.snapshots);
    return {
      targets,
      inventories: targets.map((t) => t.inventory),
      errors: this.errors,
      locations: this.locations,
      sources: this.sources,
      files: this.files,
      documents: this.documents,
    };
  }
}
