import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { decodeContinue, matchesFields, matchesLabels, pageOf, parseLabelSelector, storageKey, type JsonObject } from './k8s-list.js';
import { BUILTIN_RESOURCES, groupVersion, pluralOf, type ResourceType } from './k8s-resources.js';

/** A fault injected on matching requests, before normal handling. */
export interface Fault {
  /** Request path after the cluster prefix: exact, a prefix ending in `*`, or a RegExp. */
  path: string | RegExp;
  /** Only requests that carry a continue token, or only those that do not. */
  on?: 'any' | 'first' | 'continue';
  /** Answer with this HTTP status and a Kubernetes Status body. */
  status?: number;
  /** Retry-After header (seconds) with the status. */
  retryAfter?: number;
  /** Wait this long before answering (a slow server; longer than the client's timeout = a timeout). */
  delayMs?: number;
  /** Destroy the connection instead of answering (connection reset). */
  reset?: boolean;
  /** How many matching requests it applies to; unlimited when absent. */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  at: number;
}

export interface FakeClusterOptions {
  objects?: readonly JsonObject[];
  /** Resource types served besides the built-ins (CRDs). Types of unknown objects are derived. */
  resources?: readonly ResourceType[];
  /** Replaces the built-in table (a minimal server serving fewer kinds). */
  builtins?: readonly ResourceType[];
  /** Bearer token the cluster requires (401 otherwise); any token is accepted when absent. */
  token?: string;
  /** Turn parts of discovery off, like servers that only speak the list API. */
  discovery?: { api?: boolean; apis?: boolean; resourceLists?: boolean | ((groupVersion: string) => boolean) };
  /** Answer every list in one page whatever `limit` says (servers that ignore chunking). */
  ignoreLimit?: boolean;
  /** Gzip successful answers to clients that accept it (kube-apiserver does so above 128 KB). */
  gzip?: boolean;
}

interface Stored {
  type: ResourceType;
  items: JsonObject[];
  sorted: boolean;
}

const STATUS_REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  410: 'Expired',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

const isBuiltinGroup = (group: string) => group === '' || !group.includes('.') || group.endsWith('.k8s.io');

/** One fake cluster's objects, discovery, faults and request log. */
export class FakeCluster {
  readonly key: string;
  readonly requests: RecordedRequest[] = [];
  readonly faults: (Fault & { hits: number })[] = [];
  /** When true every connection is dropped at once (an API server that died). */
  dead = false;
  /** Answers sent gzip-encoded. */
  gzipped = 0;
  private readonly compress = new WeakSet<ServerResponse>();
  private readonly options: FakeClusterOptions;
  private readonly types: ResourceType[];
  private readonly store = new Map<string, Stored>();
  private resourceVersion = 1000;

  constructor(key: string, options: FakeClusterOptions) {
    this.key = key;
    this.options = options;
    this.types = [...(options.builtins ?? BUILTIN_RESOURCES), ...(options.resources ?? [])];
    for (const t of this.types) this.storeFor(t);
    this.addObjects(options.objects ?? []);
  }

  addObjects(objects: readonly JsonObject[]): void {
    for (const obj of objects) {
      const type = this.typeOf(obj);
      const s = this.storeFor(type);
      s.items.push(obj);
      s.sorted = false;
    }
    this.resourceVersion++;
  }

