import { globMatch } from '../../core/glob.js';
import { iamPolicyDocumentSchema, type IamStatement } from '../../inventory/iam.js';

/** A statement that allows one of the asked actions, for the evidence. */
export interface ActionGrant {
  action: string;
  policy: string;
  sid?: string;
  /** Allowed only under a Condition: counted as granted (the condition may well hold for the nodes). */
  conditional: boolean;
}

export interface PolicyInput {
  name: string;
  document: unknown;
}

export interface GrantedActions {
  grants: ActionGrant[];
  /** Policies whose document is not a readable policy: nothing can be said of what they grant. */
  unparsable: string[];
}

/** IAM action names compare without regard to case; `*` and `?` are wildcards. */
function actionMatches(pattern: string, action: string): boolean {
  return globMatch(pattern.toLowerCase(), action.toLowerCase());
}

function statementNamesAction(st: IamStatement, action: string): boolean {
  if (st.NotAction) return !st.NotAction.some((p) => actionMatches(p, action));
  return (st.Action ?? []).some((p) => actionMatches(p, action));
}

/** Whether a Resource pattern can name some resource of the service (an Allow on it grants there). */
function reachesService(pattern: string, service: string): boolean {
  const [arn, partition, serviceField] = pattern.split(':');
  // `*`, `arn:*`, `arn:aws*`: a wildcard runs through the service field.
  if (serviceField === undefined) return globMatch(pattern, `arn:aws:${service}:r:0:x`);
  return arn !== undefined && partition !== undefined && globMatch(arn, 'arn') && globMatch(serviceField, service);
}

/**
 * Whether a Resource pattern names every resource of the service in every region and account (only
 * then does a Deny take the action away): it must match ARNs no real pattern would name by accident.
 */
function coversService(pattern: string, service: string): boolean {
  return [`arn:aws:${service}:zz-none-0:000000000000:repository/zz/none`, `arn:aws:${service}:yy-none-1:999999999999:zz`].every((arn) =>
    globMatch(pattern, arn),
  );
}

/**
 * Which of `actions` (all of one service) the policies allow on some resource of that service,
 * after unconditional Deny statements that cover every resource of the service. A conditional or
 * resource-limited Deny removes nothing: somewhere the action still works. An Allow under a
 * condition counts as granted (hardline cannot evaluate conditions; this errs towards FAIL).
 */
export function grantedActions(policies: readonly PolicyInput[], service: string, actions: readonly string[]): GrantedActions {
  const grants: ActionGrant[] = [];
  const denied = new Set<string>();
  const unparsable: string[] = [];
  for (const policy of policies) {
    const parsed = iamPolicyDocumentSchema.safeParse(policy.document);
    if (!parsed.success) {
      unparsable.push(policy.name);
      continue;
    }
    for (const st of parsed.data.Statement) {
      for (const action of actions) {
        if (!statementNamesAction(st, action)) continue;
        if (st.Effect === 'Deny') {
          const everywhere = st.Resource ? st.Resource.some((r) => coversService(r, service)) : !st.NotResource;
          if (!st.Condition && everywhere) denied.add(action);
          continue;
        }
        const somewhere = st.NotResource ? true : (st.Resource ?? ['*']).some((r) => reachesService(r, service));
        if (!somewhere) continue;
        grants.push({ action, policy: policy.name, ...(st.Sid ? { sid: st.Sid } : {}), conditional: st.Condition !== undefined });
      }
    }
  }
  return { grants: grants.filter((g) => !denied.has(g.action)), unparsable };
}

export interface RoleGrants extends GrantedActions {
  /** The role has a permissions boundary whose document is not readable: its grants may be capped or not. */
  boundaryUnreadable: boolean;
}

/**
 * What a role can do of `actions`: its identity policies' grants, capped by its permissions
 * boundary (an action the boundary does not allow is not granted, whatever the policies say).
 */
export function roleGrants(
  role: { policies: readonly PolicyInput[]; boundary?: PolicyInput },
  service: string,
  actions: readonly string[],
): RoleGrants {
  const own = grantedActions(role.policies, service, actions);
  if (!role.boundary) return { ...own, boundaryUnreadable: false };
  const cap = grantedActions([role.boundary], service, actions);
  if (cap.unparsable.length > 0)
    return { grants: own.grants, unparsable: [...own.unparsable, ...cap.unparsable], boundaryUnreadable: true };
  const allowed = new Set(cap.grants.map((g) => g.action));
  return { grants: own.grants.filter((g) => allowed.has(g.action)), unparsable: own.unparsable, boundaryUnreadable: false };
}
