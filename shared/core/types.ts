/**
 * The vocabulary every layer shares: what is scanned, how a verdict is graded, and where a result
 * points. Nothing here knows about controls, collectors or sinks.
 */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export const STATUSES = ['PASS', 'FAIL', 'NOT_APPLICABLE', 'UNKNOWN', 'ERROR'] as const;
/** UNKNOWN = the data was not readable (403, timeout, private endpoint); ERROR = a collector or check threw. */
export type Status = (typeof STATUSES)[number];

/** What is scanned: one cluster, one registry (account+region), or a set of manifest files. */
export type TargetKind = 'cluster' | 'registry' | 'manifests';

export interface Target {
  kind: TargetKind;
  accountId?: string;
  region?: string;
  name: string;
  arn?: string;
}

/** The object (or one container of it) a result is about. */
export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  container?: string;
}

/**
 * A message that names its resource ("Service ns/x has a unique selector"), written only when a
 * result is read: a large cluster has one such PASS per object, and keeping one string per result
 * cost the engine more than judging. Must be a pure function of the resource: the engine keeps one
 * per verdict and calls it for every result that names it.
 */
export type ResourceMessage = (resource: ResourceRef) => string;

/** Small, secret-free facts that explain a verdict (field paths, names, counts — never values of credentials). */
export type Evidence = Record<string, string | number | boolean | null | string[] | undefined>;

/** Where a manifest object was read from. */
export interface SourceLocation {
  file: string;
  /** The object's first line. */
  line: number;
  /** The YAML document holding it: offsets in the source and the line it starts on (to find a field's line later). */
  document?: { start: number; end: number; line: number };
  /** Within a `List` document, the item indexes leading to the object. */
  items?: number[];
}

/** A file, folder or document that could not be read: reported with file (and line), then skipped; the rest is scanned. */
export interface LoadError {
  file: string;
  line?: number;
  message: string;
}
