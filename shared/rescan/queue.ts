import * as z from 'zod';
import { InputError } from '../core/errors.js';
import { formatZodIssues } from '../core/zod-issues.js';
import type { ChangeMessage } from './rescan.js';

/** The SQS batch the change queue delivers; SentTimestamp (epoch ms) is when the queue received each message. */
const sqsBatchSchema = z.object({
  Records: z
    .array(
      z.object({
        messageId: z.string().min(1),
        body: z.string(),
        attributes: z.object({ SentTimestamp: z.string().regex(/^\d+$/, 'epoch milliseconds') }),
      }),
    )
    .min(1),
});

export function changeMessagesOf(event: unknown): ChangeMessage[] {
  const parsed = sqsBatchSchema.safeParse(event);
  if (!parsed.success) throw new InputError(`rescan input is not an SQS batch of change messages: ${formatZodIssues(parsed.error)}`);
  return parsed.data.Records.map((r) => ({
    messageId: r.messageId,
    body: r.body,
    receivedAt: new Date(Number(r.attributes.SentTimestamp)).toISOString(),
  }));
}
