import { asRecords, asString } from '../../inventory/read.js';
import { credentialReason } from '../../findings/credentials.js';
import { containerField, defineWorkloadControl } from './define.js';

export const credentialsInEnv = defineWorkloadControl(
  {
    id: 'workload.credentials-in-env',
    title: 'Credentials must not be set as literal environment values',
    severity: 'high',
    category: 'Secrets',
    frameworks: { nsa: 'Network separation: secrets', kubescape: ['C-0012'], cis: ['4.4.1'] },
    rationale:
      'A literal credential in a pod spec is readable by anyone who can read the workload, lands in Git and in audit logs. NSA/CISA: keep credentials in Secrets.',
    remediation: 'Move the value into a Secret (ideally synced from AWS Secrets Manager) and reference it with env[].valueFrom.secretKeyRef.',
  },
  {
    container: (c) => {
      const hits: string[] = [];
      const kinds = new Set<string>();
      for (const env of asRecords(c.spec['env'])) {
        const name = asString(env['name']) ?? '';
        const value = asString(env['value']);
        if (value === undefined) continue; // valueFrom references are the remedy, not the problem
        const reason = credentialReason(name, value);
        if (reason) {
          hits.push(name || '(unnamed)');
          kinds.add(reason);
        }
      }
      // Evidence names the variables, never their values.
      return hits.length === 0
        ? undefined
        : {
            message: `${c.type} '${c.name}' sets credential-looking env var${hits.length > 1 ? 's' : ''} ${hits.join(', ')} as literal value${hits.length > 1 ? 's' : ''}`,
            evidence: { field: containerField(c, 'env'), variables: hits, kinds: [...kinds] },
          };
    },
    passMessage: 'no literal credentials in env',
  },
);
