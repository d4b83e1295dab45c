import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { partition } from '@aws-sdk/core/client';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { BearerEndpoint } from './kubernetes/bearer-http.js';

/**
 * EKS bearer tokens, as `aws eks get-token` and aws-iam-authenticator make them: a presigned STS
 * GetCallerIdentity URL whose signature covers the `x-k8s-aws-id: <cluster>` header (so a token
 * for one cluster is useless on another), base64url-encoded without padding after `k8s-aws-v1.`.
 * EKS accepts it for 15 minutes from X-Amz-Date; the URL itself says X-Amz-Expires=60.
 * No SDK credential chain in here: credentials are passed in (the Lambda's assumed member role,
 * or the CLI's resolved profile), which keeps the function testable and explicit.
 */

export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** Reported expiry, as `aws eks get-token` does: a minute of margin below the 15 minutes EKS accepts a token for. */
const REPORTED_LIFETIME_MS = 14 * 60 * 1000;

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When temporary credentials stop working: a token signed with them dies with them. */
  expiration?: Date;
}

export interface EksTokenRequest {
  clusterName: string;
  region: string;
  credentials: AwsCredentials;
  /** The signing clock (tests pin it). */
  signingDate?: Date;
}

export interface EksToken {
  token: string;
  signedAt: Date;
  expiresAt: Date;
}

/**
 * The regional STS host the token is presigned for, in the region's partition: amazonaws.com in
 * aws and aws-us-gov, amazonaws.com.cn in aws-cn (and the ISO/sovereign suffixes), from the SDK's
 * own partition table, so a region the table does not know yet falls back to aws like the SDK.
 */
export function stsHostname(region: string): string {
  return `sts.${region}.${partition(region).dnsSuffix}`;
}

/** A fresh token for one cluster (no cache: see EksTokenCache). */
export async function eksToken(req: EksTokenRequest): Promise<EksToken> {
  if (!req.clusterName) throw new Error('eksToken: clusterName is required');
  if (!req.region) throw new Error('eksToken: region is required');
  const signedAt = req.signingDate ?? new Date();
  const hostname = stsHostname(req.region);
  const { expiration: _expiration, ...credentials } = req.credentials;
  const signer = new SignatureV4({ service: 'sts', region: req.region, credentials, sha256: Sha256 });
  const signed = await signer.presign(
    new HttpRequest({
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: hostname, 'x-k8s-aws-id': req.clusterName },
    }),
    { expiresIn: 60, signingDate: signedAt },
  );
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(signed.query ?? {})) {
    if (typeof value === 'string') query.set(key, value);
    else if (Array.isArray(value)) for (const v of value) query.append(key, v);
  }
  const url = `https://${hostname}/?${query.toString()}`;
  return {
    token: EKS_TOKEN_PREFIX + Buffer.from(url).toString('base64url'),
    signedAt,
    expiresAt: new Date(signedAt.getTime() + REPORTED_LIFETIME_MS),
  };
}

/** The presigned URL inside a token (for diagnostics and tests); undefined when it is not an EKS token. */
export function eksTokenUrl(token: string): URL | undefined {
  if (!token.startsWith(EKS_TOKEN_PREFIX)) return undefined;
  try {
    return new URL(Buffer.from(token.slice(EKS_TOKEN_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

export interface EksTokenCacheOptions {
  /** Re-sign after this long (default 10 minutes: well inside the 15-minute life, so a long scan never sends a dead token). */
  refreshAfterMs?: number;
  now?: () => Date;
  /** The signer (tests count calls). */
  sign?: (req: EksTokenRequest) => Promise<EksToken>;
}

/**
 * Tokens cached per (region, cluster, credentials identity). The identity is a hash of the
 * credentials, never the credentials themselves, so a rotated session gets a fresh token and no
 * secret sits in a map key. Concurrent requests for the same key share one signing.
 */
export class EksTokenCache {
  private readonly entries = new Map<string, Promise<EksToken>>();
  private readonly refreshAfterMs: number;
  private readonly now: () => Date;
  private readonly sign: (req: EksTokenRequest) => Promise<EksToken>;

  constructor(options: EksTokenCacheOptions = {}) {
    this.refreshAfterMs = options.refreshAfterMs ?? 10 * 60 * 1000;
    this.now = options.now ?? (() => new Date());
    this.sign = options.sign ?? eksToken;
  }

  get size(): number {
    return this.entries.size;
  }

  async get(req: Omit<EksTokenRequest, 'signingDate'>): Promise<string> {
    const key = `${req.region}|${req.clusterName}|${credentialsIdentity(req.credentials)}`;
    const cached = this.entries.get(key);
    if (cached) {
      const token = await cached.catch(() => undefined);
      if (token && this.isFresh(token, req.credentials)) return token.token;
      if (this.entries.get(key) === cached) this.entries.delete(key);
    }
    const pending = this.sign({ ...req, signingDate: this.now() });
    this.entries.set(key, pending);
    try {
      return (await pending).token;
    } catch (e) {
      if (this.entries.get(key) === pending) this.entries.delete(key);
      throw e;
    }
  }

  private isFresh(token: EksToken, credentials: AwsCredentials): boolean {
    const now = this.now().getTime();
    if (now - token.signedAt.getTime() >= this.refreshAfterMs) return false;
    // Temporary credentials about to expire take the token with them.
    if (credentials.expiration && credentials.expiration.getTime() - now < 60_000) return false;
    return true;
  }
}

function credentialsIdentity(c: AwsCredentials): string {
  return createHash('sha256')
    .update(`${c.accessKeyId}\0${c.secretAccessKey}\0${c.sessionToken ?? ''}`)
    .digest('hex')
    .slice(0, 32);
}

export interface EksClusterEndpoint {
  clusterName: string;
  /** DescribeCluster `cluster.endpoint` (https://….eks.amazonaws.com). */
  endpoint: string;
  /** DescribeCluster `cluster.certificateAuthority.data` (base64 of the CA PEM, as EKS returns it). */
  certificateAuthorityData: string;
  /** A token, or a provider asked before every request (e.g. `() => cache.get({...})`) so long scans refresh it. */
  token: string | (() => Promise<string>);
}

/**
 * The API server of an EKS cluster from DescribeCluster data, for the scan-cluster Lambda and
 * `hardline scan --aws`: its endpoint, its CA (the only one trusted) and the EKS token as bearer.
 */
export function eksEndpoint(c: EksClusterEndpoint): BearerEndpoint {
  if (!/^https:\/\//.test(c.endpoint)) throw new Error(`EKS endpoint must be https: ${c.endpoint}`);
  const provider = c.token;
  return {
    name: c.clusterName,
    server: c.endpoint,
    caPem: Buffer.from(c.certificateAuthorityData, 'base64').toString('utf8'),
    token: typeof provider === 'string' ? () => Promise.resolve(provider) : provider,
  };
}
