import { asArray, asRecord, asString } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { judgeRepositories } from './repositories.js';

function ruleCount(text: string): number | undefined {
  try {
    return asArray(asRecord(JSON.parse(text))?.['rules']).length;
  } catch {
    return undefined;
  }
}

export const lifecyclePolicy = defineControl(
  {
    id: 'ecr.lifecycle-policy',
    title: 'Repositories must have a lifecycle policy',
    severity: 'low',
    category: 'Images',
    scope: 'ecr',
    frameworks: { securityHub: ['ECR.3'] },
    rationale:
      'Without a lifecycle policy old, unpatched images pile up and stay pullable forever; expiring untagged and superseded images ' +
      'keeps what can be deployed close to what is maintained (and keeps storage costs bounded).',
    remediation:
      'aws ecr put-lifecycle-policy --repository-name <repo> --lifecycle-policy-text file://policy.json (e.g. expire untagged images after 14 days).',
  },
  judgeRepositories(['ecr:repositories', 'ecr:lifecycle-policies'], ({ ctx, repo, name, ref }) => {
    const state = asRecord(repo['lifecyclePolicy']);
    const status = asString(state?.['status']);
    if (status === 'present') {
      const rules = ruleCount(asString(state?.['text']) ?? '');
      return ctx.outcome('PASS', ref, `lifecycle policy present${rules !== undefined ? ` (${rules} rule(s))` : ''}`, { rules });
    }
    if (status === 'absent') return ctx.outcome('FAIL', ref, `repository ${name} has no lifecycle policy`);
    return ctx.outcome('UNKNOWN', ref, `the lifecycle policy of ${name} could not be read`);
  }),
);
