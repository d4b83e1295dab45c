import type { FrameworkDefinition } from './types.js';

/** CIS Amazon EKS Benchmark v1.8.0: every control that names a recommendation of it (numbers as Kubescape maps them). */
export const cisEks: FrameworkDefinition = {
  id: 'cis-eks',
  title: 'CIS Amazon EKS Benchmark',
  version: '1.8.0',
  includes: (refs) => (refs.cis?.length ?? 0) > 0,
};
