import { asRecord, asString, getPath, type JsonRecord } from '../../inventory/read.js';
import type { ContainerRef } from '../../inventory/workloads.js';

export function profileType(securityContext: JsonRecord, field: 'seccompProfile' | 'appArmorProfile'): string | undefined {
  const profile = asRecord(securityContext[field]);
  return profile ? (asString(profile['type']) ?? '') : undefined;
}

export function addedCapabilities(c: ContainerRef): readonly string[] {
  return capabilityList(c, 'add');
}

export function droppedCapabilities(c: ContainerRef): readonly string[] {
  return capabilityList(c, 'drop');
}

/** Most containers add nothing: they share one empty list instead of a fresh one per control. */
const NONE: readonly string[] = Object.freeze([]);

function capabilityList(c: ContainerRef, field: 'add' | 'drop'): readonly string[] {
  const list = getPath(c.securityContext, 'capabilities', field);
  return Array.isArray(list) && list.length > 0 ? list.map((v) => String(v)) : NONE;
}

/** Runtimes accept `cap_sys_admin` and `SYS_ADMIN` alike: compare without prefix and case. */
export function normalizeCapability(cap: string): string {
  return cap.toUpperCase().replace(/^CAP_/, '');
}
