import { Buffer } from 'node:buffer';
import { describeRef, objectRef } from '../../inventory/objects.js';
import { asRecord } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import {
  credentialReason,
  credentialValueKind,
  embeddedCredentials,
  isHighEntropySecret,
  mayNameCredential,
} from '../../redaction/credentials.js';
import { defineControl } from '../define.js';
import { clusterRef } from '../refs.js';
import type { Outcome } from '../types.js';

/** ConfigMaps Kubernetes and kubeadm publish on purpose: CA bundles and the public cluster-info. */
const PUBLIC_CONFIGMAPS: readonly { namespace?: string; name: string; why: string }[] = [
  { name: 'kube-root-ca.crt', why: 'the cluster CA certificate every namespace receives' },
  { namespace: 'kube-system', name: 'extension-apiserver-authentication', why: 'client CA bundles for API aggregation' },
  { namespace: 'kube-public', name: 'cluster-info', why: 'the public bootstrap information (CA and endpoint) kubeadm publishes' },
];

/** Keys whose high-entropy values are identifiers or digests, not secrets. */
const DIGEST_KEY = /(hash|checksum|digest|sha\d*|md5|fingerprint|uuid|guid|etag|revision|version|commit|[-_.]id)$/i;

/** Host names, dotted identifiers and image references are long and varied, but not random tokens. */
const DOTTED_NAME = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?$/;

function looksLikeToken(key: string, value: string): boolean {
  const v = value.trim();
  return isHighEntropySecret(v) && !DIGEST_KEY.test(key) && !DOTTED_NAME.test(v) && /\d/.test(v) && /[A-Za-z]/.test(v);
}

function findCredentials(key: string, value: string): { key: string; reason: string }[] {
  // A configuration file held in one value: name the inner keys (`app.properties: db.password`), the precise evidence.
  if (mayNameCredential(value) && (value.includes('\n') || /[:=]/.test(value))) {
    const inner = embeddedCredentials(value);
    if (inner.length > 0) return inner.map((h) => ({ key: `${key}: ${h.key}`, reason: h.reason }));
  }
  const direct = credentialReason(key, value);
  if (direct) return [{ key, reason: direct }];
  if (looksLikeToken(key, value)) return [{ key, reason: 'high-entropy value' }];
  return [];
}

function scanConfigMap(cm: KubeObject): { keys: string[]; reasons: string[] } {
  const keys: string[] = [];
  const reasons = new Set<string>();
  for (const [key, value] of Object.entries(asRecord(cm['data']) ?? {})) {
    if (typeof value !== 'string') continue;
    for (const hit of findCredentials(key, value)) {
      keys.push(`data.${hit.key}`);
      reasons.add(hit.reason);
    }
  }
  for (const [key, value] of Object.entries(asRecord(cm['binaryData']) ?? {})) {
    if (typeof value !== 'string') continue;
    // Binary values are base64: only a known credential format inside them is evidence (keystores, key files).
    const kind = credentialValueKind(Buffer.from(value, 'base64').toString('latin1'));
    if (kind) {
      keys.push(`binaryData.${key}`);
      reasons.add(kind);
    }
  }
  return { keys, reasons: [...reasons] };
}

export const configCredentialsInConfigmap = defineControl(
  {
    id: 'config.credentials-in-configmap',
    title: 'ConfigMaps must not hold credentials',
    severity: 'high',
    category: 'Secrets',
    scope: 'namespace',
    frameworks: { nsa: 'Network separation: secrets', kubescape: ['C-0012'] },
    rationale:
      'ConfigMaps are readable by anyone with view access, are not encrypted with the Secrets KMS key, and end up in Git and backups. NSA/CISA: keep credentials in Secrets, encrypted at rest.',
    remediation:
      'Move the value into a Secret (or AWS Secrets Manager via the CSI driver / External Secrets) and reference it; rotate the exposed credential.',
  },
  {
    reads: ['ConfigMap'],
    check(ctx): Outcome[] {
      const out: Outcome[] = [];
      const configMaps = ctx.index.byKind('ConfigMap');
      if (configMaps.length === 0) {
        out.push(ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), 'no ConfigMap in the inventory'));
        return out;
      }
      for (const cm of configMaps) {
        const ref = objectRef(cm);
        const known = PUBLIC_CONFIGMAPS.find((p) => p.name === ref.name && (p.namespace === undefined || p.namespace === ref.namespace));
        if (known) {
          out.push(ctx.outcome('NOT_APPLICABLE', ref, `${describeRef(ref)} is ${known.why}`));
          continue;
        }
        const { keys, reasons } = scanConfigMap(cm);
        // Evidence names the keys and what they look like; the values never leave this function.
        if (keys.length === 0) out.push(ctx.outcome('PASS', ref, `${describeRef(ref)} holds no credential-looking value`));
        else
          out.push(
            ctx.outcome(
              'FAIL',
              ref,
              `${describeRef(ref)} holds credential-looking value${keys.length > 1 ? 's' : ''} under ${keys.join(', ')} (${reasons.join(', ')})`,
              {
                keys,
                kinds: reasons,
              },
            ),
          );
      }
      return out;
    },
  },
);
