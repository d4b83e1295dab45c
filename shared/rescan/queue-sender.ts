import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { RescanQueue } from '../pipeline/deps.js';

/** The change queue as discover sends follow-ups to it (per-message delay: SQS allows up to 900 s). */
export function sqsRescanQueue(client: SQSClient, queueUrl: string): RescanQueue {
  return {
    send: async (body, delaySeconds) => {
      await client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          DelaySeconds: Math.min(900, Math.max(0, Math.round(delaySeconds))),
        }),
      );
    },
  };
}
