import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { Position } from '../store/paginate.js';

/**
 * Opaque page tokens: base64url(JSON{v, q, p, k}) + "." + MAC. `q` binds the token to the query
 * it came from (a token reused with other filters is refused), the MAC catches edits. The key
 * (HARDLINE_CURSOR_SECRET) only protects integrity: a cursor grants nothing its query would not.
 */
const payloadSchema = z
  .object({
    v: z.literal(1),
    q: z.string().max(32),
    p: z.number().int().min(0).max(100_000),
    k: z.record(z.string().max(64), z.string().max(2_048)).optional(),
  })
  .strict();

const MAX_TOKEN = 4_096;

function secret(): string {
  return process.env['HARDLINE_CURSOR_SECRET'] || 'hardline-cursor-v1';
}

function mac(body: string): string {
  return createHmac('sha256', secret()).update(body).digest('base64url').slice(0, 22);
}

/** A stable digest of a query's normalized parameters (order-independent). */
export function queryDigest(route: string, params: Record<string, readonly string[] | string | undefined>): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => {
      const v = params[k];
      return `${k}=${Array.isArray(v) ? [...v].sort().join(',') : (v ?? '')}`;
    })
    .join('&');
  return createHash('sha256').update(`${route}?${canonical}`).digest('hex').slice(0, 16);
}

export function encodeCursor(pos: Position, digest: string): string {
  const body = Buffer.from(JSON.stringify({ v: 1, q: digest, p: pos.p, ...(pos.k ? { k: pos.k } : {}) })).toString('base64url');
  return `${body}.${mac(body)}`;
}

export function decodeCursor(token: string, digest: string): Position {
  const bad = () => new ValidationError('cursor: invalid or tampered page token (use the nextCursor of the previous page unchanged)');
  if (token.length > MAX_TOKEN || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) throw bad();
  const [body, sig] = token.split('.') as [string, string];
  const expected = Buffer.from(mac(body));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw bad();
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  const parsed = payloadSchema.safeParse(raw);
  if (!parsed.success) throw bad();
  if (parsed.data.q !== digest) throw new ValidationError('cursor: belongs to a query with other parameters (start again without cursor)');
  return parsed.data.k ? { p: parsed.data.p, k: parsed.data.k } : { p: parsed.data.p };
}
