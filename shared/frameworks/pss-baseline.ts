import type { FrameworkDefinition } from './types.js';

/** Pod Security Standards, baseline level (Kubernetes 1.37): one control per check, host namespaces split in three. */
export const pssBaseline: FrameworkDefinition = {
  id: 'pss-baseline',
  title: 'Pod Security Standards — Baseline',
  version: 'v1.37',
  includes: (refs) => refs.pss?.level === 'baseline',
};
