import * as z from 'zod';

/** An environment list `a, b,a` → `['a', 'b']`, each item checked; an empty list is refused. */
export const commaList = (item: RegExp, what: string) =>
  z
    .string()
    .transform((v) => [
      ...new Set(
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.string().regex(item, what)).min(1));
