/**
 * How a cluster lets hardline read it, as data and as the exact commands a person runs when the
 * automatic onboarding is off (or cannot act). Two modes:
 * - `readers-group`: an access entry that puts the scanner role into the Kubernetes group
 *   `hardline-readers`, bound to the ClusterRole in deploy/hardline-readers.yaml (get/list, no Secrets);
 * - `eks-policy`: an access entry with AmazonEKSAdminViewPolicy at cluster scope: no object in the
 *   cluster, but the policy can read everything, Secrets included (hardline never asks for them).
 */
export const ONBOARDING_MODES = ['readers-group', 'eks-policy'] as const;
export type OnboardingMode = (typeof ONBOARDING_MODES)[number];

export const READERS_GROUP = 'hardline-readers';
export const READERS_MANIFEST = 'deploy/hardline-readers.yaml';
export const ADMIN_VIEW_POLICY = 'AmazonEKSAdminViewPolicy';

export function adminViewPolicyArn(partition = 'aws'): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/${ADMIN_VIEW_POLICY}`;
}

/** The role the onboarding StackSet creates in each opted-in account, next to the read role. */
export function onboardingRoleName(memberRoleName: string): string {
  return `${memberRoleName}-onboarding`;
}

export function memberRoleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

export interface ClusterLocation {
  name: string;
  region: string;
}

/** What the commands need to name: the mode, and the principal EKS sees (the member read role). */
export interface OnboardingGuide {
  mode: OnboardingMode;
  partition?: string;
  /** The member read role's name; without it the commands carry a placeholder for the ARN. */
  memberRoleName?: string;
}

const PRINCIPAL_PLACEHOLDER = '<ARN of the role hardline scans with>';

export function principalOf(guide: OnboardingGuide, accountId: string | undefined): string {
  return guide.memberRoleName && accountId
    ? memberRoleArn(guide.partition ?? 'aws', accountId, guide.memberRoleName)
    : PRINCIPAL_PLACEHOLDER;
}

const where = (c: ClusterLocation) => `--region ${c.region} --cluster-name ${c.name}`;

/** CONFIG_MAP-only clusters take no access entry until their authentication mode allows it (one-way). */
export function enableAccessEntriesCommand(c: ClusterLocation): string {
  return `aws eks update-cluster-config --region ${c.region} --name ${c.name} --access-config authenticationMode=API_AND_CONFIG_MAP`;
}

export function createAccessEntryCommand(c: ClusterLocation, principal: string, mode: OnboardingMode): string {
  const groups = mode === 'readers-group' ? ` --kubernetes-groups ${READERS_GROUP}` : '';
  return `aws eks create-access-entry ${where(c)} --principal-arn ${principal}${groups}`;
}

export function associatePolicyCommand(c: ClusterLocation, principal: string, partition = 'aws'): string {
  return `aws eks associate-access-policy ${where(c)} --principal-arn ${principal} --policy-arn ${adminViewPolicyArn(partition)} --access-scope type=cluster`;
}

export const applyReadersCommand = (c: ClusterLocation) => `kubectl --context <${c.name}> apply -f ${READERS_MANIFEST}`;

/** Every command that onboards a cluster in the given mode, in order. */
export function onboardingCommands(
  c: ClusterLocation,
  accountId: string | undefined,
  guide: OnboardingGuide,
  opts: { configMapOnly?: boolean } = {},
): string[] {
  const principal = principalOf(guide, accountId);
  const steps = opts.configMapOnly ? [enableAccessEntriesCommand(c)] : [];
  steps.push(createAccessEntryCommand(c, principal, guide.mode));
  steps.push(guide.mode === 'readers-group' ? applyReadersCommand(c) : associatePolicyCommand(c, principal, guide.partition));
  return steps;
}
