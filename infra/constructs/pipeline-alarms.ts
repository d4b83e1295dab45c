import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { RUN_METRICS } from '../../shared/pipeline/metrics.js';

export interface PipelineAlarmsProps {
  stateMachine: sfn.StateMachine;
  functions: readonly lambda.IFunction[];
  deadLetterQueues: readonly sqs.IQueue[];
  alarmEmail?: string;
  /** No run succeeded within this window → alarm (missing data counts: a scan that never starts is the failure). */
  missedRunWindow: Duration;
  /** What counts as "a run succeeded" (default: any execution of the state machine). */
  missedRunMetric?: cloudwatch.IMetric;
  /** Fleet coverage floor in percent (context coverageFloorPercent). */
  coverageFloorPercent?: number;
}

/** Organisation-wide runs that completed (summarize counts them; rescans of named targets do not). */
export function fullRunsCompleted(period: Duration): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: RUN_METRICS.namespace,
    metricName: RUN_METRICS.fullRunsCompleted,
    dimensionsMap: { service: RUN_METRICS.service },
    statistic: 'Sum',
    period,
  });
}

/**
 * What must page someone: targets a run could not read (TargetsFailed, from summarize's metrics),
 * a run that failed as a whole, a function erroring, anything in a dead-letter queue. All go to one
 * encrypted topic; subscribe a mailbox with `alarmEmail` or anything else to the topic.
 */
export class PipelineAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    const key = new kms.Key(this, 'TopicKey', { description: 'hardline alarm topic', enableKeyRotation: true });
    // CloudWatch publishes to an encrypted topic only with a key policy that lets it use the key.
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'hardline alarms', masterKey: key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const action = new actions.SnsAction(this.topic);
    const alarm = (aid: string, metric: cloudwatch.IMetric, description: string) => {
      const a = new cloudwatch.Alarm(this, aid, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(action);
      this.alarms.push(a);
    };
    alarm(
      'FailedTargets',
      new cloudwatch.Metric({
        namespace: RUN_METRICS.namespace,
        metricName: RUN_METRICS.targetsFailed,
        dimensionsMap: { service: RUN_METRICS.service },
        statistic: 'Maximum',
        period: Duration.hours(1),
      }),
      'A scan run ended with targets it could not read (UNKNOWN or ERROR): see the Target Failed events or GET /scans/{id}.',
    );
    alarm(
      'RunFailed',
      props.stateMachine.metricFailed({ period: Duration.hours(1), statistic: 'Sum' }),
      'A scan run failed as a whole (discover or summarize): nothing was completed.',
    );
    alarm(
      'RunTimedOut',
      props.stateMachine.metricTimedOut({ period: Duration.hours(1), statistic: 'Sum' }),
      'A scan run hit the state machine timeout.',
    );
    const missed = new cloudwatch.Alarm(this, 'NoSuccessfulRun', {
      metric: props.missedRunMetric ?? props.stateMachine.metricSucceeded({ period: props.missedRunWindow, statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      // No datapoint means no execution succeeded (or none started at all): that is the alarm, not an absence of one.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: `No scan run succeeded in the last ${props.missedRunWindow.toHours()} hours: the schedule did not fire, the run failed, or it never started (see the ScheduleDeadLetters queue).`,
    });
    missed.addAlarmAction(action);
    this.alarms.push(missed);
    props.functions.forEach((fn, i) =>
      alarm(
        `FunctionErrors${i}`,
        fn.metricErrors({ period: Duration.minutes(15), statistic: 'Sum' }),
        `hardline function ${fn.node.id} reported errors.`,
      ),
    );
    props.deadLetterQueues.forEach((q, i) =>
      alarm(
        `DeadLetters${i}`,
        q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        `Messages are waiting in dead-letter queue ${q.node.id}: events were not delivered.`,
      ),
    );
    this.coverageAlarm(props.coverageFloorPercent ?? 95, action);
  }

  /**
   * Fleet coverage: clusters whose Kubernetes API a run could not read (never onboarded, RBAC
   * missing, no route) are only PARTIAL targets, which the failed-targets alarm does not count.
   */
  private coverageAlarm(floorPercent: number, action: actions.SnsAction): void {
    const a = new cloudwatch.Alarm(this, 'ClusterCoverage', {
      metric: new cloudwatch.Metric({
        namespace: RUN_METRICS.namespace,
        metricName: RUN_METRICS.clusterCoverage,
        dimensionsMap: { service: RUN_METRICS.service },
        statistic: 'Minimum',
        period: Duration.hours(1),
      }),
      threshold: floorPercent,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      // No run, no data point: the missed-run alarm watches that; this one judges runs that happened.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `A scan run read the Kubernetes API of fewer than ${floorPercent}% of its clusters: GET /summary lists the unreadable ones with the step that onboards each.`,
    });
    a.addAlarmAction(action);
    this.alarms.push(a);
  }
}
