import { asRecord, asString, getPath, type JsonRecord } from '../../inventory/read.js';
import type { ContainerRef, Workload } from '../../inventory/workloads.js';

/** A container's setting, else the pod's (Kubernetes: container-level overrides pod-level). */
export function effective(c: ContainerRef, w: Workload, field: string): unknown {
  const own = c.securityContext[field];
  return own !== undefined && own !== null ? own : w.podSecurityContext[field];
}

export function profileType(securityContext: JsonRecord, field: 'seccompProfile' | 'appArmorProfile'): string | undefined {
  const profile = asRecord(securityContext[field]);
  return profile ? (asString(profile['type']) ?? '') : undefined;
}

export function addedCapabilities(c: ContainerRef): string[] {
  return capabilityList(c, 'add');
}

export function droppedCapabilities(c: ContainerRef): string[] {
  return capabilityList(c, 'drop');
}

function capabilityList(c: ContainerRef, field: 'add' | 'drop'): string[] {
  const list = getPath(c.securityContext, 'capabilities', field);
  return Array.isArray(list) ? list.map((v) => String(v)) : [];
}

/** Runtimes accept `cap_sys_admin` and `SYS_ADMIN` alike: compare without prefix and case. */
export function normalizeCapability(cap: string): string {
  return cap.toUpperCase().replace(/^CAP_/, '');
}
