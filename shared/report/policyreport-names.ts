import { createHash } from 'node:crypto';
import type { Target } from '../core/types.js';

/** Object names are DNS-1123 subdomains of at most 253 characters: room for `hardline-`, a hash and `-N`. */
const MAX_SLUG = 200;

/**
 * A stable, valid name part for a target. A name that had to be rewritten (upper case, `/`, `_`),
 * or an AWS target (the same cluster name can live in several accounts and regions), gets a short
 * hash of its identity, so two targets never share a report name and a rescan keeps it.
 */
export function targetSlug(target: Target): string {
  let slug = target.name
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/[^a-z0-9]+$/, '');
  if (slug !== target.name || target.accountId || target.region) {
    const identity = [target.kind, target.accountId ?? '', target.region ?? '', target.name].join('|');
    slug = `${slug ? `${slug}-` : ''}${createHash('sha256').update(identity).digest('hex').slice(0, 8)}`;
  }
  return slug;
}

/** The report's object name; later chunks of one scope are `-2`, `-3`, … */
export function reportName(target: Target, chunk: number): string {
  return `hardline-${targetSlug(target)}${chunk > 1 ? `-${chunk}` : ''}`;
}
