import type { SourceLocation } from '../core/types.js';

/** Side information formatters may use but the JSON contract does not carry. */
export interface ReportContext {
  locations?: Map<string, SourceLocation>;
}
