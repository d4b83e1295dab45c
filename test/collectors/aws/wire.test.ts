import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSdkClientFactory } from '../../../shared/collectors/aws/clients.js';
import { collectAwsTargets } from '../../../shared/collectors/aws/targets.js';
import { FakeAws, type FakeAwsWorld } from './fake-aws.js';

/**
 * Through the real SDK stack (serialisation, SigV4, adaptive retry) against the fake AWS endpoint:
 * what aws-sdk-client-mock cannot show, because it replaces `send` and with it the retry middleware.
 */
const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const world: FakeAwsWorld = {
  callerAccount: ACCOUNT,
  callerAccessKeyId: 'AKIAFAKEWIRETEST0001',
  pageSize: 2,
  accounts: [
    {
      id: ACCOUNT,
      regions: {
        [REGION]: {
          clusters: Object.fromEntries(
            ['a', 'b', 'c', 'd', 'e'].map((n) => [
              n,
              { cluster: { name: n, version: '1.34', accessConfig: { authenticationMode: 'API' } } },
            ]),
          ),
          registry: { repositories: Array.from({ length: 30 }, (_, i) => ({ repositoryName: `svc-${i}`, registryId: ACCOUNT })) },
        },
      },
    },
  ],
  faults: [],
};
let fake: FakeAws;
const saved = { ...process.env };

beforeAll(async () => {
  fake = await FakeAws.start(world);
  Object.assign(process.env, fake.env(REGION));
});
afterAll(async () => {
  process.env = saved;
  await fake.close();
});

function scan(maxAttempts: number) {
  return collectAwsTargets([ACCOUNT], { clients: createSdkClientFactory({ region: REGION, maxAttempts }), regions: [REGION] });
}

describe('AWS collectors on the wire', () => {
  it('reaches the endpoint set by AWS_ENDPOINT_URL_<SERVICE>, follows pagination and batches 30 repositories as 25 + 5', async () => {
    fake.calls.length = 0;
    const out = await scan(3);
    const names = out.flatMap((t) => ('inventory' in t ? [t.inventory.target.name] : []));
    expect(names.filter((n) => n.length === 1).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(fake.callsTo('eks:ListClusters').map((c) => c.params['nextToken'] ?? null)).toEqual([null, '2', '4']);
    expect(fake.callsTo('ecr:DescribeRepositories')).toHaveLength(15);
    expect(
      fake
        .callsTo('ecr:BatchGetRepositoryScanningConfiguration')
        .map((c) => (c.params['repositoryNames'] as string[]).length)
        .sort(),
    ).toEqual([25, 5]);
    expect(new Set(fake.calls.map((c) => c.region))).toEqual(new Set([REGION]));
  });

  it('retries a throttled call (adaptive retry mode) and the scan succeeds', async () => {
    fake.calls.length = 0;
    world.faults = [{ op: 'eks:DescribeCluster', error: 'Throttling', times: 1 }];
    const out = await scan(3);
    expect(out.every((t) => 'inventory' in t)).toBe(true);
    expect(fake.callsTo('eks:DescribeCluster')).toHaveLength(6);
  });

  it('marks the target UNKNOWN (throttled) when throttling outlasts the retries, and scans the others', async () => {
    fake.calls.length = 0;
    world.faults = [{ op: 'ecr:DescribeRepositories', error: 'Throttling' }];
    const out = await scan(2);
    const registry = out.find((t) => 'failure' in t && t.target.kind === 'registry');
    expect(registry).toMatchObject({ failure: { status: 'UNKNOWN', reason: expect.stringContaining('ThrottlingException') } });
    expect(fake.callsTo('ecr:DescribeRepositories')).toHaveLength(2);
    expect(out.filter((t) => 'inventory' in t)).toHaveLength(5);
  });

  it('turns an AccessDenied on one call into a gap of that source only', async () => {
    world.faults = [{ op: 'eks:ListAddons', error: 'AccessDenied', account: ACCOUNT }];
    const out = await scan(2);
    const a = out.find((t) => 'inventory' in t && t.inventory.target.name === 'a');
    expect(a && 'inventory' in a ? a.inventory.gaps : []).toEqual([expect.objectContaining({ source: 'eks:addons', reason: 'forbidden' })]);
    expect(a && 'inventory' in a ? a.inventory.eks?.nodegroups : undefined).toEqual([]);
    world.faults = [];
  });
});
