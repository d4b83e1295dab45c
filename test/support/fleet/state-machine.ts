import type { Context } from 'aws-lambda';
import { mapLimit } from '../../../shared/core/concurrency.js';
import { LAMBDA_THROTTLED, retriesAfter } from '../../../shared/pipeline/step-retry.js';
import type { DiscoveredTarget, DiscoverOutput, RunSummary, TargetOutcome } from '../../../shared/pipeline/types.js';
import { invoke, type Invocation } from './lambda.js';

/**
 * The state machine of infra/constructs/scan-definition.ts, executed in-process: Discover → a
 * Distributed Map over the targets file in S3 (ItemSelector, Choice by kind, a Pass for targets
 * discovery already failed, scan tasks with the definition's Retry and a Catch that turns a step
 * failure into an ERROR outcome) writing a ResultWriter manifest → Summarize. Retries follow the
 * definition's own retrier list (STEP_RETRIERS); their waits are not slept: the simulation runs
 * in compressed time. Lambda throttling is an invocation that never reaches the handler.
 */
export type StepHandler<T> = (event: unknown, context: Context) => Promise<T>;

export interface Handlers {
  discover: StepHandler<DiscoverOutput>;
  scanCluster: StepHandler<TargetOutcome>;
  scanRegistry: StepHandler<TargetOutcome>;
  summarize: StepHandler<RunSummary>;
}

export interface ExecutionOptions {
  scanId: string;
  startedAt: string;
  bucket: string;
  s3: Map<string, string>;
  mapConcurrency: number;
  /** Lambda timeouts by step. */
  timeouts: { discover: number; scanCluster: number; scanRegistry: number; summarize: number };
  /** Called when an invocation has ended (the stream reads what it wrote). */
  onInvocationEnd(inv: Invocation): Promise<void>;
  /** Per item and attempt: crash the step after this many finding writes. */
  crashAfter?(target: DiscoveredTarget['target'], attempt: number): number | undefined;
  /** The execution's input (`$$.Execution.Input`): `{}` from the schedule, the targets of a rescan. */
  input?: unknown;
  /** Whether Lambda throttles this try of a step (the handler never runs; Step Functions sees Lambda.TooManyRequestsException). */
  throttle?(step: keyof ExecutionOptions['timeouts'], target: string | undefined, tryNumber: number): boolean;
}

export interface Execution {
  discover: DiscoverOutput;
  items: DiscoveredTarget[];
  outcomes: TargetOutcome[];
  summary: RunSummary;
  /** Step invocations that ran, per target key, retries included (throttled tries are not invocations). */
  attempts: Map<string, number>;
  /** Tries Lambda throttled, by step and target key. */
  throttled: { step: string; target?: string }[];
  /** Duration of every scan-step invocation, by step. */
  durations: { scanCluster: number[]; scanRegistry: number[] };
  /** Errors Step Functions saw from scan tasks (before retries resolved them). */
  stepErrors: { target: string; error: string; cause: string }[];
}

type TaskResult<T> = { ok: true; value: T } | { ok: false; error: { Error: string; Cause: string } };

