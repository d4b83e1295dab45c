import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createRescanHandler } from '../../functions/rescan-targets/handler.js';
import { streamRecordSchema } from '../../shared/events/stream.js';
import { eventForRecord } from '../../shared/events/transitions.js';
import { rescanPk } from '../../shared/store/rescan-claims.js';
import { rescanChangedTargets, type ChangeMessage, type RescanDeps } from '../../shared/rescan/rescan.js';
import { streamRecord } from '../events/stream-records.js';
import { cloudTrailEvent } from '../support/cloudtrail.js';
import { MEMBER_ACCOUNT, startTestPipeline, type TestPipeline } from '../pipeline/support.js';

/**
 * Debounce on the store (dynalite): what the rescan function starts for bursts, duplicates,
 * late changes, failed starts and concurrent invocations — through its real handler where the
 * SQS shape matters. Time is a test clock; StartExecution is recorded (and can be made to fail).
 */
let world: TestPipeline;
beforeAll(async () => {
  world = await startTestPipeline();
});
afterAll(async () => world.dispose());

const T0 = Date.parse('2026-12-04T10:00:00.000Z');
let seq = 0;

/** A recording StartExecution with Step Functions' name semantics: a name runs once. */
function harness(opts: { failStarts?: number } = {}) {
  const executions = new Map<string, string>();
  const calls: string[] = [];
  let failures = opts.failStarts ?? 0;
  let clock = T0;
  const deps: RescanDeps = {
    store: world.store.ctx,
    startExecution: async (name, input) => {
      calls.push(name);
      if (failures > 0) {
        failures--;
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      }
      const existing = executions.get(name);
      if (existing !== undefined && existing !== input) throw new Error('same name, other input');
      if (existing !== undefined) return 'exists';
      executions.set(name, input);
      return 'started';
    },
    scope: { regions: ['eu-west-1'] },
    now: () => new Date(clock),
    log: () => {},
  };
  return { deps, executions, calls, at: (ms: number) => (clock = T0 + ms) };
}

const clusterCall = (name: string, eventName = 'UpdateClusterConfig', region = 'eu-west-1') =>
  JSON.stringify(cloudTrailEvent({ service: 'eks', eventName, accountId: MEMBER_ACCOUNT, region, requestParameters: { name } }));
const message = (body: string, receivedMs: number): ChangeMessage => ({
  messageId: `m-${++seq}`,
  body,
  receivedAt: new Date(T0 + receivedMs).toISOString(),
});

