import type { FrameworkDefinition } from './types.js';

/** Pod Security Standards, restricted level: every baseline check plus the restricted ones. */
export const pssRestricted: FrameworkDefinition = {
  id: 'pss-restricted',
  title: 'Pod Security Standards — Restricted',
  version: 'v1.37',
  includes: (refs) => refs.pss !== undefined,
};
