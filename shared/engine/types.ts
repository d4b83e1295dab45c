import type { Evidence, ResourceRef, Severity, Status, Target } from '../core/types.js';

export interface ExemptionMatch {
  account?: string;
  region?: string;
  cluster?: string;
  namespace?: string;
  kind?: string;
  name?: string;
}

/** An accepted risk: `controlId` and every `match` field may be globs (`*`, `?`). */
export interface Exemption {
  controlId: string;
  match: ExemptionMatch;
  reason: string;
  /** ISO date or date-time; from then on the exemption no longer applies and the report says so. */
  expires?: string;
  /** Where it came from: `default`, `file:<path>`, `annotation:<kind>/<ns>/<name>`, `store:<caller ARN>`. */
  source?: string;
  /** Who granted it: the API caller for stored exemptions; a file may name its approver. */
  by?: string;
}

export interface ExemptionApplied {
  by: string;
  reason: string;
  expires?: string;
  /** Where the exemption came from (`default`, `file:…`, `store:…`, `annotation:…`): always known. */
  source: string;
}

/** How far exemptions are trusted (config `exemptions`). */
export interface ExemptionPolicy {
  /** `off`: annotations never exempt; `named`: explicit catalog ids with a reason; `any`: globs too. */
  annotations: 'off' | 'named' | 'any';
  /** An expiry may lie at most this many days after the scan (or the API write). */
  maxDays: number;
}

/** An exemption that was declared but does not apply, and why (reported, never silently dropped). */
export interface IgnoredExemption {
  source: string;
  controlId?: string;
  problem: string;
}

export interface Result {
  controlId: string;
  status: Status;
  severity: Severity;
  target: Target;
  resource: ResourceRef;
  message: string;
  evidence?: Evidence;
  /** The result keeps its real status; an exempted FAIL does not fail the scan. */
  exempted?: ExemptionApplied;
  /** An exemption matched but had expired: it no longer applies. */
  exemptionExpired?: ExemptionApplied;
}
