import { NotFoundError, ValidationError } from '../errors.js';
import type { FindingsStore } from '../store/store.js';
import { decodeCursor, encodeCursor, queryDigest } from './cursor.js';
import { parseExemptionBody } from './exemption-body.js';
import { errorResult, json, noContent, type ApiEvent, type ApiResult } from './http.js';
import {
  parseClustersQuery,
  parseFindingId,
  parseFindingsQuery,
  parseNoQuery,
  parsePagingOnly,
  parseScanId,
  parseSummaryQuery,
  type Paging,
} from './params.js';
import type { Page, Position } from '../store/paginate.js';
import { checkExemptionId } from '../store/exemptions.js';

type Handler = (event: ApiEvent, store: FindingsStore, params: Record<string, string>) => Promise<ApiResult>;

interface Route {
  pattern: RegExp;
  /** Path parameter names, in the order of the pattern's groups. */
  names: string[];
  methods: Partial<Record<string, Handler>>;
}

function position(paging: Paging, digest: string): { limit: number; position?: Position } {
  return paging.cursor === undefined ? { limit: paging.limit } : { limit: paging.limit, position: decodeCursor(paging.cursor, digest) };
}

function pageBody<T>(page: Page<T>, digest: string): { items: T[]; count: number; nextCursor?: string } {
  return page.next ? { items: page.items, count: page.items.length, nextCursor: encodeCursor(page.next, digest) } : { items: page.items, count: page.items.length };
}

const listFindings: Handler = async (event, store) => {
  const { filter, paging } = parseFindingsQuery(event.queryStringParameters);
  const digest = queryDigest('findings', { ...filter });
  return json(200, pageBody(await store.findings(filter, position(paging, digest)), digest));
};

const getFinding: Handler = async (event, store, p) => {
  parseNoQuery(event.queryStringParameters);
  const found = await store.finding(parseFindingId(p['id']!));
  if (!found) throw new NotFoundError(`no finding ${p['id']}`);
  return json(200, found);
};

const listClusters: Handler = async (event, store) => {
  const { filter, paging } = parseClustersQuery(event.queryStringParameters);
  const digest = queryDigest('clusters', { ...filter });
  const [page, coverage] = await Promise.all([store.targets(filter, position(paging, digest)), store.coverage(filter)]);
  return json(200, { ...pageBody(page, digest), coverage });
};

const getSummary: Handler = async (event, store) => json(200, await store.summary(parseSummaryQuery(event.queryStringParameters)));

const getScan: Handler = async (event, store, p) => {
  const id = parseScanId(p['id']!);
  const paging = parsePagingOnly(event.queryStringParameters);
  const scan = await store.scan(id);
  if (!scan) throw new NotFoundError(`no scan ${id}`);
  const digest = queryDigest('scan-events', { id });
  const events = pageBody(await store.scanEvents(id, position(paging, digest)), digest);
  return json(200, { scan, events: events.items, ...(events.nextCursor ? { nextCursor: events.nextCursor } : {}) });
};

const listExemptions: Handler = async (event, store) => {
  parseNoQuery(event.queryStringParameters);
  const items = await store.exemptions();
  return json(200, { items, count: items.length });
};

const getExemption: Handler = async (event, store, p) => {
  parseNoQuery(event.queryStringParameters);
  const id = checkExemptionId(p['id']!);
  const e = await store.exemption(id);
  if (!e) throw new NotFoundError(`no exemption ${id}`);
  return json(200, { exemption: e });
};

const putExemption: Handler = async (event, store, p) => {
  parseNoQuery(event.queryStringParameters);
  const { id, exemption } = parseExemptionBody(event, p['id']);
  const out = await store.putExemption(id, exemption);
  return json(out.created ? 201 : 200, { exemption: out.exemption });
};

const deleteExemption: Handler = async (event, store, p) => {
  parseNoQuery(event.queryStringParameters);
  const id = checkExemptionId(p['id']!);
  if (!(await store.deleteExemption(id))) throw new NotFoundError(`no exemption ${id}`);
  return noContent();
};

const ROUTES: Route[] = [
  { pattern: /^\/findings\/?$/, names: [], methods: { GET: listFindings } },
  { pattern: /^\/findings\/([^/]+)\/?$/, names: ['id'], methods: { GET: getFinding } },
  { pattern: /^\/clusters\/?$/, names: [], methods: { GET: listClusters } },
  { pattern: /^\/summary\/?$/, names: [], methods: { GET: getSummary } },
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
export async function routeRequest(event: ApiEvent, store: FindingsStore): Promise<ApiResult> {
  const method = (event.requestContext?.http?.method ?? 'GET').toUpperCase();
  const path = routePath(event);
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    const params = Object.fromEntries(route.names.map((n, i) => [n, decodeSegment(m[i + 1]!)]));
    const handler = route.methods[method];
    if (!handler) return errorResult(405, `method ${method} not allowed on ${path}`, { allow: Object.keys(route.methods).join(', ') });
    return handler(event, store, params);
  }
  throw new NotFoundError(`no route ${method} ${path.slice(0, 200)}`);
}
