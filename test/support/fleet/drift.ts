import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { createRescanHandler } from '../../../functions/rescan-targets/handler.js';
import type { DiscoveredTarget, RunSummary } from '../../../shared/pipeline/types.js';
import { CHANGE_EVENT_PATTERN, RESCAN_REQUEST_PATTERN } from '../../../shared/rescan/change-events.js';
import type { RescanDeps } from '../../../shared/rescan/rescan.js';
import { cloudTrailEvent, type ApiCall } from '../cloudtrail.js';
import { matchesPattern } from '../event-pattern.js';
import { installAwsMocks, type AwsWorldState } from './aws-mocks.js';
import { BUCKET, fleetDeps, fleetHandlers } from './deps.js';
import { DriftWorld } from './drift-world.js';
import { installEventBus } from './event-bus.js';
import { startSimulationBase } from './harness.js';
import type { Invocation } from './lambda.js';
import { execute } from './state-machine.js';
import { deliver } from './stream.js';
import { buildFleet, objectsOf, type Fleet, type FleetSpec } from './world.js';

/**
 * Change events through the whole path, in simulated time: an API call in a member account →
 * CloudTrail's event on that account's default bus (after a delivery delay) → the member rule's
 * pattern → the scanner's changes bus → the change queue (delayed by the debounce window) → the
 * real rescan-targets handler (claims in the store) → StartExecution → the real pipeline handlers
 * in the simulated state machine (over mocked AWS whose answers follow the changes, the fake API
 * servers and dynalite) → the DynamoDB stream → the real publisher → the bus. Handlers run in
 * process; what AWS adds around them is modelled (DRIFT_TIMING) and stated, and a step's own run
 * time is measured and added.
 */
export interface DriftTiming {
  /** Member default bus → scanner bus. */
  busHopS: number;
  /** A message becoming visible → the Lambda poller hands it over. */
  pollS: number;
  /** StartExecution → discover invoked. */
  startS: number;
  /** Per task state: the transition and the Lambda invoke. */
  stepS: number;
  /** The Distributed Map starting its child executions. */
  mapStartS: number;
  /** What a scan step spends on AWS and Kubernetes APIs in a real account beyond the simulated one. */
  scanClusterS: number;
  scanRegistryS: number;
  /** A write reaching publish-events through the DynamoDB stream. */
  streamS: number;
  /** SQS visibility timeout of the change queue (a failed batch comes back after it). */
  visibilityS: number;
}

export const DRIFT_TIMING: DriftTiming = {
  busHopS: 0.5,
  pollS: 0.5,
  startS: 0.3,
  stepS: 0.3,
  mapStartS: 1,
  scanClusterS: 10,
  scanRegistryS: 3,
  streamS: 1,
  visibilityS: 120,
};

/**
 * CloudTrail → EventBridge delivery delay, seconds, for u uniform in [0, 1): 5–30 s, median ≈ 8 s,
 * p95 ≈ 26 s. An assumption (AWS states no figure for management events); tests pin their own.
 */
export const cloudTrailDelayS = (u: number) => 5 + 25 * u ** 3;

export interface ScriptedCall {
  /** When the call is made, ms after the scenario starts. */
  at: number;
  call: Omit<ApiCall, 'time'>;
  /** What a successful call changes (a failed one, with errorCode, changes nothing). */
  change?: (world: DriftWorld, at: number) => void;
  /** CloudTrail's delivery delay of this event, ms. */
  deliveryMs: number;
  /** Times EventBridge delivers the event (at least once). */
  deliveries?: number;
  /** The bus event the change must lead to (the drift measure). */
  expect?: ExpectedEvent;
}

export interface ExpectedEvent {
  detailType: 'Finding Opened' | 'Finding Resolved';
  controlId?: string;
  target: { kind: 'cluster' | 'registry'; accountId: string; region: string; name: string };
  resourceName?: string;
  resolvedReason?: 'target-deleted';
}

export interface DriftExecution {
  name: string;
  input: unknown;
  startedAt: number;
  endedAt: number;
  items: DiscoveredTarget[];
  summary: RunSummary;
  /** EKS/ECR reads made during the execution, by account/region/resource. */
  calls: { name: string; accountId: string; region: string; resource?: string }[];
  followUps: number;
}

export interface BusEvent {
  at: number;
  detailType: string;
  detail: Record<string, unknown>;
}

