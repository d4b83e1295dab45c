import { asArray, asRecord, asString, type JsonRecord } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { judgeRepositories } from './repositories.js';

/** `"*"`, `{"AWS":"*"}`, `{"AWS":["*", …]}` (or any principal type whose value is `*`). */
function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  const rec = asRecord(principal);
  if (!rec) return false;
  return Object.values(rec).some((v) => v === '*' || asArray(v).includes('*'));
}

function hasCondition(statement: JsonRecord): boolean {
  const c = asRecord(statement['Condition']);
  return c !== undefined && Object.keys(c).length > 0;
}

/** Statements that allow anyone without a condition; undefined when the text is not a policy document. */
export function publicStatements(policyText: string): JsonRecord[] | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(policyText);
  } catch {
    return undefined;
  }
  const rec = asRecord(doc);
  if (!rec) return undefined;
  const raw = rec['Statement'];
  const statements = (Array.isArray(raw) ? raw : [raw]).map(asRecord).filter((s): s is JsonRecord => s !== undefined);
  return statements.filter((s) => asString(s['Effect']) === 'Allow' && isEveryone(s['Principal']) && !hasCondition(s));
}

export const publicPolicy = defineControl(
  {
    id: 'ecr.public-policy',
    title: 'Repository policies must not grant access to everyone',
    severity: 'high',
    category: 'Images',
    scope: 'ecr',
    frameworks: { kubescape: ['C-0222'], cis: ['5.1.2'] },
    rationale:
      'A repository policy statement with Effect Allow and Principal "*" (or {"AWS":"*"}) and no Condition lets any AWS account pull ' +
      '(or, with push actions, replace) the images. A Condition (aws:PrincipalOrgID, aws:SourceAccount, …) narrows it and passes.',
    remediation: 'Name the principals, or add a Condition such as "StringEquals": {"aws:PrincipalOrgID": "o-…"} to the statement.',
  },
  judgeRepositories(['ecr:repositories', 'ecr:repository-policies'], ({ ctx, repo, name, ref }) => {
    const state = asRecord(repo['repositoryPolicy']);
    const status = asString(state?.['status']);
    if (status === 'absent') return ctx.outcome('PASS', ref, 'no repository policy');
    if (status !== 'present') return ctx.outcome('UNKNOWN', ref, `the repository policy of ${name} could not be read`);
    const found = publicStatements(asString(state?.['text']) ?? '');
    if (!found) return ctx.outcome('UNKNOWN', ref, `the repository policy of ${name} is not a valid JSON policy document`);
    if (found.length === 0) return ctx.outcome('PASS', ref, 'the repository policy grants nothing to everyone without a condition');
    const sids = found.map((s, i) => asString(s['Sid']) ?? `Statement[${i}]`);
    const actions = [
      ...new Set(
        found.flatMap((s) => (Array.isArray(s['Action']) ? s['Action'] : [s['Action']]).filter((a): a is string => typeof a === 'string')),
      ),
    ];
    return ctx.outcome(
      'FAIL',
      ref,
      `repository ${name} allows everyone (Principal *) without a condition: ${actions.join(', ') || 'all actions'}`,
      { statements: sids, actions },
    );
  }),
);
