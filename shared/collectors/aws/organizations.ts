import { paginateListAccounts, type OrganizationsClient } from '@aws-sdk/client-organizations';

export interface OrgAccount {
  id: string;
  name?: string;
}

/**
 * The organisation's ACTIVE accounts (all pages). Suspended, closed and pending accounts have no
 * role to assume and are left out. Newer Organizations answers carry `State`, older ones `Status`.
 */
export async function listActiveAccounts(org: OrganizationsClient): Promise<OrgAccount[]> {
  const accounts: OrgAccount[] = [];
  for await (const page of paginateListAccounts({ client: org }, {})) {
    for (const a of page.Accounts ?? []) {
      const state = (a as { State?: string }).State ?? a.Status;
      if (!a.Id || state !== 'ACTIVE') continue;
      accounts.push({ id: a.Id, ...(a.Name ? { name: a.Name } : {}) });
    }
  }
  return accounts.sort((a, b) => a.id.localeCompare(b.id));
}
