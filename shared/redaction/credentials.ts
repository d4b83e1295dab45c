/**
 * Recognising credentials without ever repeating them. Used by the credential controls (which
 * name the key, never the value) and by ./redact.ts for every string that leaves hardline.
 */

/** A `name=value` assignment whose name says the value is a secret (`password=`, `Pwd=`, `client_secret=`, `api-key=`). */
const ASSIGNED_SECRET_NAME = String.raw`[A-Za-z0-9_.-]*?(?:pass(?:word|wd|phrase)|pwd|secret|token|api[-_.]?key|access[-_.]?key|auth[-_.]?key|private[-_.]?key|account[-_.]?key)`;
/**
 * …with a literal value: not empty, not a `$(VAR)` / `${VAR}` / `%VAR%` / `{{ template }}` / `<placeholder>`
 * reference, not already redacted, not the next `name=` of a list (`password= token=`). The value
 * ends at whitespace, quotes, `;` `&` `,` (connection strings, query strings, lists).
 */
const ASSIGNMENT = String.raw`(?<![A-Za-z0-9_.-])(${ASSIGNED_SECRET_NAME}\s*=(?:[ \t]+(?![\w.-]*=))?)(?!\$[({]|%[A-Za-z_]|\{\{|<|\[REDACTED\])[^\s;&,"'<>]+`;
/** `user:password@registry.example.com/…` in an image reference (no scheme, so the URL pattern misses it). */
const IMAGE_CREDENTIALS = String.raw`(?<![\w.\/:@-])[\w.-]+:[^\s:\/@"']+(@(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d+)?\/)`;

/**
 * PEM armour as written, not only as RFC 7468 spells it: four dashes or six, spaces inside, any
 * key type (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP … KEY BLOCK). Certificates and public keys do not match.
 */
const PEM_ARMOUR = (edge: 'BEGIN' | 'END') =>
  String.raw`-{2,}[ \t]*${edge}[ \t]+(?:[A-Z0-9]+[ \t]+)*PRIVATE[ \t]+KEY(?:[ \t]+BLOCK)?[ \t]*-{2,}`;

const JSON_QUOTE = String.raw`(?:\\?"|&quot;)`;

