import { parse } from 'yaml';
import { describeError } from '../../core/errors.js';
import { asRecord, asRecords, asString, asStrings } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';

/** One IAM role or user the aws-auth ConfigMap maps into Kubernetes. */
export interface AwsAuthMapping {
  kind: 'role' | 'user';
  arn: string;
  username?: string;
  groups: string[];
}

export type AwsAuthParse = { ok: true; mappings: AwsAuthMapping[] } | { ok: false; error: string };

/**
 * Reads `data.mapRoles` and `data.mapUsers` (YAML lists inside strings) of the aws-auth ConfigMap.
 * A field that is not valid YAML is an error to report, never "no mappings".
 */
export function parseAwsAuth(configMap: KubeObject): AwsAuthParse {
  const data = asRecord(configMap['data']) ?? {};
  const mappings: AwsAuthMapping[] = [];
  for (const [field, kind, arnKey] of [
    ['mapRoles', 'role', 'rolearn'],
    ['mapUsers', 'user', 'userarn'],
  ] as const) {
    const text = asString(data[field]);
    if (text === undefined || text.trim() === '') continue;
    let value: unknown;
    try {
      value = parse(text);
    } catch (e) {
      return { ok: false, error: `data.${field} is not valid YAML: ${describeError(e)}` };
    }
    if (value === null || value === undefined) continue;
    if (!Array.isArray(value)) return { ok: false, error: `data.${field} is not a list` };
    for (const entry of asRecords(value)) {
      const arn = asString(entry[arnKey]);
      if (!arn) continue;
      const m: AwsAuthMapping = { kind, arn, groups: asStrings(entry['groups']) };
      const username = asString(entry['username']);
      if (username) m.username = username;
      mappings.push(m);
    }
  }
  return { ok: true, mappings };
}
