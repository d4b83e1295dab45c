import { Buffer } from 'node:buffer';
import { describeRef, objectRef } from '../../inventory/objects.js';
import type { ResourceRef } from '../../core/types.js';
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
import { described } from '../messages.js';
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

/** The credential-looking entries of one value (none: undefined, the common case builds no list). */
function findCredentials(key: string, value: string): { key: string; reason: string }[] | undefined {
  // A configuration file held in one value: name the inner keys (`app.properties: db.password`), the precise evidence.
  if (mayNameCredential(value) && (value.includes('\n') || /[:=]/.test(value))) {
    const inner = embeddedCredentials(value);
    if (inner.length > 0) return inner.map((h) => ({ key: `${key}: ${h.key}`, reason: h.reason }));
  }
  const direct = credentialReason(key, value);
  if (direct) return [{ key, reason: direct }];
  if (looksLikeToken(key, value)) return [{ key, reason: 'high-entropy value' }];
  return undefined;
}

/** Keys holding credential-looking values and what they look like (each kind once), in reading order. */
interface ConfigMapHits {
  keys: string[];
  reasons: string[];
}

function addHit(hits: ConfigMapHits | undefined, key: string, reason: string): ConfigMapHits {
  if (!hits) return { keys: [key], reasons: [reason] };
  hits.keys.push(key);
  if (!hits.reasons.includes(reason)) hits.reasons.push(reason);
  return hits;
}

/** Undefined when nothing looks like a credential: most ConfigMaps, judged without building a list. */
function scanConfigMap(cm: KubeObject): ConfigMapHits | undefined {
  let hits: ConfigMapHits | undefined;
  const data = asRecord(cm['data']);
  if (data) {
    const keys = Object.keys(data);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const value = data[key];
      if (typeof value !== 'string') continue;
      const found = findCredentials(key, value);
      if (found) for (const hit of found) hits = addHit(hits, `data.${hit.key}`, hit.reason);
    }
  }
  const binary = asRecord(cm['binaryData']);
  if (binary) {
    for (const [key, value] of Object.entries(binary)) {
      if (typeof value !== 'string') continue;
      // Binary values are base64: only a known credential format inside them is evidence (keystores, key files).
      const kind = credentialValueKind(Buffer.from(value, 'base64').toString('latin1'));
      if (kind) hits = addHit(hits, `binaryData.${key}`, kind);
    }
  }
  return hits;
}

/** Published on purpose (a CA bundle, cluster-info): why, or undefined. */
function publicConfigMap(ref: ResourceRef): string | undefined {
  for (const p of PUBLIC_CONFIGMAPS) if (p.name === ref.name && (p.namespace === undefined || p.namespace === ref.namespace)) return p.why;
  return undefined;
}

const HOLDS_NONE = described(' holds no credential-looking value');

export const configCredentialsInConfigmap = defineControl(
  {
    id: 'config.credentials-in-configmap',
    title: 'ConfigMaps must not hold credentials',
    severity: 'high',
    category: 'Secrets',
    scope: 'namespace',
    frameworks: { nsa: 'Network separation: secrets', kubescape: ['C-0012'] },
    match: [
      {
        ref: 'KS C-0012',
        match: 'related',
        note: 'it also covers pod env; different name/value patterns (hardline adds entropy and credentials inside embedded config files)',
      },
    ],
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
      for (let i = 0; i < configMaps.length; i++) {
        const cm = configMaps[i]!;
        const ref = objectRef(cm);
        const known = publicConfigMap(ref);
        if (known) {
          out.push(ctx.outcome('NOT_APPLICABLE', ref, `${describeRef(ref)} is ${known}`));
          continue;
        }
        const hits = scanConfigMap(cm);
        // Evidence names the keys and what they look like; the values never leave this function.
        if (!hits) out.push(ctx.outcome('PASS', ref, HOLDS_NONE));
        else {
          const { keys, reasons } = hits;
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
      }
      return out;
    },
  },
);