  addFault(fault: Fault): this {
    this.faults.push({ ...fault, hits: 0 });
    return this;
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Requests whose path matches (for assertions). */
  requestsTo(path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  private storeFor(type: ResourceType): Stored {
    const key = `${groupVersion(type)}/${type.plural}`;
    let s = this.store.get(key);
    if (!s) this.store.set(key, (s = { type, items: [], sorted: true }));
    return s;
  }

  private typeOf(obj: JsonObject): ResourceType {
    const apiVersion = String(obj['apiVersion'] ?? '');
    const kind = String(obj['kind'] ?? '');
    const known = this.types.find((t) => groupVersion(t) === apiVersion && t.kind === kind);
    if (known) return known;
    const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
    const meta = (obj['metadata'] as JsonObject | undefined) ?? {};
    const plural = group === 'constraints.gatekeeper.sh' ? kind.toLowerCase() : pluralOf(kind);
    const t: ResourceType = { group, version, kind, plural, namespaced: typeof meta['namespace'] === 'string', subresources: ['status'] };
    this.types.push(t);
    return t;
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const q = Object.fromEntries(query.entries());
    this.requests.push({
      method: req.method ?? 'GET',
      path,
      query: q,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      at: Date.now(),
    });
    if (this.dead) {
      req.socket.destroy();
      return;
    }
    const fault = this.faults.find(
      (f) =>
        (f.times === undefined || f.hits < f.times) &&
        (typeof f.path === 'string'
          ? f.path.endsWith('*')
            ? path.startsWith(f.path.slice(0, -1))
            : f.path === path
          : f.path.test(path)) &&
        (f.on === undefined || f.on === 'any' || (f.on === 'continue') === (q['continue'] !== undefined)),
    );
    if (fault) {
      fault.hits++;
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (res.destroyed || req.socket.destroyed) return;
      if (fault.reset) {
        req.socket.destroy();
        return;
      }
      if (fault.status) {
        const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
        const extra = fault.status === 410 ? { metadata: { continue: 'inconsistent-token' } } : {};
        return this.status(res, fault.status, `injected fault on ${path}`, headers, extra);
      }
    }
    if (this.options.token !== undefined && req.headers.authorization !== `Bearer ${this.options.token}`) {
      return this.status(res, 401, 'Unauthorized');
    }
    if (req.method !== 'GET') return this.status(res, 405, `the server does not allow this method on ${path}`);
    if (this.options.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) this.compress.add(res);
    this.route(res, path, q);
  }

  private route(res: ServerResponse, path: string, q: Record<string, string>): void {
    const d = this.options.discovery ?? {};
    const seg = path.split('/').filter(Boolean);
    if (path === '/version') return this.json(res, { major: '1', minor: '33', gitVersion: 'v1.33.1-fake', platform: 'linux/amd64' });
    if (path === '/api' && d.api !== false)
      return this.json(res, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (path === '/apis' && d.apis !== false) return this.json(res, this.groupList());
    let group: string;
    let version: string;
    let rest: string[];
    if (seg[0] === 'api' && seg.length >= 2) [group, version, rest] = ['', seg[1]!, seg.slice(2)];
    else if (seg[0] === 'apis' && seg.length >= 3) [group, version, rest] = [seg[1]!, seg[2]!, seg.slice(3)];
    else if (seg[0] === 'apis' && seg.length === 2 && d.apis !== false) {
      const g = this.groupList().groups.find((x) => x.name === seg[1]);
      return g
        ? this.json(res, { kind: 'APIGroup', apiVersion: 'v1', ...g })
        : this.status(res, 404, 'the server could not find the requested resource');
    } else return this.status(res, 404, 'the server could not find the requested resource');

    const gv = group ? `${group}/${version}` : version;
    const served = this.types.filter((t) => t.group === group && t.version === version);
    if (rest.length === 0) {
      const rl = d.resourceLists;
      const enabled = rl === undefined || (typeof rl === 'function' ? rl(gv) : rl);
      if (served.length === 0 || !enabled) return this.status(res, 404, 'the server could not find the requested resource');
      return this.json(res, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: served.flatMap(resourceEntries) });
    }
    let namespace: string | undefined;
    let plural = rest[0]!;
    let name = rest[1];
    if (rest[0] === 'namespaces' && rest.length >= 3) [namespace, plural, name] = [rest[1]!, rest[2]!, rest[3]];
    if (rest.length > (namespace ? 4 : 2)) return this.status(res, 404, 'subresources are not served by the fake');
    const type = served.find((t) => t.plural === plural);
    if (!type || (namespace !== undefined && !type.namespaced))
      return this.status(res, 404, 'the server could not find the requested resource');
    const stored = this.storeFor(type);
    if (!stored.sorted) {
      stored.items.sort((a, b) => (storageKey(a) < storageKey(b) ? -1 : storageKey(a) > storageKey(b) ? 1 : 0));
      stored.sorted = true;
    }
    const inScope =
      namespace === undefined
        ? stored.items
        : stored.items.filter((o) => (o['metadata'] as JsonObject | undefined)?.['namespace'] === namespace);
    if (name !== undefined) {
      const obj = inScope.find((o) => (o['metadata'] as JsonObject | undefined)?.['name'] === name);
      return obj ? this.json(res, { apiVersion: gv, kind: type.kind, ...obj }) : this.status(res, 404, `${plural} "${name}" not found`);
    }
    this.list(res, type, inScope, q);
  }

  private list(res: ServerResponse, type: ResourceType, inScope: readonly JsonObject[], q: Record<string, string>): void {
    let items = inScope;
    try {
      if (q['labelSelector']) {
        const reqs = parseLabelSelector(q['labelSelector']);
        items = items.filter((o) => matchesLabels(o, reqs));
      }
      if (q['fieldSelector']) items = items.filter((o) => matchesFields(o, q['fieldSelector']!));
    } catch (e) {
      return this.status(res, 400, (e as Error).message);
    }
    const rv = String(this.resourceVersion);
    let token;
    if (q['continue'] !== undefined) {
      token = decodeContinue(q['continue']);
      if (!token) return this.status(res, 400, 'continue key is not valid');
    }
    const limit = this.options.ignoreLimit ? undefined : q['limit'] ? Number(q['limit']) : undefined;
    const page = pageOf(items, token?.rv ?? rv, limit, token);
    // Typed (built-in) lists omit apiVersion/kind on items; CRD lists (unstructured) keep them.
    const builtin = isBuiltinGroup(type.group);
    const body = {
      kind: `${type.kind}List`,
      apiVersion: groupVersion(type),
      metadata: {
        resourceVersion: token?.rv ?? rv,
        ...(page.continueToken ? { continue: page.continueToken, remainingItemCount: page.remainingItemCount } : {}),
      },
      items: builtin
        ? page.items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest)
        : page.items.map((o) => ({ apiVersion: groupVersion(type), kind: type.kind, ...o })),
    };
    this.json(res, body);
  }

  private groupList(): {
    kind: string;
    apiVersion: string;
    groups: {
      name: string;
      versions: { groupVersion: string; version: string }[];
      preferredVersion: { groupVersion: string; version: string };
    }[];
  } {
    const byGroup = new Map<string, string[]>();
    for (const t of this.types) {
      if (!t.group) continue;
      const versions = byGroup.get(t.group) ?? [];
      if (!versions.includes(t.version)) versions.push(t.version);
      byGroup.set(t.group, versions);
    }
    const groups = [...byGroup].map(([name, versions]) => {
      const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
      return { name, versions: vs, preferredVersion: vs[0]! };
    });
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }

  private json(res: ServerResponse, body: unknown): void {
    if (this.compress.has(res)) {
      this.gzipped++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(JSON.stringify(body)));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private status(res: ServerResponse, code: number, message: string, headers: Record<string, string> = {}, extra: JsonObject = {}): void {
    const body = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason: STATUS_REASONS[code] ?? 'Unknown',
      code,
      ...extra,
    };
    res.writeHead(code, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  }
}

function resourceEntries(t: ResourceType): JsonObject[] {
  const main = {
    name: t.plural,
    singularName: t.kind.toLowerCase(),
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  };
  return [
    main,
    ...(t.subresources ?? []).map((s) => ({
      name: `${t.plural}/${s}`,
      singularName: '',
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: ['get', 'patch', 'update'],
    })),
  ];
}
