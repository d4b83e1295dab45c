import { CfnOutput, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../shared/events/types.js';
import type { SiemSettings } from '../config.js';
import type { FindingsStore } from './findings-store.js';
import { acknowledge } from './nag.js';
import { ScannerFunction } from './scanner-function.js';
import { siemTarget } from './siem-target.js';

export interface FindingEventsProps {
  store: FindingsStore;
  siem: SiemSettings;
  archiveRetentionDays: number;
  logRetention: logs.RetentionDays;
}

/**
 * docs/events.md: "Route new, reopened and exempted HIGH and CRITICAL findings to the SIEM". An
 * exemption is news: someone accepted the risk, and the SOC should see who and why.
 */
export const HIGH_FINDINGS_PATTERN: events.EventPattern = {
  source: [EVENT_SOURCE],
  detailType: ['Finding Opened', 'Finding Reopened', 'Finding Exempted'],
  detail: { severity: ['critical', 'high'] },
};

/**
 * Table stream → publish-events → the custom bus. The stream mapping reports partial batch
 * failures and bisects a failing batch down to the poison record, which goes (as metadata) to a
 * DLQ after its retries; the bus keeps an archive for replay; an example rule routes HIGH+
 * findings to the configured SIEM target.
 */
export class FindingEvents extends Construct {
  readonly bus: events.EventBus;
  readonly publisher: ScannerFunction;
  /** Stream records the publisher gave up on. */
  readonly streamDeadLetters: sqs.Queue;
  /** Events a rule target could not take. */
  readonly deliveryDeadLetters: sqs.Queue;
  readonly siemRule: events.Rule;
  readonly siemQueue?: sqs.Queue;

  constructor(scope: Construct, id: string, props: FindingEventsProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { description: 'hardline finding lifecycle, scan and target events' });
    this.bus.archive('Archive', {
      description: 'every hardline event, for replay into a new consumer',
      eventPattern: { source: [EVENT_SOURCE] },
      retention: Duration.days(props.archiveRetentionDays),
    });
    const deadLetterQueue = (qid: string) => {
      const q = new sqs.Queue(this, qid, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      acknowledge(q, 'AwsSolutions-SQS3', 'This queue is itself a dead-letter queue; its depth is alarmed (PipelineAlarms).');
      return q;
    };
    this.streamDeadLetters = deadLetterQueue('StreamDeadLetters');
    this.deliveryDeadLetters = deadLetterQueue('DeliveryDeadLetters');

    this.publisher = new ScannerFunction(this, 'Publisher', {
      entryName: 'publish-events',
      logRetention: props.logRetention,
      timeout: Duration.minutes(1),
      environment: { EVENT_BUS_NAME: this.bus.eventBusName },
    });
    this.bus.grantPutEventsTo(this.publisher);
    this.publisher.addEventSource(
      new DynamoEventSource(props.store.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(5),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        maxRecordAge: Duration.days(1),
        onFailure: new SqsDlq(this.streamDeadLetters),
      }),
    );
    props.store.key.grantDecrypt(this.publisher);

    const siem = siemTarget(this, props.siem, this.deliveryDeadLetters);
    if (siem.queue) {
      this.siemQueue = siem.queue;
      new CfnOutput(this, 'SiemQueueUrl', {
        value: siem.queue.queueUrl,
        description: 'Queue your SIEM polls for HIGH/CRITICAL findings (opened, reopened, exempted)',
      });
    }
    new CfnOutput(this, 'EventBusName', {
      value: this.bus.eventBusName,
      description: 'Custom bus with the hardline events (docs/events.md)',
    });
    this.siemRule = new events.Rule(this, 'HighFindingsToSiem', {
      eventBus: this.bus,
      description: 'hardline: new, reopened and exempted HIGH/CRITICAL findings to the SIEM',
      eventPattern: HIGH_FINDINGS_PATTERN,
      targets: [siem.target],
    });
  }
}
