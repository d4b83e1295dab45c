import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FindingsStore } from '../../../shared/store/store.js';
import type { K8sApiServer } from '../k8s-api-server.js';
import { installAwsMocks, type AwsWorldState } from './aws-mocks.js';
import { BUCKET, fleetDeps, fleetHandlers, TABLE } from './deps.js';
import { installEventBus, type EventBus } from './event-bus.js';
import { startSimulationBase } from './harness.js';
import { recordTableUse, type TableUse } from './lambda.js';
import { snapshotStore, type StoreSnapshot } from './snapshot.js';
import { execute, type Execution } from './state-machine.js';
import { deliver, type Delivery } from './stream.js';
import { clusterTargetId, expectedForCluster, expectedForRegistry, registryTargetId, type Expected } from './truth.js';
import { buildFleet, isBlinded, objectsOf, registries, type Fleet, type FleetSpec } from './world.js';

/**
 * The fleet simulation: the real pipeline handlers (discover → scan-cluster / scan-registry per
 * target → summarize) run in-process through a simulated state machine, over AWS answered by
 * aws-sdk-client-mock, clusters served by one HTTPS fake API server (a path prefix per cluster)
 * and the store on dynalite; the DynamoDB stream derived from the store's writes goes to the real
 * publish-events handler, whose PutEvents land on a bus that fails partially. Two runs: the first
 * clean (apart from retried throttling and crashes), the second with the hard faults.
 */
export interface RunRecord {
  run: 1 | 2;
  scanId: string;
  startedAt: string;
  execution: Execution;
  executionMs: number;
  delivery: Delivery;
  deliveryMs: number;
  streamRecords: number;
  snapshot: StoreSnapshot;
  /** Expected current findings by targetId, for the targets checked against the truth. */
  expected: Map<string, Expected>;
}

export interface FleetResult {
  fleet: Fleet;
  runs: RunRecord[];
  bus: EventBus;
  awsCalls: Record<string, number>;
  /** The runs bucket: targets files, map results (what Step Functions carries). */
  s3: Map<string, string>;
  tableUse: TableUse;
}

/** Called after the runs, before the store goes away (the secret-hygiene test reads the store and calls the API). */
export type Inspect = (world: { store: FindingsStore; raw: DynamoDBClient; table: string }) => Promise<void>;

const RUN_STARTS = ['2026-11-29T03:00:00.000Z', '2026-11-30T03:00:00.000Z'] as const;

/**
 * Lambda throttling: a fixed share of tries is refused before the handler runs. Decided by a hash
 * of (run, step, target, try), so the same tries are throttled however the map interleaves.
 */
export function throttledTry(rate: number, run: number, step: string, target: string | undefined, tryNumber: number): boolean {
  if (rate <= 0) return false;
  const h = createHash('sha256')
    .update(`${run}|${step}|${target ?? ''}|${tryNumber}`)
    .digest();
  return h.readUInt32BE(0) / 0x1_0000_0000 < rate;
}

function serveRun(api: K8sApiServer, fleet: Fleet, run: 1 | 2): void {
  for (const c of fleet.clusters) {
    const cluster = api.addCluster(c.key, { objects: objectsOf(fleet, c, run) as never });
    if (c.roles.has('throttled-api')) cluster.addFault({ path: '/api/v1/pods', status: 429, retryAfter: 0, times: 2 });
    if (run === 1) continue;
    if (c.roles.has('rbac-403')) cluster.addFault({ path: /^\/apis\/rbac\.authorization\.k8s\.io\/v1\/.+/, status: 403 });
    if (c.roles.has('timeout')) cluster.addFault({ path: '/apis/apps/v1/deployments', delayMs: fleet.spec.kubeTimeoutMs + 500 });
    if (c.roles.has('dead')) cluster.dead = true;
  }
}