export interface DriftResult {
  fleet: Fleet;
  executions: DriftExecution[];
  events: BusEvent[];
  /** Events CloudTrail delivered to member buses; those the member rule passed on; messages queued. */
  counts: {
    cloudTrailEvents: number;
    forwarded: number;
    queued: number;
    rescanBatches: number;
    ignoredMessages: number;
    redelivered: number;
  };
  /** Calls made by the scenario. */
  script: ScriptedCall[];
  /** Simulated time (epoch ms) the scenario's `at` offsets count from. */
  start: number;
}

export interface DriftSpec extends Pick<FleetSpec, 'accounts' | 'regions' | 'clustersPerRegion' | 'seed' | 'log'> {
  windowS?: number;
  timing?: Partial<DriftTiming>;
}

type SimEvent =
  | { t: number; kind: 'call'; call: ScriptedCall }
  | { t: number; kind: 'member'; event: Record<string, unknown> }
  | { t: number; kind: 'queue'; body: string }
  | { t: number; kind: 'poll' }
  | { t: number; kind: 'start'; name: string; input: string };

interface Message {
  id: string;
  body: string;
  sentAt: number;
  visibleAt: number;
}

const T0 = Date.parse('2026-12-05T09:00:00.000Z');
const context = {
  functionName: 'hardline-rescan-targets',
  awsRequestId: 'sim',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

export async function simulateDrift(spec: DriftSpec, script: (fleet: Fleet, world: DriftWorld) => ScriptedCall[]): Promise<DriftResult> {
  const timing = { ...DRIFT_TIMING, ...spec.timing };
  const windowMs = (spec.windowS ?? 60) * 1000;
  const fleet = buildFleet({
    accounts: spec.accounts,
    regions: spec.regions,
    clustersPerRegion: spec.clustersPerRegion,
    ...(spec.seed !== undefined ? { seed: spec.seed } : {}),
    mapConcurrency: 8,
  });
  // This scenario's faults are its changes; the main simulation's roles stay off.
  for (const c of fleet.clusters) c.roles.clear();
  let clock = T0 - 3_600_000;
  const world = new DriftWorld(() => clock);
  const calls = script(fleet, world);
  const base = await startSimulationBase();
  const { store, api, stream, publish } = base;
  for (const c of fleet.clusters) api.addCluster(c.key, { objects: objectsOf(fleet, c, 1) as never });
  const current: { calls?: DriftExecution['calls'] } = {};
  const state: AwsWorldState = { run: 1, apiUrl: (k) => api.url(k), caData: api.caData, calls: {}, record: (c) => current.calls?.push(c) };
  const aws = installAwsMocks(fleet, state);
  world.install(state);
  const bus = installEventBus({ stubbornRate: 0, partialEvery: 1_000_000, failEvery: 1_000_000 });
  const result: DriftResult = {
    fleet,
    executions: [],
    events: [],
    counts: { cloudTrailEvents: 0, forwarded: 0, queued: 0, rescanBatches: 0, ignoredMessages: 0, redelivered: 0 },
    script: calls,
    start: T0,
  };

  /** One execution of the scan state machine at the current clock; returns when it would end in simulated time. */
  const runExecution = async (name: string, input: unknown): Promise<void> => {
    const startedAt = clock;
    const anchor = Date.now();
    const deps = fleetDeps(fleet, store, () => new Date(startedAt + (Date.now() - anchor)));
    const followUps: { body: string; delayS: number }[] = [];
    deps.rescanQueue = { send: async (body, delayS) => void followUps.push({ body, delayS }) };
    const ran: Invocation[] = [];
    const from = stream.records.length;
    current.calls = [];
    const execution = await execute(fleetHandlers(deps), {
      scanId: name,
      startedAt: new Date(startedAt).toISOString(),
      input,
      bucket: BUCKET,
      s3: aws.s3,
      mapConcurrency: fleet.spec.mapConcurrency,
      timeouts: { discover: 120_000, scanCluster: 60_000, scanRegistry: 30_000, summarize: 120_000 },
      onInvocationEnd: async (inv) => {
        ran.push(inv);
        await stream.capture(inv);
      },
    });
    const s = (ms: number | undefined) => (ms ?? 0) / 1000;
    const discoverS = s(ran.find((i) => i.label === 'discover')?.ms);
    const scans = ran
      .filter((i) => i.label === 'scanCluster' || i.label === 'scanRegistry')
      .map((i) => timing.stepS + (i.label === 'scanCluster' ? timing.scanClusterS : timing.scanRegistryS) + s(i.ms));
    const summarizeS = s(ran.find((i) => i.label === 'summarize')?.ms);
    const durationS = timing.startS + timing.stepS + discoverS + timing.mapStartS + Math.max(0, ...scans) + timing.stepS + summarizeS;
    const endedAt = startedAt + durationS * 1000;
    const before = bus.accepted.length;
    const t1 = Date.now();
    await deliver(stream.records, from, publish);
    const eventsAt = endedAt + (timing.streamS + (Date.now() - t1) / 1000) * 1000;
    for (const e of bus.accepted.slice(before)) result.events.push({ at: eventsAt, detailType: e.detailType, detail: e.detail });
    // discover queued these while it ran: they become visible after their own delay.
    const sentAt = startedAt + (timing.startS + timing.stepS + discoverS) * 1000;
    for (const f of followUps) send(f.body, sentAt, f.delayS * 1000);
    result.executions.push({
      name,
      input,
      startedAt,
      endedAt,
      items: execution.items,
      summary: execution.summary,
      calls: current.calls,
      followUps: followUps.length,
    });
    current.calls = undefined;
  };

  const queue: SimEvent[] = [];
  const schedule = (e: SimEvent) => {
    let i = queue.length;
    while (i > 0 && queue[i - 1]!.t > e.t) i--;
    queue.splice(i, 0, e);
  };
  const messages: Message[] = [];
  let ids = 0;
  const send = (body: string, at: number, delayMs: number) => {
    const m: Message = { id: `msg-${++ids}`, body, sentAt: at, visibleAt: at + delayMs };
    messages.push(m);
    result.counts.queued++;
    schedule({ t: m.visibleAt + timing.pollS * 1000, kind: 'poll' });
  };
  const executions = new Map<string, string>();
  const rescanDeps: RescanDeps = {
    store: store.ctx,
    startExecution: async (name, input) => {
      if (executions.has(name)) return 'exists';
      executions.set(name, input);
      schedule({ t: clock + timing.startS * 1000, kind: 'start', name, input });
      return 'started';
    },
    scope: { regions: [...fleet.spec.regions] },
    now: () => new Date(clock),
    log: (_level, message) => {
      if (message === 'change message ignored') result.counts.ignoredMessages++;
    },
  };
  const rescan = createRescanHandler(() => rescanDeps, new Logger({ serviceName: 'hardline-rescan-targets', logLevel: 'SILENT' }));

  try {
    // The scheduled run that knows the fleet before anything changes.
    await runExecution('scheduled-run', {});
    clock = T0;
    for (const c of calls) schedule({ t: T0 + c.at, kind: 'call', call: c });
    while (queue.length > 0) {
      const e = queue.shift()!;
      clock = Math.max(clock, e.t);
      if (e.kind === 'call') {
        const c = e.call;
        if (!c.call.errorCode) c.change?.(world, clock);
        const event = cloudTrailEvent({ ...c.call, time: new Date(clock) });
        for (let d = 0; d < (c.deliveries ?? 1); d++) schedule({ t: clock + c.deliveryMs + d * 1_500, kind: 'member', event });
      } else if (e.kind === 'member') {
        result.counts.cloudTrailEvents++;
        if (!matchesPattern(CHANGE_EVENT_PATTERN, e.event)) continue;
        result.counts.forwarded++;
        schedule({ t: clock + timing.busHopS * 1000, kind: 'queue', body: JSON.stringify(e.event) });
      } else if (e.kind === 'queue') {
        const event = JSON.parse(e.body) as Record<string, unknown>;
        if (matchesPattern(CHANGE_EVENT_PATTERN, event) || matchesPattern(RESCAN_REQUEST_PATTERN, event)) send(e.body, clock, windowMs);
      } else if (e.kind === 'poll') {
        await poll();
      } else {
        await runExecution(e.name, JSON.parse(e.input));
      }
    }
  } finally {
    aws.restore();
    bus.restore();
    await base.close();
  }
  return result;

  async function poll(): Promise<void> {
    for (;;) {
      const visible = messages
        .filter((m) => m.visibleAt <= clock)
        .sort((a, b) => a.visibleAt - b.visibleAt)
        .slice(0, 10);
      if (visible.length === 0) return;
      result.counts.rescanBatches++;
      const records = visible.map((m) => ({ messageId: m.id, body: m.body, attributes: { SentTimestamp: String(m.sentAt) } }));
      const out = (await rescan({ Records: records }, context)) as SQSBatchResponse;
      const failed = new Set(out.batchItemFailures.map((f) => f.itemIdentifier));
      for (const m of visible) {
        if (failed.has(m.id)) {
          result.counts.redelivered++;
          m.visibleAt = clock + timing.visibilityS * 1000;
          schedule({ t: m.visibleAt + timing.pollS * 1000, kind: 'poll' });
        } else {
          messages.splice(messages.indexOf(m), 1);
        }
      }
    }
  }
}
