import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResultSet } from '../../shared/engine/results.js';
import type { Severity, Status, Target } from '../../shared/core/types.js';
import { summarizeScan, type ScanReport, type TargetReport, type TargetStatus } from '../../shared/engine/report.js';
import type { Result } from '../../shared/engine/types.js';
import { countWrites, type WriteCounter } from '../../shared/store/client.js';
import { openStore, type OpenedStore } from '../../shared/store/open.js';

export const prod: Target = {
  kind: 'cluster',
  accountId: '111122223333',
  region: 'eu-west-1',
  name: 'prod',
  arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod',
};
export const staging: Target = { kind: 'cluster', accountId: '444455556666', region: 'us-east-1', name: 'staging' };

export interface ResultSpec {
  control?: string;
  name: string;
  namespace?: string;
  kind?: string;
  status?: Status;
  severity?: Severity;
  message?: string;
  target?: Target;
  exempted?: boolean;
  container?: string;
}

export function result(s: ResultSpec): Result {
  const r: Result = {
    controlId: s.control ?? 'workload.privileged',
    status: s.status ?? 'FAIL',
    severity: s.severity ?? 'high',
    target: s.target ?? prod,
    resource: { apiVersion: 'apps/v1', kind: s.kind ?? 'Deployment', namespace: s.namespace ?? 'shop', name: s.name },
    message: s.message ?? `${s.name} is privileged`,
  };
  if (s.container) r.resource.container = s.container;
  if (s.exempted) r.exempted = { by: 'test', reason: 'accepted risk', source: 'file:test.yaml' };
  return r;
}

/** A gap result as the engine emits it: UNKNOWN on a hardline.dev/v1 DataSource. */
export function gap(control: string, source: string, namespace?: string, target: Target = prod): Result {
  const r: Result = {
    controlId: control,
    status: 'UNKNOWN',
    severity: 'high',
    target,
    resource: { apiVersion: 'hardline.dev/v1', kind: 'DataSource', name: source, ...(namespace ? { namespace } : {}) },
    message: `could not read ${source}: access denied (403)`,
  };
  return r;
}

let clock = Date.parse('2026-11-01T00:00:00Z');
/** Strictly increasing scan times, one hour apart. */
export function nextStart(): string {
  clock += 3_600_000;
  return new Date(clock).toISOString();
}

export function report(
  id: string,
  results: readonly Result[],
  opts: { startedAt?: string; targets?: (Target & { status?: TargetStatus; reason?: string })[] } = {},
): ScanReport {
  const startedAt = opts.startedAt ?? nextStart();
  const targets: TargetReport[] = (opts.targets ?? [prod]).map((t) => ({ resources: 10, gaps: 0, status: 'OK', ...t }));
  return {
    schemaVersion: 1,
    tool: { name: 'hardline', version: 'test' },
    scan: {
      id,
      startedAt,
      finishedAt: new Date(Date.parse(startedAt) + 60_000).toISOString(),
      framework: 'all',
      targets,
      errors: [],
      expiredExemptions: [],
    },
    results: ResultSet.of(results),
    summary: summarizeScan(ResultSet.of(results), targets, []),
  };
}

export interface TestStore extends OpenedStore {
  dir: string;
  writes: WriteCounter;
  reopen(): Promise<TestStore>;
  dispose(): Promise<void>;
}

/** An embedded store (dynalite in-process, port 0) in a fresh temporary directory. */
export async function tempStore(dir = mkdtempSync(join(tmpdir(), 'hardline-store-'))): Promise<TestStore> {
  let writes: WriteCounter | undefined;
  const opened = await openStore({ env: { HARDLINE_STORE_DIR: dir }, onClient: (raw) => (writes = countWrites(raw)) });
  const self: TestStore = {
    ...opened,
    dir,
    writes: writes!,
    reopen: async () => {
      await opened.close();
      return tempStore(dir);
    },
    dispose: async () => {
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return self;
}

/** A table keyed by a string `id` alone (tests of the embedded engine underneath the store). */
export const idTable = (name: string): CreateTableCommandInput => ({
  TableName: name,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
});

/** Calls until it succeeds: dynalite makes a table usable, or gone, a moment after answering. */
export async function retry(attempt: () => Promise<unknown>): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await attempt();
      return;
    } catch (e) {
      if (i >= 100) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
