import * as z from 'zod';
import { isKubeRequestError } from './errors.js';
import type { KubeTransport } from './transport.js';

// Discovery documents, parsed at the edge: only the fields the collector uses, the rest passes.
const ApiVersions = z.object({ versions: z.array(z.string()) }).loose();
const ApiGroupList = z
  .object({
    groups: z
      .array(z.object({ name: z.string(), versions: z.array(z.object({ version: z.string() }).loose()).default([]) }).loose())
      .nullish(),
  })
  .loose();
const ApiResourceList = z
  .object({
    resources: z.array(z.object({ name: z.string(), kind: z.string(), namespaced: z.boolean().default(false) }).loose()).nullish(),
  })
  .loose();

export interface DiscoveredResource {
  /** Plural (URL segment); subresources (`pods/status`) are filtered out. */
  name: string;
  kind: string;
  namespaced: boolean;
}

/**
 * What the API server says it serves. Discovery is how absent CRDs are told apart from unreadable
 * ones: a group the server does not list is absent ("none exist"), while a list that fails is a
 * gap. Servers that only speak the list API (no /apis, or no per-group documents) are handled:
 * `groups` is then undefined and callers fall back to known plurals.
 */
export class Discovery {
  /** Group → served versions (preferred first); undefined when /apis could not be read. */
  readonly groups: ReadonlyMap<string, readonly string[]> | undefined;
  readonly coreVersions: readonly string[];
  private readonly transport: KubeTransport;
  private readonly resourceLists = new Map<string, Promise<DiscoveredResource[] | undefined>>();

  private constructor(
    transport: KubeTransport,
    coreVersions: readonly string[],
    groups: ReadonlyMap<string, readonly string[]> | undefined,
  ) {
    this.transport = transport;
    this.coreVersions = coreVersions;
    this.groups = groups;
  }

  /**
   * Reads /api and /apis. /api doubles as the reachability and authentication probe: when it
   * fails (other than 404) the error is thrown, and the whole target fails with its reason.
   */
  static async load(transport: KubeTransport): Promise<Discovery> {
    let core: readonly string[] = ['v1'];
    try {
      const parsed = ApiVersions.safeParse(await transport.getJson('/api'));
      if (parsed.success && parsed.data.versions.length > 0) core = parsed.data.versions;
    } catch (e) {
      // A server without /api discovery still serves /api/v1 lists (assumed, and checked by listing).
      if (!(isKubeRequestError(e) && e.reason === 'not-found')) throw e;
    }
    let groups: Map<string, string[]> | undefined;
    try {
      const parsed = ApiGroupList.safeParse(await transport.getJson('/apis'));
      if (parsed.success) groups = new Map((parsed.data.groups ?? []).map((g) => [g.name, g.versions.map((v) => v.version)]));
    } catch (e) {
      // Credentials that stopped working are a target failure; anything else only loses group discovery.
      if (isKubeRequestError(e) && e.reason === 'unauthorized') throw e;
    }
    return new Discovery(transport, core, groups);
  }

  /** True/false when discovery knows; undefined when the server offers no group discovery. */
  serves(groupVersion: string): boolean | undefined {
    const [group, version] = splitGroupVersion(groupVersion);
    if (group === '') return this.coreVersions.includes(version);
    if (!this.groups) return undefined;
    return this.groups.get(group)?.includes(version) ?? false;
  }

  /** Versions of a group the server serves, preferred first ([] when absent; undefined when unknown). */
  versionsOf(group: string): readonly string[] | undefined {
    if (!this.groups) return undefined;
    return this.groups.get(group) ?? [];
  }

  /** The group/version's resources (cached); undefined when its document cannot be read. */
  resources(groupVersion: string): Promise<DiscoveredResource[] | undefined> {
    let p = this.resourceLists.get(groupVersion);
    if (!p) {
      p = this.fetchResources(groupVersion);
      this.resourceLists.set(groupVersion, p);
    }
    return p;
  }

  private async fetchResources(groupVersion: string): Promise<DiscoveredResource[] | undefined> {
    try {
      const parsed = ApiResourceList.safeParse(await this.transport.getJson(groupVersionPath(groupVersion)));
      if (!parsed.success) return undefined;
      return (parsed.data.resources ?? [])
        .filter((r) => !r.name.includes('/'))
        .map((r) => ({ name: r.name, kind: r.kind, namespaced: r.namespaced }));
    } catch {
      return undefined;
    }
  }
}

export function splitGroupVersion(groupVersion: string): [group: string, version: string] {
  const i = groupVersion.indexOf('/');
  return i < 0 ? ['', groupVersion] : [groupVersion.slice(0, i), groupVersion.slice(i + 1)];
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
export function groupVersionPath(groupVersion: string): string {
  const [group, version] = splitGroupVersion(groupVersion);
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}
