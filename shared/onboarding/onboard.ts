import { AssociateAccessPolicyCommand, CreateAccessEntryCommand, DescribeClusterCommand, type EKSClient } from '@aws-sdk/client-eks';
import {
  adminViewPolicyArn,
  applyReadersCommand,
  enableAccessEntriesCommand,
  memberRoleArn,
  READERS_GROUP,
  READERS_MANIFEST,
  type ClusterLocation,
  type OnboardingMode,
} from '../cluster-access/onboarding-commands.js';
import { classifyAwsError } from '../collectors/aws/errors.js';
import { isAwsError } from '../core/aws-errors.js';

/**
 * Onboarding one cluster: the access entry that lets hardline's member read role into it, in the
 * configured mode. The decisions are pure (`decideOnboarding`); the EKS client is injected and
 * holds only eks:DescribeCluster, CreateAccessEntry and AssociateAccessPolicy (scoped to the read
 * role as principal, the readers group and the view policy).
 */
export interface OnboardingContext {
  mode: OnboardingMode;
  partition: string;
  /** The member read role (the principal of the access entry). */
  memberRoleName: string;
}

export interface ClusterFacts {
  status?: string;
  authenticationMode?: string;
}

export type OnboardingDecision =
  | { action: 'onboard' }
  /** Creating or updating: access entries wait until the cluster is ACTIVE. */
  | { action: 'wait'; reason: string }
  | { action: 'skip'; reason: string }
  /** Needs a person: the cluster cannot take an access entry as it is. */
  | { action: 'report'; reason: string; step: string };

export function decideOnboarding(cluster: ClusterLocation, facts: ClusterFacts): OnboardingDecision {
  if (facts.status === 'CREATING' || facts.status === 'UPDATING' || facts.status === 'PENDING')
    return { action: 'wait', reason: `cluster is ${facts.status}` };
  if (facts.status === 'DELETING' || facts.status === 'FAILED') return { action: 'skip', reason: `cluster is ${facts.status}` };
  if (facts.authenticationMode === 'CONFIG_MAP') {
    return {
      action: 'report',
      reason: 'the cluster authenticates through the aws-auth ConfigMap only: it takes no access entry',
      step: `${enableAccessEntriesCommand(cluster)} (one-way; the next onboarding sweep then creates the entry)`,
    };
  }
  return { action: 'onboard' };
}

export const ONBOARDING_OUTCOMES = ['onboarded', 'already-onboarded', 'config-map-only', 'not-ready', 'skipped', 'failed'] as const;
export type OnboardingOutcome = (typeof ONBOARDING_OUTCOMES)[number];

export interface OnboardingResult {
  accountId: string;
  region: string;
  cluster: string;
  outcome: OnboardingOutcome;
  message: string;
  /** What a person still has to do (CONFIG_MAP clusters; the in-cluster ClusterRole in readers-group mode). */
  step?: string;
  /** Worth another try later (not ready yet, throttled, a transient error). */
  retryable?: boolean;
}

export interface ClusterRef extends ClusterLocation {
  accountId: string;
}

function failed(c: ClusterRef, e: unknown, what: string): OnboardingResult {
  const f = classifyAwsError(e, what);
  return {
    accountId: c.accountId,
    region: c.region,
    cluster: c.name,
    outcome: 'failed',
    message: f.message,
    retryable: f.status === 'ERROR' || f.reason === 'throttled' || f.reason === 'timeout',
  };
}

export async function onboardCluster(eks: EKSClient, c: ClusterRef, ctx: OnboardingContext): Promise<OnboardingResult> {
  const base = { accountId: c.accountId, region: c.region, cluster: c.name };
  let facts: ClusterFacts;
  try {
    const described = (await eks.send(new DescribeClusterCommand({ name: c.name }))).cluster;
    facts = {
      ...(described?.status ? { status: described.status } : {}),
      ...(described?.accessConfig?.authenticationMode ? { authenticationMode: described.accessConfig.authenticationMode } : {}),
    };
  } catch (e) {
    if (isAwsError(e, 'ResourceNotFoundException')) return { ...base, outcome: 'skipped', message: 'the cluster no longer exists' };
    return failed(c, e, `DescribeCluster ${c.name}`);
  }
  const decision = decideOnboarding(c, facts);
  if (decision.action === 'wait') return { ...base, outcome: 'not-ready', message: decision.reason, retryable: true };
  if (decision.action === 'skip') return { ...base, outcome: 'skipped', message: decision.reason };
  if (decision.action === 'report') return { ...base, outcome: 'config-map-only', message: decision.reason, step: decision.step };

  const principalArn = memberRoleArn(ctx.partition, c.accountId, ctx.memberRoleName);
  let existed = false;
  try {
    await eks.send(
      new CreateAccessEntryCommand({
        clusterName: c.name,
        principalArn,
        type: 'STANDARD',
        ...(ctx.mode === 'readers-group' ? { kubernetesGroups: [READERS_GROUP] } : {}),
      }),
    );
  } catch (e) {
    // An entry for the role exists already (made by hand, or by an earlier sweep): it is not changed.
    if (!isAwsError(e, 'ResourceInUseException')) return failed(c, e, `CreateAccessEntry ${c.name}`);
    existed = true;
  }
  if (ctx.mode === 'eks-policy') {
    try {
      await eks.send(
        new AssociateAccessPolicyCommand({
          clusterName: c.name,
          principalArn,
          policyArn: adminViewPolicyArn(ctx.partition),
          accessScope: { type: 'cluster' },
        }),
      );
    } catch (e) {
      return failed(c, e, `AssociateAccessPolicy ${c.name}`);
    }
  }
  const outcome: OnboardingOutcome = existed ? 'already-onboarded' : 'onboarded';
  if (ctx.mode === 'eks-policy')
    return { ...base, outcome, message: `access entry for ${principalArn} with ${adminViewPolicyArn(ctx.partition)} at cluster scope` };
  return {
    ...base,
    outcome,
    message: existed
      ? `an access entry for ${principalArn} exists (left as it is)`
      : `access entry for ${principalArn} in group ${READERS_GROUP}`,
    // The group grants nothing until the ClusterRole and binding are in the cluster (kubectl or the GitOps bundle).
    ...(existed
      ? {}
      : {
          step: `${applyReadersCommand(c)} (or sync deploy/gitops); ${READERS_MANIFEST} binds ${READERS_GROUP} to the read-only ClusterRole`,
        }),
  };
}
