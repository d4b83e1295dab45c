import { SEVERITY_RANK, type Severity } from './types.js';

/**
 * The one ranking rule of every "top risks" list (HTML report, fleet dashboard): severity first,
 * the count only among equals, the name last so the order is stable — one CRITICAL outranks fifty LOW.
 */
export function severityThenCount<T>(
  severity: (t: T) => Severity,
  count: (t: T) => number,
  name: (t: T) => string,
): (a: T, b: T) => number {
  return (a, b) => SEVERITY_RANK[severity(b)] - SEVERITY_RANK[severity(a)] || count(b) - count(a) || name(a).localeCompare(name(b));
}
