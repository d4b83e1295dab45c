/**
 * ECR data for one registry (account + region), JSON-serialisable. Filled by shared/collectors/ecr.
 */
export interface EcrInventory {
  repositories?: Record<string, unknown>[];
  [key: string]: unknown;
}
