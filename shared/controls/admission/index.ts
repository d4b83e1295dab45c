import type { Control } from '../types.js';
import { admissionAllowedRepos } from './allowed-repos.js';
import { admissionMutationDefaults } from './mutation-defaults.js';
import { admissionPodSecurity } from './pod-security.js';

/** admission controls, in report order. */
export const admissionControls: readonly Control[] = [admissionPodSecurity, admissionAllowedRepos, admissionMutationDefaults];