const THROTTLED = {
  Error: LAMBDA_THROTTLED,
  Cause: JSON.stringify({ errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.' }),
};

const keyOf = (t: DiscoveredTarget['target']) => `${t.kind}|${t.accountId}|${t.region}|${t.name}`;

async function task<T>(
  label: keyof ExecutionOptions['timeouts'],
  handler: StepHandler<T>,
  event: unknown,
  opts: ExecutionOptions,
  throttled: Execution['throttled'],
  target?: DiscoveredTarget['target'],
  onError?: (e: { Error: string; Cause: string }) => void,
  durations?: number[],
): Promise<{ result: TaskResult<T>; attempts: number }> {
  const used: number[] = [];
  const key = target ? keyOf(target) : undefined;
  let ran = 0;
  for (let tryNumber = 1; ; tryNumber++) {
    let result: TaskResult<T>;
    if (opts.throttle?.(label, key, tryNumber)) {
      throttled.push({ step: label, ...(key ? { target: key } : {}) });
      result = { ok: false, error: THROTTLED };
    } else {
      ran++;
      const crash = target ? opts.crashAfter?.(target, ran) : undefined;
      const step = await invoke(label, handler, event, {
        timeoutMs: opts.timeouts[label],
        attempt: ran,
        ...(key ? { target: key } : {}),
        ...(crash !== undefined ? { crashAfterFindingWrites: crash } : {}),
      });
      await opts.onInvocationEnd(step.invocation);
      durations?.push(step.invocation.ms ?? 0);
      result = step.ok ? { ok: true, value: step.value } : { ok: false, error: step.error };
    }
    if (result.ok) return { result, attempts: ran };
    onError?.(result.error);
    if (!retriesAfter(result.error.Error, used)) return { result, attempts: ran };
  }
}

export async function execute(handlers: Handlers, opts: ExecutionOptions): Promise<Execution> {
  const throttled: Execution['throttled'] = [];
  const discovered = await task(
    'discover',
    handlers.discover,
    { scanId: opts.scanId, startedAt: opts.startedAt, request: opts.input ?? {} },
    opts,
    throttled,
  );
  if (!discovered.result.ok) throw new Error(`discover failed: ${discovered.result.error.Error}: ${discovered.result.error.Cause}`);
  const discover = discovered.result.value;
  const itemsText = discover.targetsKey ? opts.s3.get(`${opts.bucket}/${discover.targetsKey}`) : JSON.stringify(discover.items ?? []);
  if (itemsText === undefined) throw new Error('discover wrote no targets file');
  const items = JSON.parse(itemsText) as DiscoveredTarget[];
  const attempts = new Map<string, number>();
  const stepErrors: Execution['stepErrors'] = [];
  const durations: Execution['durations'] = { scanCluster: [], scanRegistry: [] };

  const children = await mapLimit(items, opts.mapConcurrency, async (item) => {
    const input = { scanId: opts.scanId, startedAt: opts.startedAt, knownAccounts: discover.knownAccounts, item };
    let output: TargetOutcome;
    if (item.failure) {
      output = { target: item.target, status: item.failure.status, reason: item.failure.reason, resources: 0, gaps: 0, recorded: false };
    } else {
      const handler = item.target.kind === 'registry' ? handlers.scanRegistry : handlers.scanCluster;
      const step = item.target.kind === 'registry' ? 'scanRegistry' : 'scanCluster';
      const onError = (e: { Error: string; Cause: string }) =>
        stepErrors.push({ target: keyOf(item.target), error: e.Error, cause: e.Cause });
      const { result, attempts: n } = await task(step, handler, input, opts, throttled, item.target, onError, durations[step]);
      attempts.set(keyOf(item.target), n);
      // The Catch (States.ALL → RecordStepFailure): the item still succeeds, with an ERROR outcome.
      output = result.ok
        ? result.value
        : { target: item.target, status: 'ERROR', resources: 0, gaps: 0, recorded: false, error: result.error };
    }
    return { Input: JSON.stringify(input), Output: JSON.stringify(output), Status: 'SUCCEEDED', outcome: output };
  });

  // ResultWriterV2: result files plus a manifest naming them, under the run's prefix.
  const prefix = `results/${opts.scanId}`;
  const files: { Key: string }[] = [];
  for (let i = 0; i < children.length; i += 500) {
    const Key = `${prefix}/SUCCEEDED_${i / 500}.json`;
    opts.s3.set(`${opts.bucket}/${Key}`, JSON.stringify(children.slice(i, i + 500).map(({ outcome: _o, ...child }) => child)));
    files.push({ Key });
  }
  const manifestKey = `${prefix}/manifest.json`;
  opts.s3.set(
    `${opts.bucket}/${manifestKey}`,
    JSON.stringify({
      DestinationBucket: opts.bucket,
      MapRunArn: `arn:sim:${opts.scanId}`,
      ResultFiles: { SUCCEEDED: files, FAILED: [], PENDING: [] },
    }),
  );

  const summarizeInput = { ...discover, map: { ResultWriterDetails: { Bucket: opts.bucket, Key: manifestKey } } };
  const summarized = await task('summarize', handlers.summarize, summarizeInput, opts, throttled);
  if (!summarized.result.ok) throw new Error(`summarize failed: ${summarized.result.error.Error}: ${summarized.result.error.Cause}`);
  return {
    discover,
    items,
    outcomes: children.map((c) => c.outcome),
    summary: summarized.result.value,
    attempts,
    throttled,
    stepErrors,
    durations,
  };
}
