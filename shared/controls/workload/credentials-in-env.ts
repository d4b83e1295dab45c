import { asRecord, asString, type JsonRecord, recordsWhere } from '../../inventory/read.js';
import { credentialReason, credentialValueKind } from '../../redaction/credentials.js';
import { defineControl } from '../define.js';
import { containerField, judgeWorkloads } from './walk.js';

function credentialInHostPath(volume: JsonRecord): boolean {
  const path = asString(asRecord(volume['hostPath'])?.['path']);
  return path !== undefined && credentialValueKind(path) !== undefined;
}

/** Images repeat across a cluster's pods: each is judged once (bounded, like parseImage's cache). */
const imageKinds = new Map<string, string | null>();

function imageCredentialKind(image: string): string | undefined {
  let kind = imageKinds.get(image);
  if (kind === undefined) {
    if (imageKinds.size > 50_000) imageKinds.clear();
    imageKinds.set(image, (kind = credentialValueKind(image) ?? null));
  }
  return kind ?? undefined;
}

export const credentialsInEnv = defineControl(
  {
    id: 'workload.credentials-in-env',
    title: 'Credentials must not be written into the pod spec (env values, image references, host paths)',
    severity: 'high',
    category: 'Secrets',
    scope: 'workload',
    frameworks: { nsa: 'Network separation: secrets', kubescape: ['C-0012'] },
    match: [
      {
        ref: 'KS C-0012',
        match: 'related',
        note: "it also fails envFrom secretRef and ConfigMaps (hardline: workload.secrets-in-env, config.credentials-in-configmap) and uses other name/value patterns. Not CIS 4.4.1: that flags Secret references in env, this control's remedy",
      },
    ],
    rationale:
      'A literal credential in a pod spec — an env value, a `user:password@registry` image reference, a `password=` in a host path — is readable by anyone who can read the workload, lands in Git and in audit logs. NSA/CISA: keep credentials in Secrets.',
    remediation:
      'Move the value into a Secret (ideally synced from AWS Secrets Manager) and reference it with env[].valueFrom.secretKeyRef; pull private images with imagePullSecrets, never credentials in the image reference.',
  },
  judgeWorkloads({
    pod: (w) => {
      // A host path is free text too: `password=` in it is a credential written into the spec.
      const volumes = recordsWhere(w.podSpec['volumes'], credentialInHostPath);
      if (!volumes) return undefined;
      const names = volumes.map((v) => asString(v['name']) ?? '(unnamed)');
      return {
        message: `hostPath volume${names.length > 1 ? 's' : ''} ${names.join(', ')} carr${names.length > 1 ? 'y' : 'ies'} a credential in the path`,
        evidence: { field: 'volumes[].hostPath.path', volumes: names },
      };
    },
    container: (c) => {
      // Nothing is built for the usual container, which carries no credential.
      let hits: string[] | undefined;
      let kinds: Set<string> | undefined;
      const env = c.spec['env'];
      if (Array.isArray(env)) {
        for (const item of env) {
          const e = asRecord(item);
          if (!e) continue;
          const value = asString(e['value']);
          if (value === undefined) continue; // valueFrom references are the remedy, not the problem
          const name = asString(e['name']) ?? '';
          const reason = credentialReason(name, value);
          if (reason) {
            (hits ??= []).push(name || '(unnamed)');
            (kinds ??= new Set()).add(reason);
          }
        }
      }
      const imageKind = imageCredentialKind(asString(c.spec['image']) ?? '');
      if (imageKind) (kinds ??= new Set()).add(imageKind);
      if (!hits && !imageKind) return undefined;
      hits ??= [];
      kinds ??= new Set();
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
