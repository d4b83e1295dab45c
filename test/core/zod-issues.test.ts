import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { formatZodIssues } from '../../shared/core/zod-issues.js';

const schema = z.object({ a: z.object({ b: z.number() }), c: z.string() });
const errorOf = (value: unknown) => {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('expected a failure');
  return r.error;
};

describe('formatZodIssues', () => {
  it('names every field by its dotted path, and the value itself as (root)', () => {
    expect(formatZodIssues(errorOf({ a: { b: 'x' }, c: 1 }))).toMatch(/^a\.b: .+; c: .+$/);
    expect(formatZodIssues(errorOf(null))).toMatch(/^\(root\): /);
  });

  it('can name fields its own way and keep only the first complaint', () => {
    const where = (path: readonly PropertyKey[]) => `body[${path.join('/')}]`;
    expect(formatZodIssues(errorOf({ a: { b: 'x' }, c: 1 }), { where, first: true })).toMatch(/^body\[a\/b\]: [^;]+$/);
  });
});