/** Known token formats: the name says what was found, the pattern never leaves this module. */
export const VALUE_PATTERNS: {
  kind: string;
  re: RegExp;
  redactRe?: RegExp;
  replacement?: string;
  /** A cheap test that must pass before the (slower) pattern runs. */
  hint: RegExp;
  literal?: (value: string) => boolean;
}[] = [
  { kind: 'AWS access key id', re: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/, hint: /A[KSBC][IC]A/ },
  {
    kind: 'private key',
    re: new RegExp(PEM_ARMOUR('BEGIN')),
    hint: /PRIVATE[ \t]+KEY/,
    // Redaction takes the whole block (or the rest of the text when the END line is cut off).
    redactRe: new RegExp(`${PEM_ARMOUR('BEGIN')}[\\s\\S]*?(?:${PEM_ARMOUR('END')}|$)`, 'g'),
  },
  {
    kind: 'PuTTY private key',
    re: /PuTTY-User-Key-File-\d+:/,
    hint: /PuTTY-User-Key-File/,
    redactRe: /PuTTY-User-Key-File-\d+:[\s\S]*?(?:Private-MAC:[ \t]*[0-9a-fA-F]+|$)/g,
  },
  {
    // A service account key file (GCP) or any JSON carrying a private key: the field's value, PEM armour or
    // not — also inside a rendered document, where its quotes are escaped (\" in JSON, &quot; in XML/HTML).
    kind: 'private key in JSON',
    re: new RegExp(`${JSON_QUOTE}private_key${JSON_QUOTE}\\s*:\\s*${JSON_QUOTE}(?!${JSON_QUOTE})`),
    hint: /private_key(?:\\?"|&quot;)/,
    redactRe: new RegExp(`(${JSON_QUOTE}private_key${JSON_QUOTE}\\s*:\\s*${JSON_QUOTE})(?:(?!&quot;)[^"\\\\]|\\\\(?!"))+`, 'g'),
    replacement: '$1[REDACTED]',
  },
  { kind: 'JSON web token', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, hint: /eyJ/ },
  { kind: 'GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/, hint: /gh[pousr]_|github_pat_/ },
  { kind: 'Slack token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/, hint: /xox[abposr]-/ },
  // The key may end in `-` or `_`, after which \b would not match.
  { kind: 'Google API key', re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/, hint: /AIza/ },
  {
    kind: 'Azure client secret',
    re: /(?<![\w~.])[\w~.]{3}\dQ~[\w~.-]{31,34}(?![\w~.-])/,
    hint: /\dQ~/,
  },
  // A shared access signature (`…?sv=…&sig=…`): the signature is the secret; the rest of the URL stays readable.
  // `;` for the `&amp;` of an XML or HTML rendering.
  { kind: 'Azure SAS token', re: /([?&;]sig=)[A-Za-z0-9%+/]{16,}={0,2}/, hint: /[?&;]sig=/, replacement: '$1[REDACTED]' },
  { kind: 'bearer token', re: /(\bBearer[ \t]+)[A-Za-z0-9._~+/-]{20,}=*/, hint: /Bearer/, replacement: '$1[REDACTED]' },
  { kind: 'Stripe secret key', re: /\b[rs]k_live_[0-9A-Za-z]{16,}/, hint: /k_live_/ },
  { kind: 'credentials in URL', re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"']+:[^\s:/@"']+@/i, hint: /:\/\// },
  // The two below keep what is not secret (the name, the registry) so a report stays readable.
  // Image digests (`app:1.0@sha256:…`) are the common `:…@` and never credentials.
  {
    kind: 'credentials in image reference',
    re: new RegExp(IMAGE_CREDENTIALS, 'i'),
    replacement: '[REDACTED]$1',
    hint: /:[^\s:/@"']+@(?!sha(?:256|384|512):)/,
  },
  // Redacted whatever the value; reported as a credential only when the value is not a placeholder (`PWD=/home/x`, `token=true`).
  {
    kind: 'password or secret assigned in text',
    re: new RegExp(ASSIGNMENT, 'i'),
    replacement: '$1[REDACTED]',
    hint: /(?:pass|pwd|secret|token|key)[\w.-]*\s*=/i,
    literal: (v) => !isPlaceholderValue(v),
  },
];

/** Names that announce a secret value (`DB_PASSWORD`, `api-key`, `aws_secret_access_key`, …). */
const NAME_PATTERN =
  /(pass(word|wd|phrase)?|secret|token|api[-_.]?key|access[-_.]?key|private[-_.]?key|client[-_.]?secret|credentials?|auth[-_.]?key|signing[-_.]?key|encryption[-_.]?key|conn(ection)?[-_.]?string|(account|storage|app|ssh|tls|master|hmac|shared|subscription|secret)[-_.]?key|secret[-_.]?key[-_.]?base|(^|[-_.])sa[-_.]?(key|json)|service[-_.]?account[-_.]?(key|json)|credentials?[-_.]?json|(^|[-_.])sas)$/i;
/** …unless the name says it is a pointer to the secret, not the secret itself. */
const REFERENCE_SUFFIX =
  /[-_.](file|path|paths|dir|url|uri|endpoint|name|names|ref|arn|id|key[-_.]?id|type|enabled|mode|length|ttl|expiry|header|env|version|secret[-_.]?name)$/i;
const REFERENCE_PREFIX = /^(use|enable|disable|require)[-_.]?/i;

/** Cheap pre-filter: the union of the hints (a superset, case-insensitive), so most strings skip the per-pattern pass. */
export const MAYBE_CREDENTIAL = new RegExp(VALUE_PATTERNS.map((p) => `(?:${p.hint.source})`).join('|'), 'i');

export function credentialValueKind(value: string): string | undefined {
  if (!MAYBE_CREDENTIAL.test(value)) return undefined;
  for (const p of VALUE_PATTERNS) {
    if (!p.hint.test(value) || !p.re.test(value)) continue;
    const literal = p.literal;
    if (!literal) return p.kind;
    for (const m of value.matchAll(new RegExp(p.re.source, 'gi'))) if (literal(m[0].slice(m[1]!.length))) return p.kind;
  }
  return undefined;
}

export function looksLikeCredentialName(name: string): boolean {
  return NAME_PATTERN.test(name) && !REFERENCE_SUFFIX.test(name) && !REFERENCE_PREFIX.test(name);
}

/** Values that are obviously not secrets: empty, references, booleans, numbers, placeholders. */
export function isPlaceholderValue(value: string): boolean {
  const v = value.trim();
  if (v.length < 4) return true;
  if (/^\$[({][A-Za-z_][A-Za-z0-9_]*[)}]$/.test(v)) return true; // $(VAR) / ${VAR} expansion
  if (/^\{\{.*\}\}$/.test(v)) return true; // templating left in
  if (/^(true|false|yes|no|on|off|null|none|changeit-in-vault|<[^>]*>)$/i.test(v)) return true;
  if (/^-?\d+(\.\d+)?$/.test(v)) return true;
  if (/^(\/|\.\/|file:|arn:aws|https?:\/\/[^@]*$)/i.test(v)) return true; // paths, ARNs, plain URLs
  return false;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** A long random-looking token (base64/hex-like, ≥ 20 chars, entropy ≥ 4 bits/char). */
export function isHighEntropySecret(value: string): boolean {
  const v = value.trim();
  return v.length >= 20 && v.length <= 4096 && !/\s/.test(v) && /^[A-Za-z0-9+/=_\-.]+$/.test(v) && shannonEntropy(v) >= 4;
}

/**
 * Why a key/value pair looks like a credential, or undefined. The answer names a kind, never the value.
 */
export function credentialReason(name: string, value: string): string | undefined {
  const kind = credentialValueKind(value);
  if (kind) return kind;
  if (looksLikeCredentialName(name) && !isPlaceholderValue(value)) return 'credential-named key with a literal value';
  return undefined;
}

/** `key = value`, `key: value`, `"key": "value",`, `export KEY=value` lines of a config file held in one value. */
const CONFIG_LINE = /^\s*(?:export\s+)?["']?([A-Za-z0-9_.\-/]+)["']?\s*[:=]\s*(.*?)\s*,?\s*$/;
/** Every name NAME_PATTERN accepts contains one of these words. */
const CREDENTIAL_WORD = /pass|secret|token|key|credential|conn/i;
/** Could a text hold a credential-named key at all (cheap pre-filter for config file scans)? */
export function mayNameCredential(text: string): boolean {
  return CREDENTIAL_WORD.test(text);
}

/** `<password>value</password>` in XML configuration. */
const XML_ELEMENT = /<([A-Za-z0-9_.\-:]+)>([^<\n]*)<\/\1>/g;

/**
 * Credentials inside a configuration file stored as one value (application.properties, YAML,
 * JSON, .env, INI, XML): each inner key/value pair is judged like a ConfigMap key. Returns the inner
 * keys and why they look like credentials, never the values.
 */
export function embeddedCredentials(text: string): { key: string; reason: string }[] {
  // Most config files name no credential and hold no token: skip the line-by-line pass for them.
  if (!CREDENTIAL_WORD.test(text) && credentialValueKind(text) === undefined) return [];
  const hits: { key: string; reason: string }[] = [];
  const seen = new Set<string>();
  const add = (key: string, rawValue: string) => {
    const value = rawValue.replace(/^["']|["']$/g, '').trim();
    if (value === '' || /^[{[|>&*]/.test(value)) return; // nested structure or YAML block/anchor, judged line by line
    const reason = credentialReason(key, value);
    if (reason && !seen.has(key)) {
      seen.add(key);
      hits.push({ key, reason });
    }
  };
  for (const line of text.split('\n')) {
    if (/^\s*[#;!]/.test(line)) continue; // comments in properties, INI, YAML, shell
    const m = CONFIG_LINE.exec(line);
    if (m) add(m[1]!, m[2]!);
  }
  for (const m of text.matchAll(XML_ELEMENT)) add(m[1]!, m[2]!);
  return hits;
}
