import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from './nag.js';

/**
 * Lets any principal of the organisation put events on the bus: member accounts forward theirs
 * through a role of their own. L1: the L2 addToResourcePolicy still sets CfnEventBusPolicy's
 * deprecated `principal`.
 */
export function allowOrganisationToPutEvents(
  scope: Construct,
  bus: events.EventBus,
  statementId: string,
  organizationId: string,
): events.CfnEventBusPolicy {
  return new events.CfnEventBusPolicy(scope, 'BusPolicy', {
    eventBusName: bus.eventBusName,
    statementId,
    statement: {
      Sid: statementId,
      Effect: 'Allow',
      Principal: '*',
      Action: 'events:PutEvents',
      Resource: bus.eventBusArn,
      Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId } },
    },
  });
}

/** An encrypted dead-letter queue that keeps messages 14 days; the caller alarms its depth. */
export function deadLetterQueue(scope: Construct, holds: string): sqs.Queue {
  const queue = new sqs.Queue(scope, 'DeadLetters', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  acknowledge(queue, 'AwsSolutions-SQS3', `This queue is itself a dead-letter queue (${holds}); its depth is alarmed.`);
  return queue;
}
