import type { ResourceRef } from '../../core/types.js';
import { asRecords, asString, type JsonRecord } from '../../inventory/read.js';
import type { CheckContext, Judge, Outcome } from '../types.js';

export const ECR_API_VERSION = 'ecr.amazonaws.com/v1';

export function repositoryRef(name: string): ResourceRef {
  return { apiVersion: ECR_API_VERSION, kind: 'Repository', name };
}

export interface RepositoryCheckInput {
  ctx: CheckContext;
  repo: JsonRecord;
  name: string;
  ref: ResourceRef;
}

/**
 * A per-repository ECR control: runs on registry inventories (those carrying `ecr.repositories`)
 * and yields one outcome per repository. Without DescribeRepositories the control is UNKNOWN.
 */
export function judgeRepositories(reads: readonly string[], check: (input: RepositoryCheckInput) => Outcome): Judge {
  return {
    reads,
    requires: ['ecr:repositories'],
    *check(ctx) {
      const repositories = ctx.inventory.ecr?.repositories;
      if (!Array.isArray(repositories)) return;
      for (const repo of asRecords(repositories)) {
        const name = asString(repo['repositoryName']);
        if (!name) continue;
        yield check({ ctx, repo, name, ref: repositoryRef(name) });
      }
    },
  };
}
