/**
 * A small fake AWS on 127.0.0.1 speaking the real wire protocols of the operations hardline calls:
 * EKS, Account and GuardDuty (REST-JSON), ECR, Organizations and CloudWatch Logs (JSON 1.1), STS
 * and IAM (query, XML) and EC2 (EC2 query, XML). Clients reach it through AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>, exactly as
 * a user's local endpoint would be reached. Account and region come from the SigV4 credential
 * scope and the access key id, so one server plays a whole organisation.
 */
export type Json = Record<string, unknown>;

export interface FakeEksCluster {
  cluster: Json;
  nodegroups?: Record<string, Json>;
  addons?: Record<string, Json>;
  /** principalArn → associated access policies. */
  accessEntries?: Record<string, Json[]>;
}

export interface FakeLaunchTemplate {
  id: string;
  name: string;
  tags?: Record<string, string>;
  versions: Record<
    number,
    {
      metadataOptions?: { httpTokens?: string; httpPutResponseHopLimit?: number; httpEndpoint?: string };
      keyName?: string;
      networkInterfaces?: { deviceIndex?: number; associatePublicIpAddress?: boolean }[];
    }
  >;
}

export interface FakeRegistry {
  repositories: Json[];
  scanning?: { scanType: string; rules: Json[] };
  lifecyclePolicies?: Record<string, string>;
  repositoryPolicies?: Record<string, string>;
  /** `repo:tag` or `repo@digest` → DescribeImageScanFindings answer (imageScanStatus, imageScanFindings). */
  imageFindings?: Record<string, Json>;
  /** Repository → DescribeImages `imageDetails` (imagePushedAt in epoch seconds, as on the wire). */
  images?: Record<string, Json[]>;
}

/** GetDetector's answer (wire names: status, features[{name, status, additionalConfiguration}]). */
export interface FakeDetector {
  id: string;
  status: string;
  features: Json[];
}

/** A role with its attached managed policies (ARNs) and inline policies (name → document). */
export interface FakeRole {
  attached?: string[];
  inline?: Record<string, Json>;
  boundary?: string;
}

export interface FakeRegion {
  clusters?: Record<string, FakeEksCluster>;
  launchTemplates?: FakeLaunchTemplate[];
  registry?: FakeRegistry;
  /** EC2 subnets (wire names: subnetId, mapPublicIpOnLaunch, vpcId). */
  subnets?: Json[];
  detector?: FakeDetector;
  /** Log group name → retention in days (null: never expire). */
  logGroups?: Record<string, number | null>;
}

export interface FakeAccount {
  id: string;
  name?: string;
  status?: string;
  regions?: Record<string, FakeRegion>;
  /** Enabled regions (account:ListRegions / ec2:DescribeRegions). */
  enabledRegions?: string[];
  /** IAM roles by name; managed policy documents by ARN (AWS managed ones are looked up in every account). */
  roles?: Record<string, FakeRole>;
  policies?: Record<string, Json>;
}

export interface FakeFault {
  /** `service:Operation`, e.g. `eks:ListNodegroups`. */
  op: string;
  account?: string;
  region?: string;
  error: 'AccessDenied' | 'Throttling' | 'Internal';
  /** Only the first N matching calls fail. */
  times?: number;
  hits?: number;
}

export interface FakeAwsWorld {
  callerAccount: string;
  callerAccessKeyId: string;
  accounts: FakeAccount[];
  /** DescribeAddonVersions `addons` (all Kubernetes versions; filtered per request). */
  addonVersions?: Json[];
  /** AssumeRole demands this ExternalId when set. */
  externalId?: string;
  /** Accounts whose role refuses AssumeRole (a broken trust policy). */
  assumeDenied?: string[];
  faults?: FakeFault[];
  /** Page size of every paginated answer (small, so pagination is exercised). */
  pageSize?: number;
}

export interface RecordedCall {
  service: string;
  op: string;
  account: string;
  region: string;
  params: Json;
}

export class FakeError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** XML of the query protocols: list members are `<item>` in EC2, `<member>` in STS and IAM. */
export function toXml(value: unknown, name?: string, member = 'item'): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `<${name}>${value.map((v) => toXml(v, member, member)).join('')}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value as Json)
      .map(([k, v]) => toXml(v, k, member))
      .join('');
    return name ? `<${name}>${inner}</${name}>` : inner;
  }
  return `<${name}>${xmlEscape(String(value))}</${name}>`;
}

export function page<T>(items: readonly T[], token: string | undefined, size: number): { items: T[]; next?: string } {
  const start = token ? Number(token) : 0;
  const end = start + size;
  return end < items.length ? { items: items.slice(start, end), next: String(end) } : { items: items.slice(start) };
}
