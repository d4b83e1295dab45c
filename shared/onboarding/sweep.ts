import type { EKSClient } from '@aws-sdk/client-eks';
import * as z from 'zod';
import { listClusterNames } from '../collectors/aws/eks-cluster.js';
import { classifyAwsError } from '../collectors/aws/errors.js';
import { ACCOUNT_ID } from '../core/aws-ids.js';
import { mapLimit } from '../core/concurrency.js';
import { InputError } from '../core/errors.js';
import { formatZodIssues } from '../core/zod-issues.js';
import {
  ONBOARDING_OUTCOMES,
  onboardCluster,
  type ClusterRef,
  type OnboardingContext,
  type OnboardingOutcome,
  type OnboardingResult,
} from './onboard.js';

/**
 * Where onboarding runs: in each opted-in account, through its onboarding role (deployed by the
 * onboarding StackSet to the chosen OUs only; an account without it is simply not opted in).
 */
export interface OnboardingDeps {
  context: OnboardingContext;
  regions: readonly string[];
  /** Every account to look at (the organisation's ACTIVE accounts, or the scanner's own). */
  accounts(): Promise<string[]>;
  /** AssumeRole into the account's onboarding role; throws the STS error when it is not there. */
  openSession(accountId: string): Promise<unknown>;
  eks(accountId: string, region: string): EKSClient;
}

export interface SweepReport {
  accounts: number;
  /** Accounts without the onboarding role (not in an opted-in OU), or whose role could not be assumed. */
  notOptedIn: { accountId: string; reason: string }[];
  counts: Record<OnboardingOutcome, number>;
  /** Every cluster that still needs something: a person's step, a retry, or a look at the failure. */
  attention: OnboardingResult[];
}

/** Every cluster of every opted-in account and configured region, onboarded once (existing entries are left alone). */
export async function sweepClusters(deps: OnboardingDeps): Promise<SweepReport> {
  const accounts = await deps.accounts();
  const report: SweepReport = {
    accounts: accounts.length,
    notOptedIn: [],
    counts: Object.fromEntries(ONBOARDING_OUTCOMES.map((o) => [o, 0])) as SweepReport['counts'],
    attention: [],
  };
  await mapLimit(accounts, 4, async (accountId) => {
    try {
      await deps.openSession(accountId);
    } catch (e) {
      report.notOptedIn.push({ accountId, reason: classifyAwsError(e, 'AssumeRole of the onboarding role').message });
      return;
    }
    await mapLimit(deps.regions, 4, async (region) => {
      let names: string[];
      try {
        names = await listClusterNames(deps.eks(accountId, region));
      } catch (e) {
        const r: OnboardingResult = {
          accountId,
          region,
          cluster: '*',
          outcome: 'failed',
          message: classifyAwsError(e, `ListClusters in ${accountId}/${region}`).message,
        };
        report.counts.failed++;
        report.attention.push(r);
        return;
      }
      const results = await mapLimit(names, 4, (name) =>
        onboardCluster(deps.eks(accountId, region), { accountId, region, name }, deps.context),
      );
      for (const r of results) {
        report.counts[r.outcome]++;
        if (r.outcome !== 'already-onboarded' && r.outcome !== 'skipped' && (r.outcome !== 'onboarded' || r.step)) report.attention.push(r);
      }
    });
  });
  report.notOptedIn.sort((a, b) => a.accountId.localeCompare(b.accountId));
  return report;
}

/**
 * A CreateCluster call as CloudTrail reports it through EventBridge (the member account's rule
 * forwards it to the scanner's onboarding bus, and the bus to a queue).
 */
const createClusterEventSchema = z.object({
  account: z.string().regex(ACCOUNT_ID),
  region: z.string().min(1),
  detail: z.object({
    eventName: z.literal('CreateCluster'),
    requestParameters: z.object({ name: z.string().min(1).max(100) }),
  }),
});

export function clusterOfEvent(raw: unknown): ClusterRef {
  const parsed = createClusterEventSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(`not a CreateCluster event: ${formatZodIssues(parsed.error)}`);
  return { accountId: parsed.data.account, region: parsed.data.region, name: parsed.data.detail.requestParameters.name };
}

/** A newly created cluster: usually still CREATING, so `not-ready` (retryable) until it is ACTIVE. */
export async function onboardNewCluster(raw: unknown, deps: OnboardingDeps): Promise<OnboardingResult> {
  const c = clusterOfEvent(raw);
  try {
    await deps.openSession(c.accountId);
  } catch (e) {
    return {
      accountId: c.accountId,
      region: c.region,
      cluster: c.name,
      outcome: 'skipped',
      message: `account not opted in: ${classifyAwsError(e, 'AssumeRole of the onboarding role').message}`,
    };
  }
  return onboardCluster(deps.eks(c.accountId, c.region), c, deps.context);
}
