import { readFileSync } from 'node:fs';
import AjvModule from 'ajv';
import { parse } from 'yaml';
import { SHARED_DIR } from './paths.js';

// ajv is CommonJS: under NodeNext its class sits on `.default`.
const Ajv = AjvModule.default;

export const POLICY_REPORT_CRDS = 'data/policyreport';
type Schema = Record<string, unknown>;

/**
 * The API server prunes, and `kubectl apply` (strict field validation) rejects, fields a structural
 * schema does not declare: every object schema with `properties` gets `additionalProperties: false`
 * (`metadata` stays open, as the API server validates it itself).
 */
function strict(schema: Schema): Schema {
  const out: Schema = { ...schema };
  const props = schema['properties'] as Record<string, Schema> | undefined;
  if (props) {
    out['properties'] = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, strict(v)]));
    if (!('additionalProperties' in schema)) out['additionalProperties'] = false;
  }
  if (schema['items']) out['items'] = strict(schema['items'] as Schema);
  return out;
}

function crdSchema(file: string, version: string): Schema {
  const crd = parse(readFileSync(`${SHARED_DIR}${POLICY_REPORT_CRDS}/${file}`, 'utf8')) as {
    spec: { names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
  };
  const v = crd.spec.versions.find((x) => x.name === version);
  if (!v) throw new Error(`${file} has no version ${version}`);
  return strict(v.schema.openAPIV3Schema);
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** kubectl apply keeps the object in the last-applied-configuration annotation; annotations total at most 256 KiB. */
const APPLY_LIMIT = 262_144;

/** Validates PolicyReport / ClusterPolicyReport objects against the upstream CRDs (v1alpha2) and what the API server checks of metadata. */
export function policyReportValidator(): (doc: unknown) => string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  const validators = {
    PolicyReport: ajv.compile(crdSchema('wgpolicyk8s.io_policyreports.yaml', 'v1alpha2')),
    ClusterPolicyReport: ajv.compile(crdSchema('wgpolicyk8s.io_clusterpolicyreports.yaml', 'v1alpha2')),
  };
  return (doc) => {
    const d = doc as {
      apiVersion?: string;
      kind?: string;
      metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
    };
    const problems: string[] = [];
    if (d.apiVersion !== 'wgpolicyk8s.io/v1alpha2') problems.push(`apiVersion ${d.apiVersion}`);
    const validate = d.kind === 'PolicyReport' || d.kind === 'ClusterPolicyReport' ? validators[d.kind] : undefined;
    if (!validate) return [...problems, `kind ${d.kind}`];
    if (!validate(doc)) problems.push(...(validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));
    const name = d.metadata?.name ?? '';
    if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) problems.push(`metadata.name '${name}' is not a DNS-1123 subdomain`);
    const ns = d.metadata?.namespace;
    if (d.kind === 'PolicyReport' && (ns === undefined || ns.length > 63 || !DNS_LABEL.test(ns)))
      problems.push(`metadata.namespace '${ns}'`);
    if (d.kind === 'ClusterPolicyReport' && ns !== undefined) problems.push('a ClusterPolicyReport has no namespace');
    for (const [k, v] of Object.entries(d.metadata?.labels ?? {})) if (v.length > 63) problems.push(`label ${k} too long`);
    const size = Buffer.byteLength(JSON.stringify(doc));
    if (size >= APPLY_LIMIT) problems.push(`${size} bytes: too large for kubectl apply`);
    return problems;
  };
}
