import type { InventoryIndex } from '../../inventory/indexed.js';
import { serviceAccountOf } from '../../inventory/workloads.js';
import type { BindingInfo, RbacModel, Subject } from './model.js';
import { serviceAccountsCovered } from './subjects.js';

/** A binding that applies to a service account, and the subject through which it does. */
export interface ServiceAccountGrant {
  binding: BindingInfo;
  subject: Subject;
}

/**
 * Which bindings apply to which service account, indexed once per RBAC model: by the account
 * itself (ServiceAccount subject, or its user name `system:serviceaccount:<ns>:<name>`), by every
 * account of its namespace (`system:serviceaccounts:<ns>`), and by every account
 * (`system:serviceaccounts`, `system:authenticated`).
 */
export class ServiceAccountBindings {
  private readonly byAccount = new Map<string, ServiceAccountGrant[]>();
  private readonly byNamespace = new Map<string, ServiceAccountGrant[]>();
  private readonly everyAccount: ServiceAccountGrant[] = [];

  constructor(model: RbacModel) {
    const add = (map: Map<string, ServiceAccountGrant[]>, key: string, grant: ServiceAccountGrant) => {
      let list = map.get(key);
      if (!list) map.set(key, (list = []));
      list.push(grant);
    };
    for (const binding of model.bindings) {
      for (const subject of binding.subjects) {
        const covered = serviceAccountsCovered(subject);
        if (!covered) continue;
        const grant = { binding, subject };
        if (covered.namespace === '*') this.everyAccount.push(grant);
        else if (covered.name === '*') add(this.byNamespace, covered.namespace, grant);
        else add(this.byAccount, `${covered.namespace}/${covered.name}`, grant);
      }
    }
  }

  /** Bindings that apply to every service account of a namespace, whatever its name. */
  ofEveryAccountIn(namespace: string): readonly ServiceAccountGrant[] {
    const inNamespace = this.byNamespace.get(namespace);
    if (!inNamespace) return this.everyAccount;
    return [...inNamespace, ...this.everyAccount];
  }

  /** Every binding that applies to one service account (most accounts of a large cluster: none, no list built). */
  of(namespace: string, name: string): readonly ServiceAccountGrant[] {
    const own = this.byAccount.get(`${namespace}/${name}`);
    const every = this.ofEveryAccountIn(namespace);
    return own ? [...own, ...every] : every;
  }
}

const cache = new WeakMap<RbacModel, ServiceAccountBindings>();

export function serviceAccountBindings(model: RbacModel): ServiceAccountBindings {
  let index = cache.get(model);
  if (!index) cache.set(model, (index = new ServiceAccountBindings(model)));
  return index;
}

/**
 * The service account of every workload, in the order of `index.workloads()`: read once per
 * inventory for both controls that judge it.
 */
export interface WorkloadAccounts {
  accounts: string[];
}

const accountsCache = new WeakMap<InventoryIndex, WorkloadAccounts>();

export function workloadAccounts(index: InventoryIndex): WorkloadAccounts {
  let found = accountsCache.get(index);
  if (!found) {
    const workloads = index.workloads();
    const accounts: string[] = [];
    for (let i = 0; i < workloads.length; i++) accounts.push(serviceAccountOf(workloads[i]!));
    accountsCache.set(index, (found = { accounts }));
  }
  return found;
}
