import type { InventoryIndex } from '../../inventory/indexed.js';
import { asString, asStrings } from '../../inventory/read.js';
import type { ContainerRef, Workload } from '../../inventory/workloads.js';
import type { CheckContext } from '../types.js';
import { INGRESS_NGINX_IMAGE, watchedWorkloads } from '../watched-workloads.js';

export interface IngressNginxController {
  workload: Workload;
  container: ContainerRef;
  image: string;
  /** From the image tag (`v1.11.3`, `0.49.3`); undefined for a digest-only or custom tag. */
  version?: [number, number, number];
}

/** `v1.11.3` (or `1.11.3`) from an image's tag, ignoring any digest. */
function tagVersion(image: string): [number, number, number] | undefined {
  const name = image.split('@')[0]!;
  const colon = name.lastIndexOf(':');
  if (colon < 0 || colon < name.lastIndexOf('/')) return undefined;
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(name.slice(colon + 1));
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export const versionText = (v: IngressNginxController['version']) => (v ? `v${v.join('.')}` : 'of unknown version');

/** True when a is older than b. */
export const olderThan = (a: readonly number[], b: readonly number[]) => {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
};

const controllersOf = new WeakMap<InventoryIndex, IngressNginxController[]>();

/** Every container running the ingress-nginx controller, found once per index (two controls ask). */
export function ingressNginxControllers(ctx: CheckContext): IngressNginxController[] {
  let out = controllersOf.get(ctx.index);
  if (out) return out;
  out = [];
  for (const workload of watchedWorkloads(ctx.index)) {
    for (const container of workload.containers) {
      const image = asString(container.spec['image']) ?? '';
      if (!INGRESS_NGINX_IMAGE.test(image)) continue;
      const version = tagVersion(image);
      out.push({ workload, container, image, ...(version ? { version } : {}) });
    }
  }
  controllersOf.set(ctx.index, out);
  return out;
}

/** A controller flag's value (`--configmap=ns/name` or `--configmap ns/name`), with `$(POD_NAMESPACE)` resolved. */
export function controllerFlag(c: IngressNginxController, flag: string): string | undefined {
  const args = [...asStrings(c.container.spec['command']), ...asStrings(c.container.spec['args'])];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = arg.startsWith(`--${flag}=`) ? arg.slice(flag.length + 3) : arg === `--${flag}` ? args[i + 1] : undefined;
    if (value !== undefined) return value.replace(/\$\(POD_NAMESPACE\)/g, c.workload.namespace);
  }
  return undefined;
}
