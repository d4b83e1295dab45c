import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod';
import { describeError, InputError } from '../core/errors.js';
import { formatZodIssues } from '../core/zod-issues.js';
import { redact } from '../redaction/redact.js';
import { discoveredTargetSchema, targetOutcomeSchema, type DiscoveredTarget, type TargetOutcome } from './types.js';

/**
 * Reading what the map produced. A Distributed Map with a ResultWriter leaves a manifest
 * (`ResultFiles.SUCCEEDED|FAILED|PENDING`, each a list of JSON files of child executions with their
 * `Input`/`Output` as JSON strings). Every child that did not succeed still names its target
 * through its Input, so it is reported ERROR rather than forgotten.
 */
const manifestSchema = z.object({
  ResultFiles: z
    .object({
      SUCCEEDED: z.array(z.object({ Key: z.string() })).default([]),
      FAILED: z.array(z.object({ Key: z.string() })).default([]),
      PENDING: z.array(z.object({ Key: z.string() })).default([]),
    })
    .partial()
    .default({}),
});
const childSchema = z.object({
  Input: z.unknown().optional(),
  Output: z.unknown().optional(),
  Status: z.string().optional(),
  Error: z.string().optional(),
  Cause: z.string().optional(),
});
const childInputSchema = z.object({ item: discoveredTargetSchema });

const REASON_MAX = 600;

/** The message of a failed step, from Step Functions' Cause (for a Lambda: `{"errorType","errorMessage",…}`). */
export function reasonFromError(error: { Error?: string; Cause?: string } | undefined, fallback: string): string {
  let detail = error?.Error ?? '';
  if (error?.Cause) {
    try {
      const cause = z.object({ errorType: z.string().optional(), errorMessage: z.string().optional() }).parse(JSON.parse(error.Cause));
      detail = [cause.errorType ?? detail, cause.errorMessage].filter(Boolean).join(': ');
    } catch {
      detail = [detail, error.Cause.split('\n')[0]].filter(Boolean).join(': ');
    }
  }
  // A stack trace or an SDK message could quote a header: redact, and keep it short for the target item.
  return redact(`${fallback}${detail ? `: ${detail}` : ''}`).slice(0, REASON_MAX);
}

const parseJsonField = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

/** Parses one item's result: a scan step's outcome, or the Catch's failure record. Bad shapes are an error, not a skip. */
export function parseOutcome(raw: unknown): TargetOutcome {
  const parsed = targetOutcomeSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(`malformed map result: ${formatZodIssues(parsed.error)}`);
  const o = parsed.data as TargetOutcome;
  if (!o.recorded && o.error && !o.reason) o.reason = reasonFromError(o.error, 'the scan step failed');
  return o;
}

async function readJson(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const text = await out.Body?.transformToString('utf-8');
  if (text === undefined) throw new InputError(`s3://${bucket}/${key} is empty`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`s3://${bucket}/${key} is not JSON: ${describeError(e)}`);
  }
}

export async function readDiscoveredTargets(s3: S3Client, bucket: string, key: string): Promise<DiscoveredTarget[]> {
  return z.array(discoveredTargetSchema).parse(await readJson(s3, bucket, key));
}

/** Outcomes from a ResultWriter manifest: succeeded children's outputs, and an ERROR for every other child. */
export async function readMapResults(s3: S3Client, manifest: { Bucket: string; Key: string }): Promise<TargetOutcome[]> {
  const m = manifestSchema.parse(await readJson(s3, manifest.Bucket, manifest.Key));
  const files = [...(m.ResultFiles.SUCCEEDED ?? []), ...(m.ResultFiles.FAILED ?? []), ...(m.ResultFiles.PENDING ?? [])];
  const outcomes: TargetOutcome[] = [];
  for (const file of files) {
    const children = z.array(childSchema).parse(await readJson(s3, manifest.Bucket, file.Key));
    for (const child of children) outcomes.push(childOutcome(child));
  }
  return outcomes;
}

function childOutcome(child: z.infer<typeof childSchema>): TargetOutcome {
  if (child.Status === 'SUCCEEDED' && child.Output !== undefined) return parseOutcome(parseJsonField(child.Output));
  const input = childInputSchema.safeParse(parseJsonField(child.Input));
  if (!input.success) throw new InputError(`a ${child.Status ?? 'failed'} map item has no readable target in its Input`);
  const error = { ...(child.Error ? { Error: child.Error } : {}), ...(child.Cause ? { Cause: child.Cause } : {}) };
  return {
    target: input.data.item.target,
    status: 'ERROR',
    reason: reasonFromError(error, `the scan step ended ${child.Status ?? 'without a result'}`),
    resources: 0,
    gaps: 0,
    recorded: false,
  };
}
