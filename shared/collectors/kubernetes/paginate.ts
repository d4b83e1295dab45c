import * as z from 'zod';
import type { KubeObject } from '../../inventory/types.js';
import { KubeRequestError } from './errors.js';
import type { Retain } from './kinds.js';
import { stripObject } from './strip.js';
import type { KubeTransport } from './transport.js';

/** One collection to list: a kind at a resolved group/version and path. */
export interface ListPlan {
  kind: string;
  apiVersion: string;
  /** Cluster-wide collection path, e.g. `/apis/apps/v1/deployments`. */
  path: string;
  retain: Retain;
}

export interface PaginateOptions {
  /** `limit` per page (kubectl uses 500). Servers that ignore it answer in one page, which is fine. */
  pageSize: number;
  /** How often a list is started over after its continue token expired (410). */
  maxRestarts: number;
  onPage?: (plan: ListPlan, itemsSoFar: number) => void;
}

// A list page, parsed at the edge: items must be an array (null = empty, as some servers send).
const ListPage = z
  .object({
    items: z.array(z.unknown()).nullable(),
    metadata: z.object({ continue: z.string().optional() }).loose().optional(),
  })
  .loose();

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Lists every object of a collection, page by page (`limit` + `continue`), stripping each page as
 * it arrives so only the kept fields stay in memory. Without resourceVersion the pages form one
 * consistent snapshot; when the snapshot is compacted away before the list finishes, the server
 * answers 410 Expired on the continue token, and the list is started over from the first page
 * (the Kubernetes API's documented recovery) — the partial result is dropped, never mixed.
 */
export async function listAll(transport: KubeTransport, plan: ListPlan, options: PaginateOptions): Promise<KubeObject[]> {
  for (let restarts = 0; ; restarts++) {
    const objects: KubeObject[] = [];
    let token: string | undefined;
    const seen = new Set<string>();
    try {
      do {
        const raw = await transport.getJson(plan.path, { limit: options.pageSize, continue: token });
        const page = ListPage.safeParse(raw);
        if (!page.success) throw new KubeRequestError('error', plan.path, `${plan.path} did not return a list`);
        for (const item of page.data.items ?? []) {
          if (!isRecord(item)) continue;
          // CRD list items carry their own apiVersion/kind; built-in list items omit them.
          const apiVersion = typeof item['apiVersion'] === 'string' ? item['apiVersion'] : plan.apiVersion;
          const kind = typeof item['kind'] === 'string' ? item['kind'] : plan.kind;
          objects.push(stripObject(item, apiVersion, kind, plan.retain));
        }
        token = page.data.metadata?.continue || undefined;
        if (token !== undefined) {
          if (seen.has(token)) throw new KubeRequestError('error', plan.path, `${plan.path}: the server repeated a continue token`);
          seen.add(token);
        }
        options.onPage?.(plan, objects.length);
      } while (token !== undefined);
      return objects;
    } catch (e) {
      const expired = e instanceof KubeRequestError && e.httpStatus === 410 && token !== undefined;
      if (!expired) throw e;
      if (restarts >= options.maxRestarts) {
        throw new KubeRequestError(
          'error',
          plan.path,
          `${plan.path}: continue token expired ${restarts + 1} times; the list never completed`,
          { cause: e },
        );
      }
    }
  }
}
