import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EKS_TOKEN_PREFIX,
  EksTokenCache,
  eksToken,
  eksTokenUrl,
  eksEndpoint,
  stsHostname,
  type EksToken,
  type EksTokenRequest,
} from '../../shared/collectors/eks-token.js';
import { viaBearerToken } from '../../shared/collectors/kubernetes/bearer-http.js';
import { collectKubernetesInventory } from '../../shared/collectors/kubernetes/index.js';
import { K8sApiServer } from '../support/k8s-api-server.js';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzE/session+token==',
};
const signingDate = new Date('2026-01-02T03:04:05Z');

/** RFC 3986 encoding, as SigV4 canonical query strings require. */
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * Re-derives the SigV4 query signature from the URL alone (the check STS itself makes), written
 * from the AWS SigV4 specification independently of @smithy/signature-v4.
 */
function expectedSignature(url: URL, clusterName: string, secret: string): string {
  const params = [...url.searchParams.entries()].filter(([k]) => k !== 'X-Amz-Signature');
  const canonicalQuery = params
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [
    'GET',
    '/',
    canonicalQuery,
    `host:${url.host}`,
    `x-k8s-aws-id:${clusterName}`,
    '',
    'host;x-k8s-aws-id',
    createHash('sha256').update('').digest('hex'),
  ].join('\n');
  const amzDate = url.searchParams.get('X-Amz-Date')!;
  const scope = url.searchParams.get('X-Amz-Credential')!.split('/').slice(1).join('/');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const [date, region, service] = scope.split('/');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date!), region!), service!), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

describe('eksToken', () => {
  it('is k8s-aws-v1. + unpadded base64url of a presigned STS GetCallerIdentity URL of the known shape', async () => {
    const { token, signedAt, expiresAt } = await eksToken({ clusterName: 'prod-eu', region: 'eu-west-1', credentials, signingDate });
    expect(token.startsWith(EKS_TOKEN_PREFIX)).toBe(true);
    const encoded = token.slice(EKS_TOKEN_PREFIX.length);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/); // base64url alphabet, no '=' padding
    const url = eksTokenUrl(token)!;
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe('https://sts.eu-west-1.amazonaws.com/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20260102/eu-west-1/sts/aws4_request',
      'X-Amz-Date': '20260102T030405Z',
      'X-Amz-Expires': '60',
      'X-Amz-Security-Token': credentials.sessionToken,
      'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
      'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(signedAt).toEqual(signingDate);
    expect(expiresAt.getTime() - signingDate.getTime()).toBe(14 * 60 * 1000);
  });

  it('signs the x-k8s-aws-id header: the signature verifies for its cluster and no other', async () => {
    const { token } = await eksToken({ clusterName: 'prod-eu', region: 'eu-west-1', credentials, signingDate });
    const url = eksTokenUrl(token)!;
    const signature = url.searchParams.get('X-Amz-Signature');
    expect(signature).toBe(expectedSignature(url, 'prod-eu', credentials.secretAccessKey));
    expect(signature).not.toBe(expectedSignature(url, 'prod-us', credentials.secretAccessKey));
    const other = await eksToken({ clusterName: 'prod-us', region: 'eu-west-1', credentials, signingDate });
    expect(eksTokenUrl(other.token)!.searchParams.get('X-Amz-Signature')).not.toBe(signature);
  });

  it('works without a session token (long-term keys) and is deterministic for a fixed date', async () => {
    const req = { clusterName: 'c', region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, signingDate };
    const a = await eksToken(req);
    const b = await eksToken(req);
    expect(a.token).toBe(b.token);
    const url = eksTokenUrl(a.token)!;
    expect(url.searchParams.has('X-Amz-Security-Token')).toBe(false);
    expect(url.searchParams.get('X-Amz-Signature')).toBe(expectedSignature(url, 'c', 'secret'));
  });

  it("presigns for the regional STS host of the region's partition: aws-cn is amazonaws.com.cn, aws-us-gov amazonaws.com", async () => {
    for (const [region, host] of [
      ['eu-west-1', 'sts.eu-west-1.amazonaws.com'],
      ['cn-north-1', 'sts.cn-north-1.amazonaws.com.cn'],
      ['cn-northwest-1', 'sts.cn-northwest-1.amazonaws.com.cn'],
      ['us-gov-west-1', 'sts.us-gov-west-1.amazonaws.com'],
      ['us-iso-east-1', 'sts.us-iso-east-1.c2s.ic.gov'],
    ] as const) {
      expect(stsHostname(region)).toBe(host);
      const { token } = await eksToken({ clusterName: 'c', region, credentials, signingDate });
      const url = eksTokenUrl(token)!;
      expect(url.host, region).toBe(host);
      // The signature covers that host (SigV4's canonical request names it), with the region in the scope.
      expect(url.searchParams.get('X-Amz-Credential')).toBe(`AKIDEXAMPLE/20260102/${region}/sts/aws4_request`);
      expect(url.searchParams.get('X-Amz-Signature')).toBe(expectedSignature(url, 'c', credentials.secretAccessKey));
    }
  });

  it('rejects missing cluster or region; eksTokenUrl rejects non-EKS tokens', async () => {
    await expect(eksToken({ clusterName: '', region: 'eu-west-1', credentials })).rejects.toThrow(/clusterName/);
    await expect(eksToken({ clusterName: 'c', region: '', credentials })).rejects.toThrow(/region/);
    expect(eksTokenUrl('Bearer abc')).toBeUndefined();
  });
});

