import { Aws, CfnOutput, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CHANGE_EVENT_PATTERN, CHANGES_BUS_NAME, RESCAN_REQUEST_PATTERN } from '../../shared/rescan/change-events.js';
import { RESCAN_PK_PREFIX } from '../../shared/store/rescan-claims.js';
import type { HardlineSettings } from '../config.js';
import type { FindingsStore } from './findings-store.js';
import { allowOrganisationToPutEvents, deadLetterQueue } from './organisation-bus.js';
import { acknowledge } from './nag.js';
import { ScannerFunction } from './scanner-function.js';

export interface ChangeRescansProps {
  settings: HardlineSettings;
  store: FindingsStore;
  stateMachine: sfn.StateMachine;
  /** discover: sends targets that are still settling back to the change queue. */
  discover: ScannerFunction;
  logRetention: logs.RetentionDays;
}

/**
 * The scanner's half of change rescans (opt-in): the changes bus the scanned accounts forward
 * their EKS/ECR change events to (open to the organisation), a queue that holds each event for the
 * debounce window, and the rescan-targets function, which starts the scan state machine for the
 * one target an event touches — at most once per window and target. Users' own forwarders (e.g.
 * of Kubernetes audit events) put `Rescan Requested` events on the same bus.
 */
export class ChangeRescans extends Construct {
  readonly bus: events.EventBus;
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  readonly fn: ScannerFunction;

  constructor(scope: Construct, id: string, props: ChangeRescansProps) {
    super(scope, id);
    const s = props.settings;
    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: CHANGES_BUS_NAME,
      description: 'hardline: EKS/ECR change events of the scanned accounts, and rescan requests',
    });
    if (s.orgMode === 'organization') {
      allowOrganisationToPutEvents(this, this.bus, 'OrganisationAccountsForwardChangeEvents', s.organizationId!);
    }
    this.deadLetters = deadLetterQueue(this, 'change events whose rescan could not be started');
    // The queue's delay is the debounce window: a burst's first message is handled once the rest has arrived.
    this.queue = new sqs.Queue(this, 'Changes', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deliveryDelay: Duration.seconds(s.rescanDebounceSeconds),
      visibilityTimeout: Duration.minutes(2),
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: 5 },
    });
    const toQueue = [
      new eventTargets.SqsQueue(this.queue, { deadLetterQueue: this.deadLetters, retryAttempts: 8, maxEventAge: Duration.hours(1) }),
    ];
    new events.Rule(this, 'ChangeEvents', {
      eventBus: this.bus,
      description: 'hardline: forwarded CloudTrail records of EKS/ECR changes → rescan',
      eventPattern: {
        source: CHANGE_EVENT_PATTERN.source,
        detailType: CHANGE_EVENT_PATTERN['detail-type'],
        detail: CHANGE_EVENT_PATTERN.detail,
      },
      targets: toQueue,
    });
    new events.Rule(this, 'RescanRequests', {
      eventBus: this.bus,
      description: 'hardline: Rescan Requested events → rescan',
      eventPattern: { source: RESCAN_REQUEST_PATTERN.source, detailType: RESCAN_REQUEST_PATTERN['detail-type'] },
      targets: toQueue,
    });

    this.fn = new ScannerFunction(this, 'Function', {
      entryName: 'rescan-targets',
      logRetention: props.logRetention,
      timeout: Duration.minutes(1),
      environment: {
        HARDLINE_TABLE: props.store.table.tableName,
        HARDLINE_STATE_MACHINE_ARN: props.stateMachine.stateMachineArn,
        HARDLINE_ORG_MODE: s.orgMode,
        HARDLINE_ACCOUNT_ID: Aws.ACCOUNT_ID,
        HARDLINE_REGIONS: s.regions.length > 0 ? s.regions.join(',') : Aws.REGION,
      },
    });
    // A few at a time: a burst of changes across the fleet becomes a steady stream of executions, not a spike against the scan functions' reserved concurrency.
    this.fn.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, maxConcurrency: 5, reportBatchItemFailures: true }));
    props.stateMachine.grantStartExecution(this.fn);
    this.grantClaims(props.store);
    // discover sends a target that is still settling back here, with a per-message delay.
    props.discover.addEnvironment('HARDLINE_RESCAN_QUEUE_URL', this.queue.queueUrl);
    this.queue.grantSendMessages(props.discover);
    new CfnOutput(this, 'ChangesBusArn', {
      value: this.bus.eventBusArn,
      description:
        "Where the scanned accounts forward change events (HardlineChangeEvents' ChangesBusArn), and where Rescan Requested events go",
    });
  }

  /** The rescan claims only: GetItem/UpdateItem on the RESCAN# partitions of the findings table, nothing else in it. */
  private grantClaims(store: FindingsStore): void {
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'RescanClaimsOnly',
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        resources: [store.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${RESCAN_PK_PREFIX}*`] } },
      }),
    );
    store.key.grant(this.fn, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*');
    acknowledge(
      this.fn.role!,
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      "Data keys of the findings table's customer-managed key, which DynamoDB asks for on the caller's behalf; the statement is limited to that one key.",
    );
  }
}
