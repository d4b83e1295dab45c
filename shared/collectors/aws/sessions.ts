import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { AccessError } from '../../core/errors.js';

/** Temporary credentials of an assumed role, in the shape SDK clients accept. */
export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration?: Date;
}

export interface AssumeRoleSettings {
  roleName: string;
  externalId?: string;
  /** RoleSessionName: `hardline-<scan id or time>` so CloudTrail ties calls to a scan. */
  sessionName: string;
  /** `aws`, `aws-us-gov`, `aws-cn`: taken from the caller's own ARN. */
  partition?: string;
  durationSeconds?: number;
}

// Refresh a little before expiry so a long account scan never signs with an expired token.
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * One AssumeRole per member account, cached and shared by every client of that account; renewed
 * when it is about to expire. A failure is not cached: the next caller tries again.
 */
export class SessionCache {
  private readonly sessions = new Map<string, Promise<SessionCredentials>>();

  constructor(
    private readonly sts: STSClient,
    private readonly settings: AssumeRoleSettings,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  roleArn(accountId: string): string {
    return `arn:${this.settings.partition ?? 'aws'}:iam::${accountId}:role/${this.settings.roleName}`;
  }

  /** A credential provider for SDK clients of `accountId` (the SDK calls it when it needs to sign). */
  provider(accountId: string): () => Promise<SessionCredentials> {
    return () => this.credentials(accountId);
  }

  async credentials(accountId: string): Promise<SessionCredentials> {
    const cached = this.sessions.get(accountId);
    if (cached) {
      const creds = await cached.catch(() => undefined);
      if (creds && (!creds.expiration || creds.expiration.getTime() - this.clock().getTime() > REFRESH_MARGIN_MS)) return creds;
      if (this.sessions.get(accountId) === cached) this.sessions.delete(accountId);
    }
    let pending = this.sessions.get(accountId);
    if (!pending) {
      pending = this.assume(accountId);
      this.sessions.set(accountId, pending);
      pending.catch(() => {
        if (this.sessions.get(accountId) === pending) this.sessions.delete(accountId);
      });
    }
    return pending;
  }

  private async assume(accountId: string): Promise<SessionCredentials> {
    const RoleArn = this.roleArn(accountId);
    // A failure is rethrown as the SDK raised it: the caller classifies it (denied, throttled, …) for the target's reason.
    const out = await this.sts.send(
      new AssumeRoleCommand({
        RoleArn,
        RoleSessionName: this.settings.sessionName.slice(0, 64),
        ...(this.settings.externalId ? { ExternalId: this.settings.externalId } : {}),
        ...(this.settings.durationSeconds ? { DurationSeconds: this.settings.durationSeconds } : {}),
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
      throw new AccessError('FORBIDDEN', `AssumeRole ${RoleArn}: the answer carried no credentials`);
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
    };
  }
}

/** `hardline-<scan id or timestamp>`, limited to what STS accepts ([\w+=,.@-], 2–64 chars). */
export function sessionNameFor(scanIdOrTime: string): string {
  return `hardline-${scanIdOrTime}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}
