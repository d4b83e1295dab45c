/**
 * One error hierarchy for hardline (after AWS Lambda Powertools): every error has a stable `code`,
 * an optional `cause`, and says whether retrying could help. Callers branch on `code`, never on
 * message text.
 */
export type ErrorCode =
  | 'USAGE'
  | 'INPUT'
  | 'CONFIG'
  | 'FORBIDDEN'
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'TIMEOUT'
  | 'UNREACHABLE'
  | 'THROTTLED'
  | 'CONFLICT'
  | 'VALIDATION'
  | 'INTERNAL';

export class HardlineError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** Wrong flags or arguments: the CLI exits 2. */
export class UsageError extends HardlineError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('USAGE', message, options);
  }
}

/** A manifest, snapshot or exemption file that cannot be read or parsed. */
export class InputError extends HardlineError {
  readonly file?: string;
  readonly line?: number;
  constructor(message: string, options: { cause?: unknown; file?: string; line?: number } = {}) {
    super('INPUT', message, options);
    if (options.file !== undefined) this.file = options.file;
    if (options.line !== undefined) this.line = options.line;
  }
}

export class ConfigError extends HardlineError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CONFIG', message, options);
  }
}

/** Bad query input to the API: mapped to HTTP 400. */
export class ValidationError extends HardlineError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('VALIDATION', message, options);
  }
}

export class NotFoundError extends HardlineError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('NOT_FOUND', message, options);
  }
}

/** A remote API refused or failed: the collector turns these into inventory gaps. */
export class AccessError extends HardlineError {
  constructor(
    code: 'FORBIDDEN' | 'UNAUTHORIZED' | 'TIMEOUT' | 'UNREACHABLE' | 'THROTTLED',
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, { ...options, retryable: code === 'TIMEOUT' || code === 'THROTTLED' });
  }
}

/** A conditional write lost a race with another scan. */
export class ConflictError extends HardlineError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CONFLICT', message, { ...options, retryable: true });
  }
}

export function isHardlineError(e: unknown): e is HardlineError {
  return e instanceof HardlineError;
}

/** A short, secret-free description of any thrown value, for results and logs. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message.split('\n')[0] ?? e.name;
  return String(e);
}
