import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport, ScanReportJson } from '../../shared/engine/report.js';
import { FakeAws, type FakeAwsWorld, type Json } from '../collectors/aws/fake-aws.js';
import { runMainInProcess } from '../support/cli-async.js';
import { K8sApiServer } from '../support/k8s-api-server.js';

/**
 * `hardline scan --aws --targets …`: the real CLI against the local fake AWS.
 * Only the named targets are read, through the same collectors as a full scan — no ListClusters,
 * no registry unless asked — and a target that is not one is a usage error (exit 2).
 */
const ME = '111122223333';
const REGION = 'eu-west-1';
const REG = `${ME}.dkr.ecr.${REGION}.amazonaws.com`;

/** The CLI in this process (an AWS scan needs nothing of the parent's configuration: every endpoint is the fake). */
const runCli = (args: string[], env: Record<string, string>) =>
  runMainInProcess(args, {
    ...env,
    HOME: '/nonexistent-home',
    AWS_CONFIG_FILE: '/nonexistent/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    AWS_PROFILE: undefined,
    AWS_SESSION_TOKEN: undefined,
    NO_COLOR: '1',
  });

function world(k8s: K8sApiServer): FakeAwsWorld {
  const cluster = (name: string, over: Json): Json => ({
    name,
    arn: `arn:aws:eks:${REGION}:${ME}:cluster/${name}`,
    status: 'ACTIVE',
    version: '1.33',
    certificateAuthority: { data: k8s.caData },
    logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true }] },
    accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
    ...over,
  });
  return {
    callerAccount: ME,
    callerAccessKeyId: 'AKIAFAKECLITARGETS01',
    externalId: 'ext-1',
    pageSize: 5,
    accounts: [
      {
        id: ME,
        enabledRegions: [REGION],
        regions: {
          [REGION]: {
            clusters: {
              prod: {
                cluster: cluster('prod', {
                  endpoint: k8s.url('prod'),
                  resourcesVpcConfig: { endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
                }),
              },
              dev: {
                cluster: cluster('dev', {
                  endpoint: k8s.url('dev'),
                  resourcesVpcConfig: { endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ['203.0.113.0/24'] },
                }),
              },
            },
            registry: {
              repositories: [
                {
                  repositoryName: 'shop/web',
                  registryId: ME,
                  imageTagMutability: 'MUTABLE',
                  encryptionConfiguration: { encryptionType: 'AES256' },
                },
              ],
            },
          },
        },
      },
    ],
  };
}

let fake: FakeAws;
let k8s: K8sApiServer;
beforeAll(async () => {
  k8s = await K8sApiServer.start();
  for (const name of ['prod', 'dev'])
    k8s.addCluster(name, { objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }] });
  fake = await FakeAws.start(world(k8s));
});
afterAll(async () => {
  await fake?.close();
  await k8s?.close();
});

const targetsOf = (stdout: string) => (JSON.parse(stdout) as ScanReport).scan.targets.map((t) => `${t.kind}/${t.name}`).sort();

describe('hardline scan --aws --targets', () => {
  it('cluster:prod → only that cluster, its EKS data and its Kubernetes API: no ListClusters, no other cluster, no ECR', async () => {
    fake.calls.length = 0;
    const r = await runCli(['scan', '--aws', '--targets', 'cluster:prod', '--format', 'json'], fake.env(REGION));
    expect(r.code, r.stderr).toBe(1);
    expect(targetsOf(r.stdout)).toEqual(['cluster/prod']);
    expect(fake.callsTo('eks:ListClusters')).toEqual([]);
    expect(fake.callsTo('eks:DescribeCluster').map((c) => c.params['name'])).toEqual(['prod']);
    expect(fake.calls.filter((c) => c.service === 'ecr')).toEqual([]);
    const report = JSON.parse(r.stdout) as ScanReportJson;
    expect(report.results.find((x) => x.controlId === 'eks.endpoint-public-access')?.status).toBe('FAIL');
  });

  it("registry → only the account's registry; cluster:dev,registry → both, still without listing", async () => {
    fake.calls.length = 0;
    const reg = await runCli(['scan', '--aws', '--targets', 'registry', '--format', 'json'], fake.env(REGION));
    expect(targetsOf(reg.stdout)).toEqual([`registry/${REG}`]);
    expect(fake.calls.filter((c) => c.service === 'eks')).toEqual([]);
    fake.calls.length = 0;
    const both = await runCli(['scan', '--aws', '--targets', 'cluster:dev,registry', '--format', 'json'], fake.env(REGION));
    expect(targetsOf(both.stdout)).toEqual(['cluster/dev', `registry/${REG}`]);
    expect(fake.callsTo('eks:ListClusters')).toEqual([]);
  });

  it('exit 2 for a target that is not one: unknown syntax, a cluster no region knows, --targets without --aws', async () => {
    const syntax = await runCli(['scan', '--aws', '--targets', 'pod:web'], fake.env(REGION));
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/--targets: unknown target 'pod:web'/);
    const missing = await runCli(['scan', '--aws', '--targets', 'cluster:prdo', '--format', 'json'], fake.env(REGION));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no cluster named prdo/);
    expect(missing.stdout).toBe('');
    const noAws = await runCli(['scan', 'examples/', '--targets', 'registry'], fake.env(REGION));
    expect(noAws.code).toBe(2);
    expect(noAws.stderr).toMatch(/--targets only appl/);
  });
});
