import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import * as z from 'zod';
import { REQUEST_TIMEOUTS } from '../collectors/aws/clients.js';
import { isAwsError } from '../core/aws-errors.js';
import { ConfigError } from '../core/errors.js';
import { formatZodIssues } from '../core/zod-issues.js';
import { ACCOUNT_ID, REGION } from '../core/aws-ids.js';
import { commaList } from '../core/comma-list.js';
import { createDynamoClient, documentClient } from '../store/client.js';
import type { RescanDeps } from './rescan.js';

/** What the rescan function reads from its environment (infra/constructs/change-rescans.ts writes the same names). */
const environmentSchema = z.object({
  AWS_REGION: z.string().regex(REGION, 'an AWS region'),
  HARDLINE_TABLE: z.string().min(3),
  HARDLINE_STATE_MACHINE_ARN: z.string().regex(/^arn:aws[\w-]*:states:[\w-]+:\d{12}:stateMachine:.+$/, 'a state machine ARN'),
  HARDLINE_ORG_MODE: z.enum(['organization', 'account']).default('account'),
  HARDLINE_ACCOUNT_ID: z.string().regex(ACCOUNT_ID, 'a 12-digit account id').optional(),
  HARDLINE_REGIONS: commaList(REGION, 'an AWS region'),
});

export function rescanDeps(log: RescanDeps['log'], env: NodeJS.ProcessEnv = process.env): RescanDeps {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`rescan environment: ${formatZodIssues(parsed.error)}`);
  const e = parsed.data;
  if (e.HARDLINE_ORG_MODE === 'account' && !e.HARDLINE_ACCOUNT_ID)
    throw new ConfigError('rescan environment: HARDLINE_ACCOUNT_ID is required in account mode');
  const sfn = new SFNClient({ region: e.AWS_REGION, retryMode: 'adaptive', maxAttempts: 5, requestHandler: REQUEST_TIMEOUTS });
  return {
    store: { doc: documentClient(createDynamoClient({ region: e.AWS_REGION })), table: e.HARDLINE_TABLE },
    startExecution: async (name, input) => {
      try {
        await sfn.send(new StartExecutionCommand({ stateMachineArn: e.HARDLINE_STATE_MACHINE_ARN, name, input }));
        return 'started';
      } catch (err) {
        if (isAwsError(err, 'ExecutionAlreadyExists')) return 'exists';
        throw err;
      }
    },
    scope: { regions: e.HARDLINE_REGIONS, ...(e.HARDLINE_ORG_MODE === 'account' ? { accountId: e.HARDLINE_ACCOUNT_ID! } : {}) },
    now: () => new Date(),
    log,
  };
}
