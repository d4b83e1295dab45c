import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';

/**
 * One simulated Lambda invocation. Handlers run in-process, so what Lambda does around them is
 * reproduced here: a timeout after which the invocation is dead (its later writes are fenced off,
 * as a frozen or killed sandbox writes nothing more), a crash in the middle of a target, and the
 * error shape Step Functions sees (`Error` = errorType, `Cause` = the JSON Lambda reports).
 */
export interface Invocation {
  id: number;
  label: string;
  /** `kind|account|region|name` of the map item, for fault decisions. */
  target?: string;
  attempt: number;
  killed: boolean;
  abort: AbortController;
  /** Keys (PK|SK) of items this invocation wrote: the stream is derived from them. */
  touched: Set<string>;
  inflight: number;
  findingWrites: number;
  /** Crash (the sandbox dies) when this many finding items have been written. */
  crashAfterFindingWrites?: number;
  /** How long the invocation ran. */
  ms?: number;
  /** DynamoDB calls it made, as `<IAM action> <table | index/NAME>` → count (what its role must allow). */
  tableCalls: Map<string, number>;
  /** Keys (PK|SK) it wrote in a partition no pipeline function may write. */
  protectedWrites: string[];
}

export const invocations = new AsyncLocalStorage<Invocation>();
let ids = 0;

export type StepResult<T> =
  { ok: true; value: T; invocation: Invocation } | { ok: false; error: { Error: string; Cause: string }; invocation: Invocation };

const context = (label: string, timeoutMs: number, started: number): Context =>
  ({
    functionName: `hardline-${label}`,
    awsRequestId: `sim-${ids}`,
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
  }) as unknown as Context;

/** Lambda's error report for a function error: the error's name and message, as JSON in `Cause`. */
function lambdaError(e: unknown): { Error: string; Cause: string } {
  const err = e instanceof Error ? e : new Error(String(e));
  return { Error: err.name || 'Error', Cause: JSON.stringify({ errorType: err.name || 'Error', errorMessage: err.message, trace: [] }) };
}

export async function invoke<T>(
  label: string,
  handler: (event: unknown, context: Context) => Promise<T>,
  event: unknown,
  opts: { timeoutMs: number; target?: string; attempt?: number; crashAfterFindingWrites?: number },
): Promise<StepResult<T>> {
  const inv: Invocation = {
    id: ++ids,
    label,
    attempt: opts.attempt ?? 1,
    killed: false,
    abort: new AbortController(),
    touched: new Set(),
    inflight: 0,
    findingWrites: 0,
    tableCalls: new Map(),
    protectedWrites: [],
  };
  if (opts.target) inv.target = opts.target;
  if (opts.crashAfterFindingWrites !== undefined) inv.crashAfterFindingWrites = opts.crashAfterFindingWrites;
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), opts.timeoutMs)));
  const run = invocations.run(inv, () => handler(event, context(label, opts.timeoutMs, started)));
  try {
    const winner = await Promise.race([run.then((value) => ({ value })), timedOut]);
    if (winner === 'timeout') {
      kill(inv);
      // The abandoned promise settles later (its writes are refused); nobody waits for it.
      run.catch(() => undefined);
      return {
        ok: false,
        invocation: inv,
        error: {
          Error: 'Sandbox.Timedout',
          Cause: JSON.stringify({ errorMessage: `Task timed out after ${(opts.timeoutMs / 1000).toFixed(2)} seconds` }),
        },
      };
    }
    return { ok: true, value: winner.value, invocation: inv };
  } catch (e) {
    return { ok: false, invocation: inv, error: lambdaError(e) };
  } finally {
    clearTimeout(timer);
    inv.ms = Date.now() - started;
    // After the handler returns the sandbox is frozen: background work of this invocation writes nothing more.
    kill(inv);
    await settled(inv);
  }
}

export function kill(inv: Invocation): void {
  inv.killed = true;
  inv.abort.abort(new Error('the sandbox was stopped'));
}

/** Writes already on the wire when the invocation ended still land: wait for them before reading the images. */
async function settled(inv: Invocation): Promise<void> {
  while (inv.inflight > 0) await new Promise((r) => setTimeout(r, 5));
}

/** DynamoDB calls per step (`<IAM action> <table | index/NAME>` → count), and writes into the exemptions partition. */
export interface TableUse {
  calls: Record<string, Record<string, number>>;
  protectedWrites: { step: string; key: string }[];
}

