import type { ManifestSources } from '../collectors/field-lines.js';
import type { SourceLocation } from '../core/types.js';

/** Side information formatters may use but the JSON contract does not carry. */
export interface ReportContext {
  /** Where manifest objects were read from, by `kind/namespace/name`. */
  locations?: Pick<ReadonlyMap<string, SourceLocation>, 'get'>;
  /** The manifests' sources, to point at the line of the offending field (SARIF regions). */
  sources?: ManifestSources;
}
