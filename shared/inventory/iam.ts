import * as z from 'zod';

/**
 * IAM policies as collected for the roles hardline judges (EKS node roles), JSON-serialisable.
 * Documents are stored parsed (IAM returns them URL-encoded); snapshots replay without validation,
 * so readers parse them again with `iamPolicyDocumentSchema`.
 */

/** One policy in effect on a role: inline, attached managed (the default version), or the permissions boundary. */
export interface IamPolicy {
  kind: 'inline' | 'managed' | 'boundary';
  name: string;
  arn?: string;
  versionId?: string;
  document: unknown;
}

/** A role and every policy in effect on it; `unread` names what could not be read (there is then a gap too). */
export interface IamRolePolicies {
  roleArn: string;
  roleName: string;
  policies: IamPolicy[];
  permissionsBoundary?: IamPolicy;
  unread: string[];
}

const stringOrList = z.union([z.string(), z.array(z.string())]).transform((v) => (typeof v === 'string' ? [v] : v));

export const iamStatementSchema = z.object({
  Sid: z.string().optional(),
  Effect: z.enum(['Allow', 'Deny']),
  Action: stringOrList.optional(),
  NotAction: stringOrList.optional(),
  Resource: stringOrList.optional(),
  NotResource: stringOrList.optional(),
  Condition: z.record(z.string(), z.unknown()).optional(),
});

export type IamStatement = z.infer<typeof iamStatementSchema>;

export const iamPolicyDocumentSchema = z.object({
  Version: z.string().optional(),
  Statement: z.union([iamStatementSchema, z.array(iamStatementSchema)]).transform((s) => (Array.isArray(s) ? s : [s])),
});

/** IAM's URL-encoded JSON policy text → the document (validated); throws when it is not a policy document. */
export function decodeIamPolicyDocument(encoded: string): unknown {
  const parsed: unknown = JSON.parse(decodeURIComponent(encoded));
  iamPolicyDocumentSchema.parse(parsed);
  return parsed;
}

/** The role name of a role ARN (`arn:aws:iam::123456789012:role/path/name` → `name`). */
export function roleNameOf(roleArn: string): string | undefined {
  const m = /^arn:[^:]+:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return m?.[1];
}
