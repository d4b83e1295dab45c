import type * as z from 'zod';

const dotted = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(root)';

export interface IssueFormat {
  /** How a field is named in the message (default `a.b.0`, or `(root)` for the value itself). */
  where?: (path: readonly PropertyKey[]) => string;
  /** Only the first complaint (an HTTP 400 answers one problem at a time). */
  first?: boolean;
}

/** `field: message; other.field: message` — the one way a schema's complaints reach a user. */
export function formatZodIssues(error: z.ZodError, opts: IssueFormat = {}): string {
  const where = opts.where ?? dotted;
  const issues = opts.first ? error.issues.slice(0, 1) : error.issues;
  return issues.map((i) => `${where(i.path)}: ${i.message}`).join('; ') || `${where([])}: invalid`;
}
