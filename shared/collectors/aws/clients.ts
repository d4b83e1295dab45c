import { AccountClient } from '@aws-sdk/client-account';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EKSClient } from '@aws-sdk/client-eks';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { IAMClient } from '@aws-sdk/client-iam';
import { Inspector2Client } from '@aws-sdk/client-inspector2';
import type { SessionCredentials } from './sessions.js';

/** A credential provider as SDK clients accept it (static or refreshed on demand). */
export type CredentialProvider = () => Promise<SessionCredentials>;

/** The SDK clients a scan needs, per account and region. Collectors receive clients; only a factory builds them. */
export interface AwsClientFactory {
  eks(accountId: string, region: string): EKSClient;
  ecr(accountId: string, region: string): ECRClient;
  /** Loaded on first use: the EC2 client is the Lambda runtime's (infra/constructs/scanner-function.ts). */
  ec2(accountId: string, region: string): Promise<EC2Client>;
  /** Inspector findings of ECR images under enhanced scanning (the registry's own account). */
  inspector(accountId: string, region: string): Inspector2Client;
  guardDuty(accountId: string, region: string): GuardDutyClient;
  logs(accountId: string, region: string): CloudWatchLogsClient;
  /** IAM is global; the region only selects the partition's endpoint. */
  iam(accountId: string, region: string): IAMClient;
  account(accountId: string): AccountClient;
  /** Credentials of the account (undefined = the SDK's default chain), e.g. to sign an EKS token. */
  credentials(accountId: string): CredentialProvider | undefined;
}

/**
 * Connection and response timeouts: an endpoint that blackholes packets (a region without a route,
 * a proxy that never answers) must become a timeout gap, not a scan that hangs for minutes.
 */
export const REQUEST_TIMEOUTS = { connectionTimeout: 5_000, requestTimeout: 60_000 } as const;

export interface SdkClientSettings {
  /** Default region for global calls (account:ListRegions). */
  region: string;
  maxAttempts: number;
  /** Credentials per account; undefined → the SDK's default chain (profiles, env, SSO, IMDS). */
  credentialsFor?: (accountId: string) => CredentialProvider | undefined;
}

/**
 * Real SDK clients, one per (service, account, region), built with only region, credentials,
 * retry settings and timeouts: endpoints come from the SDK's own configuration (AWS_ENDPOINT_URL,
 * AWS_ENDPOINT_URL_<SERVICE>, profiles), never from hardline. Adaptive retry mode adds client-side
 * rate limiting on top of the retries, which is what a 200-account scan needs against throttling.
 */
export function createSdkClientFactory(settings: SdkClientSettings): AwsClientFactory {
  const cache = new Map<string, unknown>();
  const config = (accountId: string, region: string) => {
    const credentials = settings.credentialsFor?.(accountId);
    return {
      region,
      retryMode: 'adaptive',
      maxAttempts: settings.maxAttempts,
      requestHandler: REQUEST_TIMEOUTS,
      ...(credentials ? { credentials } : {}),
    };
  };
  const memo = <T>(key: string, build: () => T): T => {
    let client = cache.get(key) as T | undefined;
    if (!client) cache.set(key, (client = build()));
    return client;
  };
  return {
    eks: (a, r) => memo(`eks|${a}|${r}`, () => new EKSClient(config(a, r))),
    ecr: (a, r) => memo(`ecr|${a}|${r}`, () => new ECRClient(config(a, r))),
    ec2: (a, r) => memo(`ec2|${a}|${r}`, async () => new (await import('@aws-sdk/client-ec2')).EC2Client(config(a, r))),
    inspector: (a, r) => memo(`inspector2|${a}|${r}`, () => new Inspector2Client(config(a, r))),
    guardDuty: (a, r) => memo(`guardduty|${a}|${r}`, () => new GuardDutyClient(config(a, r))),
    logs: (a, r) => memo(`logs|${a}|${r}`, () => new CloudWatchLogsClient(config(a, r))),
    iam: (a, r) => memo(`iam|${a}|${r}`, () => new IAMClient(config(a, r))),
    account: (a) => memo(`account|${a}`, () => new AccountClient(config(a, settings.region))),
    credentials: (a) => settings.credentialsFor?.(a),
  };
}
