import type { FrameworkDefinition } from './types.js';

/** NSA/CISA Kubernetes Hardening Guidance v1.2: every control that names a section of it. */
export const nsaCisa: FrameworkDefinition = {
  id: 'nsa-cisa',
  title: 'NSA/CISA Kubernetes Hardening Guidance',
  version: '1.2',
  includes: (refs) => refs.nsa !== undefined,
};
