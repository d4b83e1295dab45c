import { Aws, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE, FINDING_DETAIL_TYPES } from '../../shared/events/types.js';
import { SECURITY_HUB_BATCH } from '../../shared/securityhub/import.js';
import { acknowledge } from './nag.js';
import { ScannerFunction } from './scanner-function.js';

export interface SecurityHubImportProps {
  bus: events.IEventBus;
  logRetention: logs.RetentionDays;
}

/** Every finding lifecycle event: opened, reopened, resolved and exempted all change the Security Hub finding. */
export const SECURITY_HUB_PATTERN: events.EventPattern = { source: [EVENT_SOURCE], detailType: [...FINDING_DETAIL_TYPES] };

/**
 * Opt-in (`securityHub`): finding events → an encrypted queue → securityhub-import, which sends
 * them as ASFF to this account's Security Hub in batches of up to 100 (the queue collects them) and
 * sets the workflow of resolved, exempted and reopened findings. Messages that still fail after the
 * function's retries come back to the queue, and after five receives land in the alarmed DLQ.
 * Permissions: BatchImportFindings on this account's default product only, for findings filed
 * under this account; BatchUpdateFindings on this account's hub only.
 */
export class SecurityHubImport extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  readonly handler: ScannerFunction;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: SecurityHubImportProps) {
    super(scope, id);
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetters,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the Security Hub import; its depth is alarmed (PipelineAlarms).',
    );
    const timeout = Duration.minutes(2);
    this.queue = new sqs.Queue(this, 'Events', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      // Lambda's guidance for SQS sources: six times the function timeout, so retries inside one invocation never surface a message twice.
      visibilityTimeout: Duration.minutes(timeout.toMinutes() * 6),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: 5 },
    });
    this.rule = new events.Rule(this, 'FindingEventsToSecurityHub', {
      eventBus: props.bus,
      description: 'hardline: every finding lifecycle event to the Security Hub import',
      eventPattern: SECURITY_HUB_PATTERN,
      targets: [new targets.SqsQueue(this.queue, { deadLetterQueue: this.deadLetters, retryAttempts: 8, maxEventAge: Duration.hours(24) })],
    });

    this.handler = new ScannerFunction(this, 'Handler', {
      entryName: 'securityhub-import',
      logRetention: props.logRetention,
      timeout,
      environment: { HARDLINE_ACCOUNT_ID: Aws.ACCOUNT_ID },
    });
    this.handler.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: SECURITY_HUB_BATCH,
        maxBatchingWindow: Duration.seconds(30),
        reportBatchItemFailures: true,
      }),
    );
    const hubArn = (resource: string) => `arn:${Aws.PARTITION}:securityhub:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ImportIntoOwnDefaultProduct',
        actions: ['securityhub:BatchImportFindings'],
        resources: [hubArn(`product/${Aws.ACCOUNT_ID}/default`)],
        // Only findings filed under this account (AwsAccountId), which is all the default product accepts anyway.
        conditions: { StringEquals: { 'securityhub:TargetAccount': Aws.ACCOUNT_ID } },
      }),
    );
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SetWorkflowOnOwnHub',
        actions: ['securityhub:BatchUpdateFindings'],
        resources: [hubArn('hub/default')],
      }),
    );
  }
}
