import * as z from 'zod';

/** `a, b,a` → `['a', 'b']`: items trimmed, empty ones dropped, each kept once in first-seen order. */
export const splitCommaList = (value: string): string[] => [
  ...new Set(
    value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ),
];

/** An environment list `a, b,a` → `['a', 'b']`, each item checked; an empty list is refused. */
export const commaList = (item: RegExp, what: string) =>
  z
    .string()
    .transform(splitCommaList)
    .pipe(z.array(z.string().regex(item, what)).min(1));
