import { Duration, SecretValue } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { SiemSettings } from '../config.js';

export interface SiemTarget {
  target: events.IRuleTarget;
  /** The queue the SIEM polls, when the target is the built-in queue. */
  queue?: sqs.Queue;
}

/**
 * Where the example rule sends HIGH/CRITICAL findings: a queue the SIEM polls (default), an HTTPS
 * API destination whose key is read from Secrets Manager at deploy time (never in the template),
 * or an existing Firehose stream. Deliveries that keep failing land in `deadLetterQueue`.
 */
export function siemTarget(scope: Construct, settings: SiemSettings, deadLetterQueue: sqs.IQueue): SiemTarget {
  const delivery = { deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(24) };
  switch (settings.kind) {
    case 'queue': {
      const queue = new sqs.Queue(scope, 'SiemQueue', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: 10 },
      });
      return { target: new targets.SqsQueue(queue, delivery), queue };
    }
    case 'api-destination': {
      const connection = new events.Connection(scope, 'SiemConnection', {
        description: 'hardline → SIEM',
        authorization: events.Authorization.apiKey(settings.apiKeyHeader, SecretValue.secretsManager(settings.apiKeySecretArn)),
      });
      const destination = new events.ApiDestination(scope, 'SiemDestination', {
        connection,
        endpoint: settings.endpoint,
        httpMethod: events.HttpMethod.POST,
        rateLimitPerSecond: settings.rateLimitPerSecond,
      });
      return { target: new targets.ApiDestination(destination, delivery) };
    }
    case 'firehose': {
      const stream = firehose.DeliveryStream.fromDeliveryStreamArn(scope, 'SiemStream', settings.deliveryStreamArn);
      // Firehose targets take no retry/DLQ settings: Firehose buffers and retries delivery itself.
      return { target: new targets.FirehoseDeliveryStream(stream) };
    }
  }
}
