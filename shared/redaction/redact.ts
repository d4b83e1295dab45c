/** Redaction at every sink (reports, store items, events, logs): the credential formats of ./credentials.ts, replaced. */
import { MAYBE_CREDENTIAL, VALUE_PATTERNS } from './credentials.js';

const REDACTED = '[REDACTED]';
type Redaction = { re: RegExp; replacement: string; hint: RegExp };
const REDACTIONS: Redaction[] = VALUE_PATTERNS.map((p) => ({
  re: p.redactRe ?? new RegExp(p.re.source, p.re.flags + 'g'),
  replacement: p.replacement ?? REDACTED,
  hint: p.hint,
}));

/**
 * Redaction for a whole rendered document (JSON, SARIF, XML, HTML): a private key block is only
 * taken up to its END line, so an unterminated header can never swallow the rest of the document.
 */
const DOCUMENT_REDACTIONS: Redaction[] = VALUE_PATTERNS.map((p) => ({
  re: p.redactRe ? new RegExp(p.redactRe.source.replace('|$)', ')') + '|' + p.re.source, 'g') : new RegExp(p.re.source, p.re.flags + 'g'),
  replacement: p.replacement ?? REDACTED,
  hint: p.hint,
}));

function applyRedactions(text: string, redactions: readonly Redaction[]): string {
  if (!MAYBE_CREDENTIAL.test(text)) return text;
  let out = text;
  for (const { re, replacement, hint } of redactions) if (hint.test(out)) out = out.replace(re, replacement);
  return out;
}

export function redactDocument(text: string): string {
  return applyRedactions(text, DOCUMENT_REDACTIONS);
}

/** Replaces every known credential format in a string. Applied to anything hardline writes out. */
export function redact(text: string): string {
  return applyRedactions(text, REDACTIONS);
}

/** Deep redaction of any JSON value (events, store items, log payloads). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map(redactDeep) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}