describe('rescan debounce', () => {
  it('20 changes of one cluster within 10 s, delivered a window later in several batches → one rescan of that cluster', async () => {
    const h = harness();
    const burst = Array.from({ length: 20 }, (_, i) => message(clusterCall('burst'), i * 500));
    const started: string[] = [];
    for (const batch of [burst.slice(0, 7), burst.slice(7, 15), burst.slice(15)]) {
      // Each batch is handled when its last message leaves the queue's 60 s delay.
      h.at(Date.parse(batch[batch.length - 1]!.receivedAt) - T0 + 60_000);
      const report = await rescanChangedTargets(batch, h.deps);
      expect(report.failedMessageIds).toEqual([]);
      started.push(...report.started);
    }
    expect(started).toHaveLength(1);
    expect([...h.executions.keys()]).toEqual(started);
    expect(JSON.parse(h.executions.get(started[0]!)!)).toEqual({
      targets: [{ kind: 'cluster', accountId: MEMBER_ACCOUNT, region: 'eu-west-1', name: 'burst' }],
      reason: `UpdateClusterConfig in ${MEMBER_ACCOUNT}/eu-west-1: cluster burst`,
    });
  });

  it('a change received after the rescan started gets a rescan of its own; a duplicate delivery of an earlier one does not', async () => {
    const h = harness();
    const first = message(clusterCall('late'), 0);
    h.at(60_000);
    expect((await rescanChangedTargets([first], h.deps)).started).toHaveLength(1);
    // The same event delivered again (EventBridge is at-least-once): received before the rescan began.
    h.at(61_000);
    expect((await rescanChangedTargets([{ ...first, messageId: 'dup' }], h.deps)).covered).toBe(1);
    const later = message(clusterCall('late'), 75_000);
    h.at(135_000);
    expect((await rescanChangedTargets([later], h.deps)).started).toHaveLength(1);
    expect(h.executions.size).toBe(2);
  });

  it('a start that fails returns the messages to the queue; the retry starts the execution that was claimed (no second one)', async () => {
    const h = harness({ failStarts: 1 });
    const m = message(clusterCall('flaky'), 0);
    h.at(60_000);
    const first = await rescanChangedTargets([m], h.deps);
    expect(first.failedMessageIds).toEqual([m.messageId]);
    expect(h.executions.size).toBe(0);
    h.at(180_000);
    const retry = await rescanChangedTargets([m], h.deps);
    expect(retry.failedMessageIds).toEqual([]);
    expect(h.executions.size).toBe(1);
    expect(h.calls[0]).toBe(h.calls[1]);
  });

  it('concurrent invocations with messages of one target start it once', async () => {
    const h = harness();
    const ms = Array.from({ length: 6 }, (_, i) => message(clusterCall('racy'), i * 100));
    h.at(61_000);
    const reports = await Promise.all([rescanChangedTargets(ms.slice(0, 3), h.deps), rescanChangedTargets(ms.slice(3), h.deps)]);
    expect(reports.flatMap((r) => r.started)).toHaveLength(1);
    expect(h.executions.size).toBe(1);
  });

  it('one batch, several targets: one rescan each; a region this deployment does not scan and a failed call start nothing', async () => {
    const h = harness();
    h.at(70_000);
    const registry = JSON.stringify(
      cloudTrailEvent({
        service: 'ecr',
        eventName: 'PutImageTagMutability',
        accountId: MEMBER_ACCOUNT,
        region: 'eu-west-1',
        requestParameters: { repositoryName: 'shop/web', imageTagMutability: 'MUTABLE' },
      }),
    );
    const failed = JSON.stringify(
      cloudTrailEvent({
        service: 'ecr',
        eventName: 'PutImageTagMutability',
        accountId: MEMBER_ACCOUNT,
        region: 'eu-west-1',
        errorCode: 'AccessDenied',
      }),
    );
    const report = await rescanChangedTargets(
      [
        message(clusterCall('a'), 0),
        message(clusterCall('b'), 1),
        message(registry, 2),
        message(clusterCall('c', 'UpdateClusterConfig', 'ap-south-1'), 3),
        message(failed, 4),
      ],
      h.deps,
    );
    expect(report.started).toHaveLength(3);
    expect(report.ignored).toBe(2);
    expect(
      [...h.executions.values()]
        .map((i) => (JSON.parse(i) as { targets: { kind: string; name?: string }[] }).targets[0]!)
        .map((t) => t.name ?? t.kind)
        .sort(),
    ).toEqual(['a', 'b', 'registry']);
  });

  it('a claim is an item of its own partition that expires, and the event publisher turns it into no event', async () => {
    const h = harness();
    h.at(60_000);
    await rescanChangedTargets([message(clusterCall('quiet'), 0)], h.deps);
    const name = [...h.executions.keys()][0]!;
    const tid = name.split('-')[1]!;
    const item = (
      await world.store.ctx.doc.send(new GetCommand({ TableName: world.store.ctx.table, Key: { PK: rescanPk(tid), SK: 'CURRENT' } }))
    ).Item!;
    expect(item).toMatchObject({ entity: 'rescan', executionName: name, expiresAt: Math.floor((T0 + 60_000 + 7 * 86_400_000) / 1000) });
    expect(eventForRecord(streamRecordSchema.parse(streamRecord(item)))).toBeUndefined();
  });

  it('the handler reads SentTimestamp as the receipt time and answers partial batch failures', async () => {
    const h = harness({ failStarts: 1 });
    h.at(200_000);
    const handler = createRescanHandler(() => h.deps, new Logger({ serviceName: 'test', logLevel: 'SILENT' }));
    const record = (id: string, body: string, sentMs: number) => ({
      messageId: id,
      receiptHandle: 'r',
      body,
      attributes: { SentTimestamp: String(T0 + sentMs), ApproximateReceiveCount: '1' },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:changes',
      awsRegion: 'eu-west-1',
    });
    const context = { functionName: 'rescan-targets', awsRequestId: 'r', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
    const out = (await handler(
      { Records: [record('x1', clusterCall('h1'), 130_000), record('x2', 'not json', 130_000)] },
      context,
    )) as SQSBatchResponse;
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'x1' }]);
    await expect(handler({ Records: [{ messageId: 'y', body: '{}' }] }, context)).rejects.toMatchObject({ name: 'InputError' });
  });
});

describe('rescan reasons', () => {
  it('a Rescan Requested reason that carries a credential reaches the execution input redacted', async () => {
    const h = harness();
    h.at(60_000);
    const body = JSON.stringify({
      source: 'hardline.rescan',
      'detail-type': 'Rescan Requested',
      detail: {
        targets: [{ kind: 'cluster', accountId: MEMBER_ACCOUNT, region: 'eu-west-1', name: 'leaky' }],
        reason: 'audit: configmap db password=hunter2-Sup3rSecret changed',
      },
    });
    await rescanChangedTargets([message(body, 0)], h.deps);
    const input = [...h.executions.values()][0]!;
    expect(input).not.toContain('hunter2-Sup3rSecret');
    expect(JSON.parse(input).reason).toMatch(/^audit: configmap db password=/);
  });
});
