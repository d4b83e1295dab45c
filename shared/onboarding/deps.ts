import { EKSClient } from '@aws-sdk/client-eks';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import * as z from 'zod';
import { ONBOARDING_MODES, onboardingRoleName } from '../cluster-access/onboarding-commands.js';
import { REQUEST_TIMEOUTS } from '../collectors/aws/clients.js';
import { listActiveAccounts } from '../collectors/aws/organizations.js';
import { SessionCache, sessionNameFor } from '../collectors/aws/sessions.js';
import { REGION } from '../core/aws-ids.js';
import { commaList } from '../core/comma-list.js';
import { ConfigError } from '../core/errors.js';
import { memberAccessEnvironment } from '../core/member-access-env.js';
import { formatZodIssues } from '../core/zod-issues.js';
import type { OnboardingDeps } from './sweep.js';

/** What the onboarding function reads from its environment (infra/constructs/cluster-onboarding.ts writes the same names). */
const environmentSchema = z.object({
  AWS_REGION: z.string().regex(REGION, 'an AWS region'),
  ...memberAccessEnvironment,
  HARDLINE_REGIONS: commaList(REGION, 'an AWS region'),
  HARDLINE_ONBOARDING_MODE: z.enum(ONBOARDING_MODES).default('readers-group'),
});

export function onboardingDeps(env: NodeJS.ProcessEnv = process.env): OnboardingDeps {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`onboarding environment: ${formatZodIssues(parsed.error)}`);
  const e = parsed.data;
  if (e.HARDLINE_ORG_MODE === 'account' && !e.HARDLINE_ACCOUNT_ID)
    throw new ConfigError('onboarding environment: HARDLINE_ACCOUNT_ID is required in account mode');
  const common = { region: e.AWS_REGION, retryMode: 'adaptive' as const, maxAttempts: 5, requestHandler: REQUEST_TIMEOUTS };
  const sessions = new SessionCache(new STSClient(common), {
    roleName: onboardingRoleName(e.HARDLINE_MEMBER_ROLE_NAME),
    ...(e.HARDLINE_EXTERNAL_ID ? { externalId: e.HARDLINE_EXTERNAL_ID } : {}),
    sessionName: sessionNameFor('onboard-clusters'),
    partition: e.HARDLINE_PARTITION,
  });
  // EKS clients only (not the scan's client factory): the bundle carries no other service.
  const eksClients = new Map<string, EKSClient>();
  const eks = (accountId: string, region: string): EKSClient => {
    const key = `${accountId}|${region}`;
    let client = eksClients.get(key);
    if (!client) eksClients.set(key, (client = new EKSClient({ ...common, region, credentials: sessions.provider(accountId) })));
    return client;
  };
  const org = e.HARDLINE_ORG_MODE === 'organization' ? new OrganizationsClient(common) : undefined;
  return {
    context: { mode: e.HARDLINE_ONBOARDING_MODE, partition: e.HARDLINE_PARTITION, memberRoleName: e.HARDLINE_MEMBER_ROLE_NAME },
    regions: e.HARDLINE_REGIONS,
    accounts: async () => (org ? (await listActiveAccounts(org)).map((a) => a.id) : [e.HARDLINE_ACCOUNT_ID!]),
    openSession: (accountId) => sessions.credentials(accountId),
    eks,
  };
}