describe('EksTokenCache', () => {
  const counting = () => {
    const calls: EksTokenRequest[] = [];
    const sign = async (req: EksTokenRequest): Promise<EksToken> => {
      calls.push(req);
      return eksToken(req);
    };
    return { calls, sign };
  };

  it('reuses a token below the refresh age and re-signs after it (well inside the 15-minute life)', async () => {
    let now = new Date('2026-01-02T03:00:00Z');
    const { calls, sign } = counting();
    const cache = new EksTokenCache({ now: () => now, sign });
    const req = { clusterName: 'c', region: 'eu-west-1', credentials };
    const first = await cache.get(req);
    now = new Date(now.getTime() + 9 * 60 * 1000);
    expect(await cache.get(req)).toBe(first);
    expect(calls).toHaveLength(1);
    now = new Date(now.getTime() + 60 * 1000 + 1);
    const second = await cache.get(req);
    expect(second).not.toBe(first);
    expect(calls).toHaveLength(2);
    expect(eksTokenUrl(second)!.searchParams.get('X-Amz-Date')).toBe('20260102T031000Z');
  });

  it('keys by cluster, region and credentials identity, without storing the secret in a key', async () => {
    const { calls, sign } = counting();
    const cache = new EksTokenCache({ sign });
    await cache.get({ clusterName: 'a', region: 'eu-west-1', credentials });
    await cache.get({ clusterName: 'b', region: 'eu-west-1', credentials });
    await cache.get({ clusterName: 'a', region: 'us-east-1', credentials });
    await cache.get({ clusterName: 'a', region: 'eu-west-1', credentials: { ...credentials, sessionToken: 'rotated' } });
    await cache.get({ clusterName: 'a', region: 'eu-west-1', credentials });
    expect(calls).toHaveLength(4);
    expect(cache.size).toBe(4);
    const keys = [...(cache as unknown as { entries: Map<string, unknown> }).entries.keys()].join(' ');
    expect(keys).not.toContain(credentials.secretAccessKey);
    expect(keys).not.toContain(credentials.sessionToken);
  });

  it('shares one signing between concurrent callers, re-signs when credentials are about to expire, and does not cache failures', async () => {
    let now = new Date('2026-01-02T03:00:00Z');
    const { calls, sign } = counting();
    const cache = new EksTokenCache({ now: () => now, sign });
    const req = { clusterName: 'c', region: 'eu-west-1', credentials: { ...credentials, expiration: new Date('2026-01-02T03:05:00Z') } };
    const [a, b] = await Promise.all([cache.get(req), cache.get(req)]);
    expect(a).toBe(b);
    expect(calls).toHaveLength(1);
    now = new Date('2026-01-02T03:04:30Z'); // 30 s before the credentials expire
    await cache.get(req);
    expect(calls).toHaveLength(2);

    let fail = true;
    const flaky = new EksTokenCache({ sign: async (r) => (fail ? Promise.reject(new Error('no credentials')) : eksToken(r)) });
    await expect(flaky.get(req)).rejects.toThrow('no credentials');
    fail = false;
    await expect(flaky.get(req)).resolves.toMatch(/^k8s-aws-v1\./);
  });
});

describe('eksEndpoint', () => {
  let server: K8sApiServer;
  beforeAll(async () => {
    server = await K8sApiServer.start();
    server.addCluster('eks', { objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }] });
  });
  afterAll(() => server.close());

  it('connects with DescribeCluster endpoint + CA and sends the (cached) EKS token as bearer on every request', async () => {
    const { calls, sign } = (() => {
      const c: EksTokenRequest[] = [];
      return { calls: c, sign: async (r: EksTokenRequest) => (c.push(r), eksToken(r)) };
    })();
    const cache = new EksTokenCache({ sign });
    let asked = 0;
    const endpoint = eksEndpoint({
      clusterName: 'prod-eu',
      endpoint: server.url('eks'),
      certificateAuthorityData: server.caData,
      token: () => (asked++, cache.get({ clusterName: 'prod-eu', region: 'eu-west-1', credentials })),
    });
    const inv = await collectKubernetesInventory(viaBearerToken(endpoint), {
      target: { kind: 'cluster', name: 'prod-eu', region: 'eu-west-1' },
    });
    expect(inv.resources.map((o) => o.metadata?.name)).toEqual(['default']);
    const auth = new Set(server.cluster('eks').requests.map((r) => r.authorization));
    expect(auth.size).toBe(1);
    const [header] = [...auth];
    expect(header).toMatch(/^Bearer k8s-aws-v1\.[A-Za-z0-9_-]+$/);
    expect(eksTokenUrl(header!.slice('Bearer '.length))!.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(asked).toBe(server.cluster('eks').requests.length);
    expect(calls).toHaveLength(1);
  });

  it('accepts a fixed token, and refuses a non-https endpoint', async () => {
    const endpoint = eksEndpoint({
      clusterName: 'c',
      endpoint: server.url('eks'),
      certificateAuthorityData: server.caData,
      token: 'k8s-aws-v1.fixed',
    });
    const inv = await collectKubernetesInventory(viaBearerToken(endpoint));
    expect(inv.target.name).toBe('c');
    expect(server.cluster('eks').requests.at(-1)!.authorization).toBe('Bearer k8s-aws-v1.fixed');
    expect(() => eksEndpoint({ clusterName: 'c', endpoint: 'http://x', certificateAuthorityData: '', token: 't' })).toThrow(/https/);
  });
});
