import type { FrameworkRefs } from '../controls/types.js';

export type FrameworkId = 'nsa-cisa' | 'cis-eks' | 'pss-baseline' | 'pss-restricted';

/** A framework as data: which controls belong to it is read from each control's own cross-references. */
export interface FrameworkDefinition {
  id: FrameworkId;
  title: string;
  version: string;
  /** Whether a control with these cross-references belongs to the framework. */
  includes(refs: FrameworkRefs): boolean;
}

export interface Framework {
  id: FrameworkId;
  title: string;
  version: string;
  /** Control ids, in catalog order. */
  controls: readonly string[];
}
