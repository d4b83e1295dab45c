/**
 * Block YAML for plain JSON data (objects, arrays, strings, numbers, booleans). The `yaml`
 * package's stringify costs about a millisecond per PolicyReport result — minutes for a large
 * fleet — while this is as fast as JSON.stringify. Strings are plain only when no YAML reader can
 * take them for anything else; every other string is single-quoted (printable ASCII with `"`)
 * or a JSON string, which is a valid YAML double-quoted scalar.
 */
type Json = string | number | boolean | null | undefined | Json[] | { [key: string]: Json };

const PLAIN = /^[A-Za-z][A-Za-z0-9._/-]*(?: [A-Za-z0-9._/-]+)*$/;
const RESERVED = /^(?:y|n|yes|no|true|false|on|off|null)$/i;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function scalar(s: string): string {
  if (PLAIN.test(s) && !RESERVED.test(s)) return s;
  // Single quotes read better for JSON-bearing text (evidence); they escape nothing but the quote itself.
  if (s.includes('"') && PRINTABLE_ASCII.test(s)) return `'${s.replace(/'/g, "''")}'`;
  return JSON.stringify(s);
}

function isBlock(v: Json): v is Json[] | { [key: string]: Json } {
  return typeof v === 'object' && v !== null && (Array.isArray(v) ? v.length > 0 : Object.values(v).some((x) => x !== undefined));
}

function inline(v: Json): string {
  if (typeof v === 'string') return scalar(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return '[]';
  if (v && typeof v === 'object') return '{}';
  return 'null';
}

function emit(v: Json, indent: string, out: string[]): void {
  if (Array.isArray(v)) {
    for (const item of v) {
      if (isBlock(item) && !Array.isArray(item)) {
        // The first key shares the `- ` line; the rest align under it.
        const lines: string[] = [];
        emit(item, `${indent}  `, lines);
        out.push(`${indent}- ${lines[0]!.slice(indent.length + 2)}`, ...lines.slice(1));
      } else if (isBlock(item)) {
        out.push(`${indent}-`);
        emit(item, `${indent}  `, out);
      } else out.push(`${indent}- ${inline(item)}`);
    }
    return;
  }
  for (const [key, value] of Object.entries(v as { [key: string]: Json })) {
    if (value === undefined) continue;
    if (isBlock(value)) {
      out.push(`${indent}${scalar(key)}:`);
      emit(value, `${indent}  `, out);
    } else out.push(`${indent}${scalar(key)}: ${inline(value)}`);
  }
}

/** One YAML document (no `---`) for a JSON object. */
export function toYamlDocument(value: { [key: string]: Json } | object): string {
  const out: string[] = [];
  emit(value as { [key: string]: Json }, '', out);
  return out.length > 0 ? out.join('\n') + '\n' : '{}\n';
}
