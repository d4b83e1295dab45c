const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML element content and quoted attribute values alike. Every string that
 * comes from a scan (resource names, messages, reasons) goes through this: a resource named
 * `<script>` is shown, never run.
 */
export function esc(value: string | number | boolean | null | undefined): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

/** A tagged template that escapes every interpolation unless it is already rendered `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = string | number | boolean | null | undefined | Html | readonly Html[];

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0] ?? '';
  parts.forEach((p, i) => {
    out += Array.isArray(p)
      ? p.map((x: Html) => x.value).join('')
      : p instanceof Html
        ? p.value
        : esc(p as string | number | boolean | null | undefined);
    out += strings[i + 1] ?? '';
  });
  return new Html(out);
}
