import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { STEP_RETRIERS } from '../../shared/pipeline/step-retry.js';

export interface ScanDefinitionProps {
  discover: lambda.IFunction;
  scanCluster: lambda.IFunction;
  /** Clusters of these regions go to their own function; the rest to scanCluster. */
  scanClusterByRegion: readonly { region: string; fn: lambda.IFunction }[];
  scanRegistry: lambda.IFunction;
  summarize: lambda.IFunction;
  runsBucket: s3.IBucket;
  mapMode: 'inline' | 'distributed';
  maxConcurrency: number;
}

/** Retries of a step: Lambda throttling, Lambda service hiccups and the step's own retryable failures (one list, shared/pipeline/step-retry.ts). */
function retried<T extends tasks.LambdaInvoke>(task: T): T {
  for (const r of STEP_RETRIERS) {
    task.addRetry({
      errors: [...r.errors],
      interval: Duration.seconds(r.intervalSeconds),
      maxAttempts: r.maxAttempts,
      backoffRate: r.backoffRate,
      ...(r.maxDelaySeconds ? { maxDelay: Duration.seconds(r.maxDelaySeconds) } : {}),
      jitterStrategy: r.jitter === 'FULL' ? sfn.JitterType.FULL : sfn.JitterType.NONE,
    });
  }
  return task;
}

/** The function's answer becomes the state's output; without `payload` the whole state input is the event. */
const invoke = (scope: Construct, id: string, fn: lambda.IFunction, payload?: sfn.TaskInput) =>
  retried(
    new tasks.LambdaInvoke(scope, id, {
      lambdaFunction: fn,
      ...(payload ? { payload } : {}),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
    }),
  );

/**
 * One map item: a target that discovery already found unreadable is passed on as it is; the others
 * go to scan-registry or scan-cluster by kind, clusters by region when a region has its own function. A step that still fails after its retries is caught
 * here and becomes an ERROR outcome for that target alone — summarize records it, the run goes on.
 */
function itemProcessor(scope: Construct, p: ScanDefinitionProps): sfn.IChainable {
  const failedOutcome = new sfn.Pass(scope, 'RecordStepFailure', {
    parameters: { 'target.$': '$.item.target', status: 'ERROR', resources: 0, gaps: 0, recorded: false, 'error.$': '$.error' },
  });
  const carriedFailure = new sfn.Pass(scope, 'CarryDiscoveryFailure', {
    parameters: {
      'target.$': '$.item.target',
      'status.$': '$.item.failure.status',
      'reason.$': '$.item.failure.reason',
      resources: 0,
      gaps: 0,
      recorded: false,
    },
  });
  const caught = (id: string, fn: lambda.IFunction) =>
    invoke(scope, id, fn).addCatch(failedOutcome, { errors: ['States.ALL'], resultPath: '$.error' });
  const choice = new sfn.Choice(scope, 'ByTargetKind')
    .when(sfn.Condition.isPresent('$.item.failure'), carriedFailure)
    .when(sfn.Condition.stringEquals('$.item.target.kind', 'registry'), caught('ScanRegistry', p.scanRegistry));
  // Registries were taken above: what remains is a cluster, routed by its region to the function with a route to it.
  for (const { region, fn } of p.scanClusterByRegion)
    choice.when(sfn.Condition.stringEquals('$.item.target.region', region), caught(`ScanCluster-${region}`, fn));
  return choice.otherwise(caught('ScanCluster', p.scanCluster));
}

const itemSelector = {
  scanId: sfn.JsonPath.stringAt('$.scanId'),
  startedAt: sfn.JsonPath.stringAt('$.startedAt'),
  knownAccounts: sfn.JsonPath.listAt('$.knownAccounts'),
  item: sfn.JsonPath.objectAt('$$.Map.Item.Value'),
};

/**
 * discover → Map over targets (bounded concurrency) → summarize. The Distributed Map reads the
 * targets from the S3 object discover wrote and writes item results back to S3, so neither side
 * is bound by the 256 KB state limit; the inline Map is for small estates. A map that fails as a
 * whole is caught too: summarize then reports every target ERROR and still completes the run.
 */
export function scanDefinition(scope: Construct, p: ScanDefinitionProps): sfn.IChainable {
  // The execution's input rides along: `{}` from the schedule, `{"targets": [...]}` from a rescan.
  const discover = invoke(
    scope,
    'Discover',
    p.discover,
    sfn.TaskInput.fromObject({
      scanId: sfn.JsonPath.stringAt('$$.Execution.Name'),
      startedAt: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
      request: sfn.JsonPath.objectAt('$$.Execution.Input'),
    }),
  );
  const summarize = invoke(scope, 'Summarize', p.summarize);
  let map: sfn.DistributedMap | sfn.Map;
  if (p.mapMode === 'distributed') {
    map = new sfn.DistributedMap(scope, 'ScanTargets', {
      maxConcurrency: p.maxConcurrency,
      itemReader: new sfn.S3JsonItemReader({ bucket: p.runsBucket, key: sfn.JsonPath.stringAt('$.targetsKey') }),
      itemSelector,
      resultWriterV2: new sfn.ResultWriterV2({ bucket: p.runsBucket, prefix: 'results' }),
      resultPath: '$.map',
      // Items fail only if a Catch itself failed; summarize reports those targets, the run is not aborted.
      toleratedFailurePercentage: 100,
      mapExecutionType: sfn.StateMachineType.STANDARD,
      label: 'ScanTargets',
    });
  } else {
    map = new sfn.Map(scope, 'ScanTargets', { maxConcurrency: p.maxConcurrency, itemsPath: '$.items', itemSelector, resultPath: '$.map' });
  }
  map.itemProcessor(itemProcessor(scope, p));
  map.addCatch(summarize, { errors: ['States.ALL'], resultPath: '$.mapError' });
  return discover.next(map).next(summarize).next(new sfn.Succeed(scope, 'RunCompleted'));
}
