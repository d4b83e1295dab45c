import { createHash } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { entrySize, MAX_CALL_BYTES, MAX_ENTRIES_PER_CALL } from '../../../shared/events/size.js';

/**
 * The custom bus behind PutEvents, with partial failures: every `partialEvery`th call rejects one
 * entry (InternalFailure), every `failEvery`th call fails as a whole (ServiceUnavailable), and a
 * share of events (`stubbornRate`) is rejected on its first four attempts — more than the publisher
 * retries — so its stream record fails, the batch is redelivered and the event goes out later.
 */
export interface EventFaults {
  stubbornRate: number;
  partialEvery: number;
  failEvery: number;
}
export interface AcceptedEvent {
  eventKey: string;
  detailType: string;
  detail: Record<string, unknown>;
  /** The entry as sent, for size and secret checks. */
  entry: PutEventsRequestEntry;
}

export interface EventBus {
  accepted: AcceptedEvent[];
  calls: number;
  rejectedEntries: number;
  failedCalls: number;
  /** Calls that broke the PutEvents limits (must stay 0). */
  oversizedCalls: number;
  restore(): void;
}

const STUBBORN_ATTEMPTS = 4;

export function installEventBus(faults: EventFaults): EventBus {
  const bus: EventBus = { accepted: [], calls: 0, rejectedEntries: 0, failedCalls: 0, oversizedCalls: 0, restore: () => mock.restore() };
  const attempts = new Map<string, number>();
  const stubborn = (key: string) => createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32 < faults.stubbornRate;
  const mock = mockClient(EventBridgeClient);
  mock.on(PutEventsCommand).callsFake(async (input: { Entries: PutEventsRequestEntry[] }) => {
    const call = ++bus.calls;
    const entries = input.Entries;
    if (entries.length > MAX_ENTRIES_PER_CALL || entries.reduce((n, e) => n + entrySize(e), 0) > MAX_CALL_BYTES) bus.oversizedCalls++;
    if (call % faults.failEvery === 0) {
      bus.failedCalls++;
      throw Object.assign(new Error('Service is unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
    }
    let failed = 0;
    const answers = entries.map((entry, i) => {
      const detail = JSON.parse(entry.Detail ?? '{}') as Record<string, unknown>;
      const key = String(detail['eventKey']);
      const n = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, n);
      const reject = (stubborn(key) && n <= STUBBORN_ATTEMPTS) || (call % faults.partialEvery === 0 && i === 0);
      if (reject) {
        failed++;
        bus.rejectedEntries++;
        return { ErrorCode: stubborn(key) ? 'ThrottlingException' : 'InternalFailure', ErrorMessage: 'simulated' };
      }
      bus.accepted.push({ eventKey: key, detailType: entry.DetailType ?? '', detail, entry });
      return { EventId: `ev-${call}-${i}` };
    });
    return { FailedEntryCount: failed, Entries: answers };
  });
  return bus;
}
