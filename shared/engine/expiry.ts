import * as z from 'zod';
import type { ExemptionPolicy } from './types.js';

/** A real calendar day or an ISO date-time with zone: `Date.parse` alone accepts 2027-02-30. */
export const expiresSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  message: 'expires must be a real calendar date (2027-01-31) or an ISO date-time with zone (2027-01-31T18:00:00Z)',
});

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** An ISO date means "through that day" (UTC); a date-time is exact. */
export function expiryInstant(expires: string): number {
  const t = Date.parse(expires);
  return DATE_ONLY.test(expires) ? t + DAY_MS : t;
}

export function isExpired(e: { expires?: string }, now: Date): boolean {
  return e.expires !== undefined && expiryInstant(e.expires) <= now.getTime();
}

/** Why an expiry reaches further than the policy allows, or undefined. */
export function expiryBeyondPolicy(expires: string, policy: Pick<ExemptionPolicy, 'maxDays'>, now: Date): string | undefined {
  // A date covers its whole day: compare its start, so "today + maxDays" itself is allowed.
  const at = DATE_ONLY.test(expires) ? Date.parse(expires) : expiryInstant(expires);
  return at > now.getTime() + policy.maxDays * DAY_MS
    ? `${expires} is more than ${policy.maxDays} days ahead (exemptions.maxDays)`
    : undefined;
}
