import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { ConfigError, ValidationError } from '../core/errors.js';
import type { Position } from '../store/paginate.js';

/**
 * Opaque page tokens: base64url(JSON{v, q, p, k}) + "." + MAC. `q` binds the token to the query
 * it came from (a token reused with other filters is refused), the MAC catches edits. The key is
 * random per store (a file beside the local store, a generated secret in the service), never a
 * constant: a known key would let anyone forge start keys into the table.
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

/** The MAC key: at least 32 random bytes. */
export type CursorKey = Uint8Array;

const MIN_KEY_BYTES = 32;

export function checkCursorKey(key: CursorKey): CursorKey {
  if (key.length < MIN_KEY_BYTES) throw new ConfigError(`cursor key: at least ${MIN_KEY_BYTES} bytes required (got ${key.length})`);
  return key;
}

function mac(body: string, key: CursorKey): string {
  return createHmac('sha256', checkCursorKey(key)).update(body).digest('base64url').slice(0, 22);
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

export function encodeCursor(pos: Position, digest: string, key: CursorKey): string {
  const body = Buffer.from(JSON.stringify({ v: 1, q: digest, p: pos.p, ...(pos.k ? { k: pos.k } : {}) })).toString('base64url');
  return `${body}.${mac(body, key)}`;
}

export function decodeCursor(token: string, digest: string, key: CursorKey): Position {
  const bad = () => new ValidationError('cursor: invalid or tampered page token (use the nextCursor of the previous page unchanged)');
  if (token.length > MAX_TOKEN || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) throw bad();
  const [body, sig] = token.split('.') as [string, string];
  const expected = Buffer.from(mac(body, key));
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
