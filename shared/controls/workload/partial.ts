import type { JsonRecord } from '../../inventory/read.js';
import type { ContainerRef, Workload } from '../../inventory/workloads.js';

/** Set when a check read something that could not be read: its verdict depends on missing data. */
export interface Touched {
  value: boolean;
}

const CONTAINER_LIST_FIELDS = ['containers', 'initContainers', 'ephemeralContainers'];

/** A record whose listed keys (all of them when `keys` is 'all') trip `touched` when read, tested or enumerated. */
function guarded(target: JsonRecord, keys: readonly string[] | 'all', touched: Touched): JsonRecord {
  const watched = (key: string | symbol) => keys === 'all' || (typeof key === 'string' && keys.includes(key));
  return new Proxy(target, {
    get(t, key, receiver) {
      if (watched(key)) touched.value = true;
      return Reflect.get(t, key, receiver) as unknown;
    },
    has(t, key) {
      if (watched(key)) touched.value = true;
      return Reflect.has(t, key);
    },
    ownKeys(t) {
      if (keys === 'all' || Reflect.ownKeys(t).some(watched)) touched.value = true;
      return Reflect.ownKeys(t);
    },
    getOwnPropertyDescriptor(t, key) {
      if (watched(key)) touched.value = true;
      return Reflect.getOwnPropertyDescriptor(t, key);
    },
  });
}

/**
 * The workload as a check sees it when part of its pod spec could not be read: what could be read
 * is there, and reading what could not (the pod securityContext every container inherits, the
 * container lists, a container's own securityContext) sets `touched`. A FAIL reached without
 * touching it is definite — more data could only add failures — and wins over the gap.
 */
export function partialView(w: Workload, touched: Touched): Workload {
  const parts = w.unreadParts;
  const podSpecKeys = [...(parts?.podSecurityContext ? ['securityContext'] : []), ...(parts?.containers ? CONTAINER_LIST_FIELDS : [])];
  const view: Workload = {
    ...w,
    podSpec: guarded(w.podSpec, podSpecKeys, touched),
    podSecurityContext: parts?.podSecurityContext ? guarded({}, 'all', touched) : w.podSecurityContext,
  };
  if (parts?.containers) {
    Object.defineProperty(view, 'containers', {
      get() {
        touched.value = true;
        return w.containers;
      },
    });
  }
  return view;
}

export function partialContainer(c: ContainerRef, touched: Touched): ContainerRef {
  if (!c.securityContextUnreadable) return c;
  return { ...c, spec: guarded(c.spec, ['securityContext'], touched), securityContext: guarded({}, 'all', touched) };
}
