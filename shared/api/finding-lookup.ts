import { NotFoundError, ValidationError } from '../core/errors.js';
import type { FindingWithHistory } from '../store/query.js';
import type { FindingsStore } from '../store/store.js';

export const SHORT_ID_LENGTH = 12;
const FULL_ID_LENGTH = 64;
const CANDIDATES = 10;

/** A finding id as users type it: the 12-character short id tables print, up to the full 64. */
export function parseFindingRef(raw: string): string {
  const id = raw.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(id) || id.length < SHORT_ID_LENGTH || id.length > FULL_ID_LENGTH) {
    throw new ValidationError(
      `id: a finding id is ${FULL_ID_LENGTH} hexadecimal characters, or at least its first ${SHORT_ID_LENGTH} (the short id tables print)`,
    );
  }
  return id;
}

/**
 * The finding a full or short id names. A prefix shared by several findings is refused with the
 * candidates listed, so nobody acts on the wrong finding.
 */
export async function findFinding(store: FindingsStore, raw: string): Promise<FindingWithHistory> {
  const ref = parseFindingRef(raw);
  let id = ref;
  if (ref.length < FULL_ID_LENGTH) {
    const ids = await store.findingIdsByPrefix(ref, CANDIDATES);
    if (ids.length > 1) {
      throw new ValidationError(
        `id: '${ref}' is ambiguous, it starts ${ids.length === CANDIDATES ? 'at least ' : ''}${ids.length} findings: ${ids.join(', ')} (give more characters)`,
      );
    }
    if (ids.length === 0) throw new NotFoundError(`no finding ${ref}`);
    id = ids[0]!;
  }
  const found = await store.finding(id);
  if (!found) throw new NotFoundError(`no finding ${ref}`);
  return found;
}
