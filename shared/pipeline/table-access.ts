import { EXEMPTIONS_PK, INDEX } from '../store/keys.js';

/**
 * What each pipeline function may do on the findings table, read from the store code it runs:
 * discover opens the run's scan item (store/run.ts openRun: PutItem); the scan steps and
 * summarize save targets (store/save.ts: target-marker GetItem/UpdateItem, finding-writes
 * Query on byCluster + BatchGetItem/GetItem/PutItem/UpdateItem, history PutItem, exemptions
 * Query) and summarize completes the run (PutItem). No Scan, no DeleteItem and no
 * BatchWriteItem (which IAM cannot limit to puts): a scanner parsing content that cluster tenants
 * control cannot list the table or delete an item.
 * The CDK grants exactly these; the fleet simulation checks every call it sees against them.
 */
export type PipelineFunction = 'discover' | 'scan-cluster' | 'scan-registry' | 'summarize';

const SAVE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;

export const TABLE_ACTIONS: Record<PipelineFunction, readonly string[]> = {
  discover: ['dynamodb:PutItem'],
  'scan-cluster': SAVE_ACTIONS,
  'scan-registry': SAVE_ACTIONS,
  summarize: SAVE_ACTIONS,
};

/** The indexes each function queries (the lifecycle diff reads a target's findings from byCluster). */
export const TABLE_INDEXES: Record<PipelineFunction, readonly string[]> = {
  discover: [],
  'scan-cluster': [INDEX.byCluster.name],
  'scan-registry': [INDEX.byCluster.name],
  summarize: [INDEX.byCluster.name],
};

/** Item writes denied to every pipeline function on the exemptions partition: only the API grants exemptions. */
export const ITEM_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'] as const;
export const PROTECTED_PARTITION = EXEMPTIONS_PK;
