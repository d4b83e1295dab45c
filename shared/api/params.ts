import * as z from 'zod';
import { controlFacts } from '../controls/facts.js';
import { ACCOUNT_ID } from '../core/aws-ids.js';
import { ValidationError } from '../core/errors.js';
import { SEVERITIES, type Severity } from '../core/types.js';
import { FINDING_STATES, type FindingState } from '../findings/types.js';
import { MAX_HISTORY_DAYS } from '../store/trends.js';
import type { FindingFilter, TargetFilter } from '../store/query.js';

/**
 * Query-string parsing at the edge. Every value may be a comma-separated list (API Gateway joins
 * repeated parameters with commas). Unknown parameters are refused: a typo such as `serverity`
 * must not silently return every finding.
 */
export type RawQuery = Record<string, string | undefined> | undefined | null;

export const MAX_LIMIT = 500;
export const DEFAULT_LIMIT = 50;

const label = (name: string) => (v: string) => `${name}: '${v.length > 60 ? `${v.slice(0, 60)}…` : v}'`;

const item = {
  account: z.string().regex(ACCOUNT_ID, 'must be a 12-digit AWS account id'),
  region: z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'must be an AWS region such as eu-west-1')),
  cluster: z
    .string()
    .min(1)
    .max(255)
    // eslint-disable-next-line no-control-regex -- the control characters are what is refused
    .regex(/^[^\u0000-\u001f]+$/, 'must not contain control characters'),
  namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a Kubernetes namespace name'),
  kind: z.enum(['cluster', 'registry', 'manifests'], { message: 'must be one of cluster, registry, manifests' }),
  severity: z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(SEVERITIES, { message: `must be one of ${SEVERITIES.join(', ')}` })),
  state: z
    .string()
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(FINDING_STATES, { message: `must be one of ${FINDING_STATES.join(', ')} (any case)` })),
  control: z
    .string()
    .transform((s) => s.toLowerCase())
    .refine((s) => controlFacts(s) !== undefined, { message: 'is not a control id of the catalog (see hardline controls)' }),
};

type ItemName = keyof typeof item;

function list<N extends ItemName>(name: N, raw: string): z.output<(typeof item)[N]>[] {
  const parts = raw.split(',').map((s) => s.trim());
  if (parts.length > 50) throw new ValidationError(`${name}: at most 50 values`);
  return parts.map((p) => {
    if (p === '') throw new ValidationError(`${name}: empty value`);
    const r = item[name].safeParse(p);
    if (!r.success) throw new ValidationError(`${label(name)(p)} ${r.error.issues[0]?.message ?? 'is invalid'}`);
    return r.data as z.output<(typeof item)[N]>;
  });
}

function only(query: RawQuery, allowed: readonly string[]): Record<string, string> {
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(query ?? {})) {
    if (!allowed.includes(k)) {
      throw new ValidationError(
        allowed.length
          ? `unknown query parameter '${k.slice(0, 60)}' (expected ${allowed.join(', ')})`
          : `unknown query parameter '${k.slice(0, 60)}' (this route takes none)`,
      );
    }
    if (v !== undefined) q[k] = v;
  }
  return q;
}

export function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  if (!/^\d{1,6}$/.test(raw.trim())) throw new ValidationError(`limit: must be an integer from 1 to ${MAX_LIMIT}`);
  const n = Number(raw.trim());
  if (n < 1 || n > MAX_LIMIT) throw new ValidationError(`limit: must be an integer from 1 to ${MAX_LIMIT} (got ${n})`);
  return n;
}

export interface Paging {
  limit: number;
  cursor?: string;
}

function paging(q: Record<string, string>): Paging {
  const limit = parseLimit(q['limit']);
  const cursor = q['cursor'];
  if (cursor === '') throw new ValidationError('cursor: empty value');
  return cursor === undefined ? { limit } : { limit, cursor };
}

const FINDING_PARAMS = ['account', 'region', 'cluster', 'control', 'severity', 'state', 'namespace', 'limit', 'cursor'] as const;

export function parseFindingsQuery(query: RawQuery): { filter: FindingFilter; paging: Paging } {
  const q = only(query, FINDING_PARAMS);
  const filter: FindingFilter = {};
  if (q['account'] !== undefined) filter.account = list('account', q['account']);
  if (q['region'] !== undefined) filter.region = list('region', q['region']);
  if (q['cluster'] !== undefined) filter.cluster = list('cluster', q['cluster']);
  if (q['control'] !== undefined) filter.control = list('control', q['control']);
  if (q['severity'] !== undefined) filter.severity = list('severity', q['severity']) as Severity[];
  if (q['state'] !== undefined) filter.state = list('state', q['state']) as FindingState[];
  if (q['namespace'] !== undefined) filter.namespace = list('namespace', q['namespace']);
  return { filter, paging: paging(q) };
}

function targetFilter(q: Record<string, string>): TargetFilter {
  const f: TargetFilter = {};
  if (q['account'] !== undefined) f.account = list('account', q['account']);
  if (q['region'] !== undefined) f.region = list('region', q['region']);
  if (q['cluster'] !== undefined) f.cluster = list('cluster', q['cluster']);
  if (q['kind'] !== undefined) f.kind = list('kind', q['kind']);
  return f;
}

export function parseClustersQuery(query: RawQuery): { filter: TargetFilter; paging: Paging } {
  const q = only(query, ['account', 'region', 'cluster', 'kind', 'limit', 'cursor']);
  return { filter: targetFilter(q), paging: paging(q) };
}

export function parseSummaryQuery(query: RawQuery): TargetFilter {
  return targetFilter(only(query, ['account', 'region', 'cluster', 'kind']));
}

export function parsePagingOnly(query: RawQuery): Paging {
  return paging(only(query, ['limit', 'cursor']));
}

export function parseNoQuery(query: RawQuery): void {
  only(query, []);
}

export function parseScanId(raw: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(raw)) throw new ValidationError('id: a scan id is 1-128 letters, digits, . _ : -');
  return raw;
}

function boundedInt(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = /^\d{1,6}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(n >= 1 && n <= max)) throw new ValidationError(`${label(name)(raw)} must be an integer from 1 to ${max}`);
  return n;
}

export const DEFAULT_HISTORY_DAYS = 30;
export const MAX_CHANGES = 100;

/** GET /trends?days=N: the last N days (1-90, default 30). */
export function parseTrendsQuery(query: RawQuery): { days: number } {
  const q = only(query, ['days']);
  return { days: boundedInt('days', q['days'], DEFAULT_HISTORY_DAYS, MAX_HISTORY_DAYS) };
}

/** GET /changes?limit=N&days=D: the newest N (1-100, default 20) changes of the last D days. */
export function parseChangesQuery(query: RawQuery): { limit: number; days: number } {
  const q = only(query, ['limit', 'days']);
  return {
    limit: boundedInt('limit', q['limit'], 20, MAX_CHANGES),
    days: boundedInt('days', q['days'], DEFAULT_HISTORY_DAYS, MAX_HISTORY_DAYS),
  };
}
