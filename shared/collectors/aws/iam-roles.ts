import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { mapLimit } from '../../core/concurrency.js';
import { decodeIamPolicyDocument, roleNameOf, type IamPolicy, type IamRolePolicies } from '../../inventory/iam.js';
import type { Gap } from '../../inventory/types.js';
import { gapFrom, mergeGaps } from './errors.js';
import type { ScanReadCache } from './scan-cache.js';

const GAP_SOURCE = 'iam:node-roles';

/**
 * Every policy in effect on each role: attached managed policies at their default version, inline
 * policies, and the permissions boundary (which caps what the others grant). Documents come
 * URL-encoded from IAM and are stored decoded. A read that fails names itself in the role's
 * `unread` and is a gap; what was read is kept, so a grant it shows can still fail the role.
 */
export async function collectRolePolicies(
  iam: IAMClient,
  roleArns: readonly string[],
  cache: ScanReadCache,
  concurrency = 4,
): Promise<{ roles: IamRolePolicies[]; gaps: Gap[] }> {
  const gaps: Gap[] = [];
  const roles = await mapLimit([...new Set(roleArns)].sort(), concurrency, async (roleArn): Promise<IamRolePolicies> => {
    const roleName = roleNameOf(roleArn) ?? roleArn;
    const role: IamRolePolicies = { roleArn, roleName, policies: [], unread: [] };
    const failed = (what: string, e: unknown) => {
      role.unread.push(what);
      gaps.push(gapFrom(GAP_SOURCE, e, `${what} of role ${roleName}`));
    };
    let boundaryArn: string | undefined;
    try {
      boundaryArn = (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role?.PermissionsBoundary?.PermissionsBoundaryArn;
    } catch (e) {
      failed('GetRole', e);
    }
    const attached: { name: string; arn: string }[] = [];
    try {
      for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName: roleName }))
        for (const p of page.AttachedPolicies ?? [])
          if (p.PolicyArn) attached.push({ name: p.PolicyName ?? p.PolicyArn, arn: p.PolicyArn });
    } catch (e) {
      failed('ListAttachedRolePolicies', e);
    }
    const inline: string[] = [];
    try {
      for await (const page of paginateListRolePolicies({ client: iam }, { RoleName: roleName })) inline.push(...(page.PolicyNames ?? []));
    } catch (e) {
      failed('ListRolePolicies', e);
    }
    for (const p of attached) {
      try {
        role.policies.push({ ...(await managedPolicy(iam, p.arn, cache)), kind: 'managed', name: p.name });
      } catch (e) {
        failed(`managed policy ${p.arn}`, e);
      }
    }
    for (const name of inline) {
      try {
        const out = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
        role.policies.push({ kind: 'inline', name, document: decodeIamPolicyDocument(out.PolicyDocument ?? '') });
      } catch (e) {
        failed(`inline policy ${name}`, e);
      }
    }
    if (boundaryArn) {
      try {
        role.permissionsBoundary = { ...(await managedPolicy(iam, boundaryArn, cache)), kind: 'boundary' };
      } catch (e) {
        failed(`permissions boundary ${boundaryArn}`, e);
      }
    }
    return role;
  });
  return { roles, gaps: mergeGaps(gaps) };
}

/** A managed policy's default version, once per scan: AWS managed policies are attached to every node role. */
function managedPolicy(iam: IAMClient, arn: string, cache: ScanReadCache): Promise<IamPolicy> {
  return cache.read(`iam-policy|${arn}`, async () => {
    const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy;
    const versionId = policy?.DefaultVersionId;
    if (!versionId) throw new Error(`GetPolicy ${arn}: no default version`);
    const version = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }))).PolicyVersion;
    return { kind: 'managed', name: policy.PolicyName ?? arn, arn, versionId, document: decodeIamPolicyDocument(version?.Document ?? '') };
  });
}
