import { z } from 'zod';
import { exemptionSchema } from '../engine/exemptions.js';
import type { Exemption } from '../engine/types.js';
import { ValidationError } from '../errors.js';
import { checkExemptionId, deriveExemptionId } from '../store/exemptions.js';
import type { ApiEvent } from './http.js';

const MAX_BODY = 16_384;

/** With IAM auth, API Gateway names the caller: it becomes `by` when the body does not say. */
const iamCaller = z.object({ authorizer: z.object({ iam: z.object({ userArn: z.string().min(1).max(2_048) }) }) });

function bodyText(event: ApiEvent): string {
  if (event.body === undefined || event.body === null || event.body === '') throw new ValidationError('body: a JSON exemption is required');
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (text.length > MAX_BODY) throw new ValidationError(`body: larger than ${MAX_BODY} bytes`);
  return text;
}

/**
 * PUT /exemptions[/{id}]: the body is one exemption in the file format (shared/engine/exemptions.ts
 * schema), optionally with an `id` when the path has none. Without any id, the id is derived from
 * control and match so repeating the PUT updates the same exemption.
 */
export function parseExemptionBody(event: ApiEvent, pathId: string | undefined): { id: string; exemption: Exemption } {
  let raw: unknown;
  try {
    raw = JSON.parse(bodyText(event));
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    throw new ValidationError('body: not valid JSON');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ValidationError('body: must be a JSON object (one exemption)');
  const { id: bodyId, ...rest } = raw as Record<string, unknown>;
  if (bodyId !== undefined && typeof bodyId !== 'string') throw new ValidationError('body.id: must be a string');
  if (pathId !== undefined && bodyId !== undefined && bodyId !== pathId) throw new ValidationError(`body.id: '${bodyId}' differs from the id in the path`);
  const parsed = exemptionSchema.safeParse(rest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(`body.${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const exemption: Exemption = { ...parsed.data };
  const caller = iamCaller.safeParse(event.requestContext);
  if (!exemption.by && caller.success) exemption.by = caller.data.authorizer.iam.userArn;
  const id = pathId ?? (typeof bodyId === 'string' ? bodyId : deriveExemptionId(exemption));
  return { id: checkExemptionId(id), exemption };
}