/** Adds what an ended invocation did on the table to `use`. */
export function recordTableUse(use: TableUse, inv: Invocation): void {
  const step = (use.calls[inv.label] ??= {});
  for (const [call, n] of inv.tableCalls) step[call] = (step[call] ?? 0) + n;
  for (const key of inv.protectedWrites) use.protectedWrites.push({ step: inv.label, key });
}

/** The IAM action a DynamoDB command needs (document-client commands map to the item actions they send). */
export function iamActionOf(commandName: string): string {
  const op = commandName.replace(/Command$/, '');
  const DOCUMENT: Record<string, string> = {
    Put: 'PutItem',
    Get: 'GetItem',
    Update: 'UpdateItem',
    Delete: 'DeleteItem',
    BatchGet: 'BatchGetItem',
    BatchWrite: 'BatchWriteItem',
    TransactGet: 'TransactGetItems',
    TransactWrite: 'TransactWriteItems',
  };
  return `dynamodb:${DOCUMENT[op] ?? op}`;
}

const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'PutCommand',
  'UpdateCommand',
  'DeleteCommand',
  'BatchWriteCommand',
]);

function str(v: unknown): string {
  if (typeof v === 'string') return v;
  const s = v !== null && typeof v === 'object' ? (v as { S?: unknown }).S : undefined;
  return typeof s === 'string' ? s : '';
}

type WriteInput = {
  IndexName?: string;
  Item?: Record<string, unknown>;
  Key?: Record<string, unknown>;
  RequestItems?: Record<string, { PutRequest?: { Item?: Record<string, unknown> }; DeleteRequest?: { Key?: Record<string, unknown> } }[]>;
};

export function writtenKeys(input: WriteInput): string[] {
  const one = (k: Record<string, unknown> | undefined) => `${str(k?.['PK'])}|${str(k?.['SK'])}`;
  if (input.RequestItems)
    return Object.values(input.RequestItems).flatMap((list) => list.map((r) => one(r.PutRequest?.Item ?? r.DeleteRequest?.Key)));
  return [one(input.Item ?? input.Key)];
}

export class SimulatedCrash extends Error {
  constructor() {
    super('simulated: throughput exceeded in the middle of the save, beyond the SDK retries');
    this.name = 'ProvisionedThroughputExceededException';
  }
}

/**
 * On the pipeline's DynamoDB client: records which items each invocation writes, refuses writes
 * of dead invocations, and makes an invocation die in the middle of its save after N finding
 * writes when asked to. The failure is a throughput error beyond the SDK's retries, which the step
 * reports as retryable: the state machine runs the target again over a half-written save — the
 * behaviour under test. (A sandbox that is killed outright — Sandbox.Timedout, Runtime.ExitError —
 * is not retried by the state machine's policy; the `hang` fault covers that path.)
 */
export function instrumentDynamo(raw: DynamoDBClient, protectedPartition?: string): void {
  raw.middlewareStack.add(
    (next, ctx) => async (args) => {
      const inv = invocations.getStore();
      const name = (ctx as { commandName?: string }).commandName ?? '';
      if (!inv) return next(args);
      const input = args.input as WriteInput;
      const call = `${iamActionOf(name)} ${input.IndexName ? `index/${input.IndexName}` : 'table'}`;
      inv.tableCalls.set(call, (inv.tableCalls.get(call) ?? 0) + 1);
      if (!WRITES.has(name)) return next(args);
      if (inv.killed) throw Object.assign(new Error('write refused: the invocation is dead'), { name: 'SimulatedDeadSandbox' });
      const keys = writtenKeys(input);
      if (protectedPartition) inv.protectedWrites.push(...keys.filter((k) => k.startsWith(`${protectedPartition}|`)));
      if (inv.crashAfterFindingWrites !== undefined) {
        inv.findingWrites += keys.filter((k) => k.startsWith('FINDING#')).length;
        if (inv.findingWrites > inv.crashAfterFindingWrites) throw new SimulatedCrash();
      }
      for (const k of keys) inv.touched.add(k);
      inv.inflight++;
      try {
        return await next(args);
      } finally {
        inv.inflight--;
      }
    },
    { step: 'initialize', name: 'fleetInvocation', priority: 'high' },
  );
}
