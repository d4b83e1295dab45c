import { asRecord, asString, getPath, type JsonRecord } from '../../inventory/read.js';
import type { ContainerRef } from '../../inventory/workloads.js';

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
