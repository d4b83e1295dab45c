import * as z from 'zod';
import { ValidationError } from '../core/errors.js';
import { formatZodIssues } from '../core/zod-issues.js';
import { exemptionSchema } from '../engine/exemptions.js';
import { expiryBeyondPolicy } from '../engine/expiry.js';
import type { Exemption, ExemptionPolicy } from '../engine/types.js';
import { checkExemptionId, deriveExemptionId } from '../store/exemptions.js';
import { CallerRefusedError, type ApiEvent } from './http.js';

const MAX_BODY = 16_384;

/**
 * Who is calling, as the front door vouched for it: API Gateway's IAM authorizer names the IAM
 * principal; `hardline serve` names the local user after checking the store's token. The request
 * body can never say it.
 */
const callerSchema = z.union([
  z
    .object({ authorizer: z.object({ iam: z.object({ userArn: z.string().min(1).max(2_048) }) }) })
    .transform((c) => c.authorizer.iam.userArn),
  z
    .object({ authorizer: z.object({ lambda: z.object({ caller: z.string().min(1).max(2_048) }) }) })
    .transform((c) => c.authorizer.lambda.caller),
]);

/** The authenticated caller of a write; a write nobody vouched for is refused (403). */
export function requireCaller(event: ApiEvent): string {
  const caller = callerSchema.safeParse(event.requestContext);
  if (!caller.success)
    throw new CallerRefusedError('exemption changes need an authenticated caller (IAM in the service; the serve token locally)');
  return caller.data;
}

function bodyText(event: ApiEvent): string {
  if (event.body === undefined || event.body === null || event.body === '') throw new ValidationError('body: a JSON exemption is required');
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (text.length > MAX_BODY) throw new ValidationError(`body: larger than ${MAX_BODY} bytes`);
  return text;
}

/**
 * PUT /exemptions[/{id}]: the body is one exemption in the file format (shared/engine/exemptions.ts
 * schema), optionally with an `id` when the path has none, never with `by`: that is the caller.
 * Without any id, the id is derived from control and match so repeating the PUT updates the same
 * exemption. An expiry beyond `maxDays` is refused like any other invalid field.
 */
export function parseExemptionBody(
  event: ApiEvent,
  pathId: string | undefined,
  policy: Pick<ExemptionPolicy, 'maxDays'>,
  now: Date,
): { id: string; exemption: Exemption } {
  const caller = requireCaller(event);
  let raw: unknown;
  try {
    raw = JSON.parse(bodyText(event));
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    throw new ValidationError('body: not valid JSON');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new ValidationError('body: must be a JSON object (one exemption)');
  const { id: bodyId, ...rest } = raw as Record<string, unknown>;
  if (bodyId !== undefined && typeof bodyId !== 'string') throw new ValidationError('body.id: must be a string');
  if (pathId !== undefined && bodyId !== undefined && bodyId !== pathId)
    throw new ValidationError(`body.id: '${bodyId}' differs from the id in the path`);
  if ('by' in rest) throw new ValidationError('body.by: not accepted — the exemption is recorded as granted by the authenticated caller');
  const parsed = exemptionSchema.safeParse(rest);
  if (!parsed.success) {
    throw new ValidationError(`body.${formatZodIssues(parsed.error, { first: true })}`);
  }
  const tooFar = parsed.data.expires === undefined ? undefined : expiryBeyondPolicy(parsed.data.expires, policy, now);
  if (tooFar) throw new ValidationError(`body.expires: ${tooFar}`);
  const exemption: Exemption = { ...parsed.data, by: caller };
  const id = pathId ?? (typeof bodyId === 'string' ? bodyId : deriveExemptionId(exemption));
  return { id: checkExemptionId(id), exemption };
}
