import { createHash } from 'node:crypto';
import type { ResourceRef, Target } from '../core/types.js';

/**
 * The stable identity of a finding: hex sha256 of
 * `accountId|region|targetName|controlId|kind/namespace/name|container`. The apiVersion is left
 * out so `apps/v1` → `apps/v2` does not reopen everything; replicas and ordering do not enter it;
 * only names go in, never a value, so it cannot carry a secret.
 */
export function findingId(target: Target, controlId: string, resource: ResourceRef): string {
  const key = [
    target.accountId ?? '',
    target.region ?? '',
    target.name,
    controlId,
    `${resource.kind}/${resource.namespace ?? ''}/${resource.name}`,
    resource.container ?? '',
  ].join('|');
  return createHash('sha256').update(key).digest('hex');
}
