import * as z from 'zod';
import { ACCOUNT_ID } from './aws-ids.js';

/**
 * The environment variables every function that reaches into member accounts reads the same way
 * (the scan pipeline and cluster onboarding): which accounts, and the role and ExternalId to assume.
 */
export const memberAccessEnvironment = {
  HARDLINE_ORG_MODE: z.enum(['organization', 'account']).default('account'),
  /** The scanner's own account: the only one reached in account mode. */
  HARDLINE_ACCOUNT_ID: z.string().regex(ACCOUNT_ID, 'a 12-digit account id').optional(),
  HARDLINE_PARTITION: z
    .string()
    .regex(/^aws(-[a-z-]+)?$/)
    .default('aws'),
  HARDLINE_MEMBER_ROLE_NAME: z
    .string()
    .regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name')
    .default('hardline-read'),
  HARDLINE_EXTERNAL_ID: z
    .string()
    .regex(/^[\w+=,.@:/-]{2,1224}$/, 'an ExternalId (2-1224 of [\\w+=,.@:/-])')
    .optional(),
};
