import { NotFoundError, ValidationError } from '../core/errors.js';
import type { ExemptionPolicy } from '../engine/types.js';
import { checkExemptionId } from '../store/exemptions.js';
import type { Page, Position } from '../store/paginate.js';
import type { FindingsStore } from '../store/store.js';
import { decodeCursor, encodeCursor, queryDigest, type CursorKey } from './cursor.js';
import { parseExemptionBody, requireCaller } from './exemption-body.js';
import { findFinding } from './finding-lookup.js';
import { errorResult, json, noContent, type ApiEvent, type ApiResult } from './http.js';
import {
  parseChangesQuery,
  parseClustersQuery,
  parseFindingsQuery,
  parseNoQuery,
  parsePagingOnly,
  parseScanId,
  parseSummaryQuery,
  parseTrendsQuery,
  type Paging,
} from './params.js';

/** What a request is answered with besides the store: the page-token key and the exemption policy. */
export interface ApiSettings {
  cursorKey: CursorKey;
  exemptions: Pick<ExemptionPolicy, 'maxDays'>;
  now?: () => Date;
}

interface RequestScope extends ApiSettings {
  store: FindingsStore;
  params: Record<string, string>;
}

type Handler = (event: ApiEvent, scope: RequestScope) => Promise<ApiResult>;

interface Route {
  pattern: RegExp;
  /** Path parameter names, in the order of the pattern's groups. */
  names: string[];
  methods: Partial<Record<string, Handler>>;
}

function position(paging: Paging, digest: string, key: CursorKey): { limit: number; position?: Position } {
  return paging.cursor === undefined
    ? { limit: paging.limit }
    : { limit: paging.limit, position: decodeCursor(paging.cursor, digest, key) };
}

function pageBody<T>(page: Page<T>, digest: string, key: CursorKey): { items: T[]; count: number; nextCursor?: string } {
  return page.next
    ? { items: page.items, count: page.items.length, nextCursor: encodeCursor(page.next, digest, key) }
    : { items: page.items, count: page.items.length };
}

const listFindings: Handler = async (event, { store, cursorKey }) => {
  const { filter, paging } = parseFindingsQuery(event.queryStringParameters);
  const digest = queryDigest('findings', { ...filter });
  return json(200, pageBody(await store.findings(filter, position(paging, digest, cursorKey)), digest, cursorKey));
};

const getFinding: Handler = async (event, { store, params }) => {
  parseNoQuery(event.queryStringParameters);
  return json(200, await findFinding(store, params['id']!));
};

const listClusters: Handler = async (event, { store, cursorKey }) => {
  const { filter, paging } = parseClustersQuery(event.queryStringParameters);
  const digest = queryDigest('clusters', { ...filter });
  const [page, coverage] = await Promise.all([store.targets(filter, position(paging, digest, cursorKey)), store.coverage(filter)]);
  return json(200, { ...pageBody(page, digest, cursorKey), coverage });
};

const getSummary: Handler = async (event, { store }) => json(200, await store.summary(parseSummaryQuery(event.queryStringParameters)));

const getTrends: Handler = async (event, { store, now }) => {
  const { days } = parseTrendsQuery(event.queryStringParameters);
  return json(200, await store.trends(days, now?.()));
};

const listChanges: Handler = async (event, { store, now }) => {
  const { limit, days } = parseChangesQuery(event.queryStringParameters);
  const items = await store.changes(limit, days, now?.());
  return json(200, { items, count: items.length });
};

const getScan: Handler = async (event, { store, params, cursorKey }) => {
  const id = parseScanId(params['id']!);
  const paging = parsePagingOnly(event.queryStringParameters);
  const scan = await store.scan(id);
  if (!scan) throw new NotFoundError(`no scan ${id}`);
  const digest = queryDigest('scan-events', { id });
  const events = pageBody(await store.scanEvents(id, position(paging, digest, cursorKey)), digest, cursorKey);
  return json(200, { scan, events: events.items, ...(events.nextCursor ? { nextCursor: events.nextCursor } : {}) });
};

const listExemptions: Handler = async (event, { store }) => {
  parseNoQuery(event.queryStringParameters);
  const items = await store.exemptions();
  return json(200, { items, count: items.length });
};

const getExemption: Handler = async (event, { store, params }) => {
  parseNoQuery(event.queryStringParameters);
  const id = checkExemptionId(params['id']!);
  const e = await store.exemption(id);
  if (!e) throw new NotFoundError(`no exemption ${id}`);
  return json(200, { exemption: e });
};

const putExemption: Handler = async (event, { store, params, exemptions, now }) => {
  parseNoQuery(event.queryStringParameters);
  const { id, exemption } = parseExemptionBody(event, params['id'], exemptions, now?.() ?? new Date());
  const out = await store.putExemption(id, exemption);
  return json(out.created ? 201 : 200, { exemption: out.exemption });
};

const deleteExemption: Handler = async (event, { store, params }) => {
  requireCaller(event);
  parseNoQuery(event.queryStringParameters);
  const id = checkExemptionId(params['id']!);
  if (!(await store.deleteExemption(id))) throw new NotFoundError(`no exemption ${id}`);
  return noContent();
};

const ROUTES: Route[] = [
  { pattern: /^\/findings\/?$/, names: [], methods: { GET: listFindings } },
  { pattern: /^\/findings\/([^/]+)\/?$/, names: ['id'], methods: { GET: getFinding } },
  { pattern: /^\/clusters\/?$/, names: [], methods: { GET: listClusters } },
  { pattern: /^\/summary\/?$/, names: [], methods: { GET: getSummary } },
  { pattern: /^\/trends\/?$/, names: [], methods: { GET: getTrends } },
  { pattern: /^\/changes\/?$/, names: [], methods: { GET: listChanges } },
  { pattern: /^\/scans\/([^/]+)\/?$/, names: ['id'], methods: { GET: getScan } },
  { pattern: /^\/exemptions\/?$/, names: [], methods: { GET: listExemptions, PUT: putExemption } },
  { pattern: /^\/exemptions\/([^/]+)\/?$/, names: ['id'], methods: { GET: getExemption, PUT: putExemption, DELETE: deleteExemption } },
];

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new ValidationError('path: malformed percent-encoding');
  }
}

/** The path without a named stage: HTTP API puts `/<stage>` in front of it unless the stage is `$default`. */
function routePath(event: ApiEvent): string {
  const path = event.rawPath || '/';
  const stage = event.requestContext?.stage;
  if (stage && stage !== '$default' && (path === `/${stage}` || path.startsWith(`/${stage}/`))) return path.slice(stage.length + 1) || '/';
  return path;
}

/**
 * Routes an API Gateway HTTP API v2 event. Validation and lookups throw ValidationError /
 * NotFoundError, which the handler's middleware turns into 400 / 404 with `{"error": ...}`.
 */
export async function routeRequest(event: ApiEvent, store: FindingsStore, settings: ApiSettings): Promise<ApiResult> {
  const method = (event.requestContext?.http?.method ?? 'GET').toUpperCase();
  const path = routePath(event);
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    const params = Object.fromEntries(route.names.map((n, i) => [n, decodeSegment(m[i + 1]!)]));
    const handler = route.methods[method];
    if (!handler) return errorResult(405, `method ${method} not allowed on ${path}`, { allow: Object.keys(route.methods).join(', ') });
    return handler(event, { ...settings, store, params });
  }
  throw new NotFoundError(`no route ${method} ${path.slice(0, 200)}`);
}
