import { asRecord, asRecords, asString } from '../../inventory/read.js';
import { credentialReason, credentialValueKind } from '../../redaction/credentials.js';
import { defineControl } from '../define.js';
import { containerField, judgeWorkloads } from './walk.js';

export const credentialsInEnv = defineControl(
  {
    id: 'workload.credentials-in-env',
    title: 'Credentials must not be written into the pod spec (env values, image references, host paths)',
    severity: 'high',
    category: 'Secrets',
    scope: 'workload',
    frameworks: { nsa: 'Network separation: secrets', kubescape: ['C-0012'], cis: ['4.4.1'] },
    rationale:
      'A literal credential in a pod spec — an env value, a `user:password@registry` image reference, a `password=` in a host path — is readable by anyone who can read the workload, lands in Git and in audit logs. NSA/CISA: keep credentials in Secrets.',
    remediation:
      'Move the value into a Secret (ideally synced from AWS Secrets Manager) and reference it with env[].valueFrom.secretKeyRef; pull private images with imagePullSecrets, never credentials in the image reference.',
  },
  judgeWorkloads({
    pod: (w) => {
      // A host path is free text too: `password=` in it is a credential written into the spec.
      const volumes = asRecords(w.podSpec['volumes']).filter((v) => {
        const path = asString(asRecord(v['hostPath'])?.['path']);
        return path !== undefined && credentialValueKind(path) !== undefined;
      });
      if (volumes.length === 0) return undefined;
      const names = volumes.map((v) => asString(v['name']) ?? '(unnamed)');
      return {
        message: `hostPath volume${names.length > 1 ? 's' : ''} ${names.join(', ')} carr${names.length > 1 ? 'y' : 'ies'} a credential in the path`,
        evidence: { field: 'volumes[].hostPath.path', volumes: names },
      };
    },
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
      const imageKind = credentialValueKind(asString(c.spec['image']) ?? '');
      if (imageKind) kinds.add(imageKind);
      if (hits.length === 0 && !imageKind) return undefined;
      // Evidence names the variables and fields, never their values.
      const parts = [
        ...(hits.length > 0
          ? [
              `sets credential-looking env var${hits.length > 1 ? 's' : ''} ${hits.join(', ')} as literal value${hits.length > 1 ? 's' : ''}`,
            ]
          : []),
        ...(imageKind ? ['has credentials in its image reference'] : []),
      ];
      return {
        message: `${c.type} '${c.name}' ${parts.join(' and ')}`,
        evidence: {
          field: hits.length > 0 ? containerField(c, 'env') : containerField(c, 'image'),
          ...(hits.length > 0 ? { variables: hits } : {}),
          ...(imageKind ? { image: containerField(c, 'image') } : {}),
          kinds: [...kinds],
        },
      };
    },
    passMessage: 'no literal credentials in env values, image references or host paths',
  }),
);
