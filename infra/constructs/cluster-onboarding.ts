import { Aws, CfnOutput, Duration, TimeZone } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { onboardingRoleName } from '../../shared/cluster-access/onboarding-commands.js';
import type { HardlineSettings } from '../config.js';
import { CREATE_CLUSTER_PATTERN, ONBOARDING_BUS_NAME, ONBOARDING_FUNCTION_ROLE_SUFFIX } from './member-onboarding.js';
import { allowOrganisationToPutEvents, deadLetterQueue } from './organisation-bus.js';
import { acknowledge, arnRef } from './nag.js';
import { memberAccessEnvironment } from './scan-pipeline.js';
import { ScannerFunction } from './scanner-function.js';

export interface ClusterOnboardingProps {
  settings: HardlineSettings;
  logRetention: logs.RetentionDays;
}

/**
 * The scanner's half of automatic onboarding (opt-in): an event bus the opted-in accounts forward
 * their CreateCluster events to, a queue that holds each one until the cluster is likely ACTIVE
 * (and retries while it is not), and the onboard-clusters function — also run on a schedule over
 * every opted-in account, which covers the clusters that existed before and any missed event.
 * The function can do nothing in an account but assume that account's onboarding role.
 */
export class ClusterOnboarding extends Construct {
  readonly fn: ScannerFunction;
  readonly bus: events.EventBus;
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: ClusterOnboardingProps) {
    super(scope, id);
    const s = props.settings;
    const org = s.orgMode === 'organization';
    this.fn = new ScannerFunction(this, 'Function', {
      entryName: 'onboard-clusters',
      roleName: `${s.scannerRolePrefix}-${ONBOARDING_FUNCTION_ROLE_SUFFIX}`,
      logRetention: props.logRetention,
      timeout: Duration.minutes(10),
      environment: memberAccessEnvironment(s),
    });
    const onboardingRole = `arn:${Aws.PARTITION}:iam::${org ? '*' : Aws.ACCOUNT_ID}:role/${onboardingRoleName(s.memberRoleName)}`;
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'AssumeOnboardingRoles',
        actions: ['sts:AssumeRole'],
        resources: [onboardingRole],
        ...(org ? { conditions: { StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } } } : {}),
      }),
    );
    if (org) {
      this.fn.addToRolePolicy(
        new iam.PolicyStatement({ sid: 'ListOrganisationAccounts', actions: ['organizations:ListAccounts'], resources: ['*'] }),
      );
      acknowledge(
        this.fn.role!,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${onboardingRoleName(s.memberRoleName)}]`,
        'Opted-in accounts join and leave between deployments: the role name is fixed, the account is not; aws:ResourceOrgID keeps it inside the organisation, and each onboarding role trusts only this function with the ExternalId.',
      );
    }

    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: ONBOARDING_BUS_NAME,
      description: 'hardline: CreateCluster events of opted-in accounts',
    });
    if (org) {
      allowOrganisationToPutEvents(this, this.bus, 'OrganisationAccountsForwardCreateCluster', s.organizationId!);
    }
    this.deadLetters = deadLetterQueue(this, 'CreateCluster events that could not be onboarded');
    // A new cluster is ACTIVE after ~10 minutes: the first try waits that long, later ones a visibility timeout each (8 tries ≈ 2 h).
    this.queue = new sqs.Queue(this, 'NewClusters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deliveryDelay: Duration.minutes(10),
      visibilityTimeout: Duration.minutes(15),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: 8 },
    });
    new events.Rule(this, 'CreateCluster', {
      eventBus: this.bus,
      eventPattern: {
        source: CREATE_CLUSTER_PATTERN.source,
        detailType: CREATE_CLUSTER_PATTERN['detail-type'],
        detail: CREATE_CLUSTER_PATTERN.detail,
      },
      targets: [new eventTargets.SqsQueue(this.queue)],
    });
    this.fn.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }));

    const sweepRole = new iam.Role(this, 'SweepRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'hardline: the scheduled onboarding sweep invokes onboard-clusters',
    });
    this.schedule = new scheduler.Schedule(this, 'Sweep', {
      description: 'hardline: onboard every cluster of the opted-in accounts',
      schedule: scheduler.ScheduleExpression.expression(s.onboardingSchedule, TimeZone.of(s.scheduleTimezone)),
      target: new schedulerTargets.LambdaInvoke(this.fn, {
        input: scheduler.ScheduleTargetInput.fromObject({ sweep: true }),
        role: sweepRole,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
      }),
    });
    acknowledge(
      sweepRole,
      `AwsSolutions-IAM5[Resource::${arnRef(this.fn)}:*]`,
      'Invoking onboard-clusters by any version or alias of that one function (the Lambda target grants the function ARN and its qualifiers).',
    );
    new CfnOutput(this, 'OnboardingBusArn', {
      value: this.bus.eventBusArn,
      description: "Where opted-in accounts forward CreateCluster events (the onboarding StackSet's OnboardingBusArn)",
    });
  }
}