/** Which targets are compared with the truth: every target with a role, plus an even sample of the rest. */
function truthTargets(fleet: Fleet, run: 1 | 2) {
  const sample = fleet.spec.truthSample;
  const readable = fleet.clusters.filter((c) => !isBlinded(fleet, c, run) && !(run === 2 && c.accountId === fleet.deniedAccount));
  const plain = readable.filter((c) => c.roles.size === 0);
  const every = sample === undefined || sample >= plain.length ? 1 : Math.max(1, Math.floor(plain.length / sample));
  const clusters = [...readable.filter((c) => c.roles.size > 0), ...plain.filter((_, i) => i % every === 0)];
  const hung = (r: { accountId: string; region: string }) =>
    r.accountId === fleet.hungRegistry.accountId && r.region === fleet.hungRegistry.region;
  const regs = registries(fleet).filter((r) => !(run === 2 && (r.accountId === fleet.deniedAccount || hung(r))));
  return { clusters, registries: sample === undefined ? regs : regs.filter((_, i) => i % every === 0) };
}

export async function simulateFleet(spec: FleetSpec, inspect?: Inspect): Promise<FleetResult> {
  const log = spec.log ?? (() => {});
  const fleet = buildFleet(spec);
  const base = await startSimulationBase(spec.logLevel);
  const { raw, store, api, stream, publish } = base;
  const state: AwsWorldState = { run: 1, apiUrl: (k) => api.url(k), caData: api.caData, calls: {} };
  const aws = installAwsMocks(fleet, state);
  const bus = installEventBus(fleet.spec.eventFaults);
  const runs: RunRecord[] = [];
  const tableUse: TableUse = { calls: {}, protectedWrites: [] };
  try {
    for (const run of [1, 2] as const) {
      state.run = run;
      serveRun(api, fleet, run);
      const startedAt: string = RUN_STARTS[run - 1]!;
      const scanId = `fleet-run-${run}`;
      const t0 = Date.now();
      const deps = fleetDeps(fleet, store, () => new Date(Date.parse(startedAt) + (Date.now() - t0)));
      log(`fleet run ${run}: ${fleet.clusters.length} clusters, ${registries(fleet).length} registries …`);
      const from = stream.records.length;
      const execution = await execute(fleetHandlers(deps, fleet.spec.logLevel), {
        scanId,
        startedAt,
        bucket: BUCKET,
        s3: aws.s3,
        mapConcurrency: fleet.spec.mapConcurrency,
        timeouts: {
          discover: 120_000,
          scanCluster: fleet.spec.lambdaTimeoutMs,
          scanRegistry: fleet.spec.registryTimeoutMs,
          summarize: 120_000,
        },
        onInvocationEnd: async (inv) => {
          recordTableUse(tableUse, inv);
          await stream.capture(inv);
        },
        throttle: (step, target, tryNumber) => throttledTry(fleet.spec.lambdaThrottleRate, run, step, target, tryNumber),
        crashAfter: (t, attempt) => {
          const c = t.kind === 'cluster' ? fleet.byKey.get(`${t.accountId}-${t.region}-${t.name}`) : undefined;
          return attempt === 1 && c?.roles.has(run === 1 ? 'crash-run1' : 'crash-run2') ? 3 : undefined;
        },
      });
      const executionMs = Date.now() - t0;
      log(`fleet run ${run}: executed in ${executionMs} ms; publishing ${stream.records.length - from} stream records …`);
      const t1 = Date.now();
      const delivery = await deliver(stream.records, from, publish);
      const deliveryMs = Date.now() - t1;
      const snapshot = await snapshotStore(raw, TABLE);
      const expected = new Map<string, Expected>();
      const chosen = truthTargets(fleet, run);
      for (const c of chosen.clusters)
        expected.set(clusterTargetId(c), await expectedForCluster(fleet, c, run, deps.aws, deps.settings, startedAt));
      for (const r of chosen.registries)
        expected.set(
          registryTargetId(r.accountId, r.region),
          await expectedForRegistry(r.accountId, r.region, deps.aws, deps.settings, startedAt),
        );
      runs.push({
        run,
        scanId,
        startedAt,
        execution,
        executionMs,
        delivery,
        deliveryMs,
        streamRecords: stream.records.length - from,
        snapshot,
        expected,
      });
    }
    await inspect?.({ store, raw, table: TABLE });
  } finally {
    aws.restore();
    bus.restore();
    await base.close();
  }
  return { fleet, runs, bus, awsCalls: state.calls, s3: aws.s3, tableUse };
}
