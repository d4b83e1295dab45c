import {
  BatchGetRepositoryScanningConfigurationCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetLifecyclePolicyCommand,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  LifecyclePolicyNotFoundException,
  RepositoryPolicyNotFoundException,
  type BatchGetRepositoryScanningConfigurationCommandInput,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { collectEcrRegistry, SCANNING_BATCH_SIZE } from '../../../shared/collectors/aws/ecr-registry.js';

const ecrMock = mockClient(ECRClient);
const ecr = () => new ECRClient({ region: 'eu-west-1' });
const ACCOUNT = '111122223333';
const repo = (name: string) => ({
  repositoryName: name,
  registryId: ACCOUNT,
  imageTagMutability: 'MUTABLE' as const,
  createdAt: new Date('2025-01-01T00:00:00Z'),
});
const denied = (what: string) => Object.assign(new Error(`not authorized to perform: ${what}`), { name: 'AccessDeniedException' });

function registry(names: string[], pageSize = 1000): void {
  const pages = [];
  for (let i = 0; i < names.length; i += pageSize) pages.push(names.slice(i, i + pageSize));
  pages.forEach((p, i) => {
    ecrMock
      .on(DescribeRepositoriesCommand, { nextToken: i === 0 ? undefined : `t${i}` })
      .resolves({ repositories: p.map(repo), ...(i < pages.length - 1 ? { nextToken: `t${i + 1}` } : {}) });
  });
  ecrMock
    .on(GetRegistryScanningConfigurationCommand)
    .resolves({
      registryId: ACCOUNT,
      scanningConfiguration: {
        scanType: 'ENHANCED',
        rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: 'prod-*', filterType: 'WILDCARD' }] }],
      },
    })
    .on(BatchGetRepositoryScanningConfigurationCommand)
    .callsFake(async (input: BatchGetRepositoryScanningConfigurationCommandInput) => ({
      scanningConfigurations: (input.repositoryNames ?? []).map((n) => ({
        repositoryName: n,
        scanOnPush: false,
        scanFrequency: n.startsWith('prod-') ? 'CONTINUOUS_SCAN' : 'MANUAL',
      })),
    }))
    .on(GetLifecyclePolicyCommand)
    .rejects(new LifecyclePolicyNotFoundException({ message: 'Lifecycle policy does not exist', $metadata: {} }))
    .on(GetRepositoryPolicyCommand)
    .rejects(new RepositoryPolicyNotFoundException({ message: 'Repository policy does not exist', $metadata: {} }));
}

beforeEach(() => ecrMock.reset());

describe('collectEcrRegistry', () => {
  it('reads every page of DescribeRepositories and asks scanning configurations in batches of at most 25', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `${i % 2 ? 'prod' : 'dev'}-svc-${String(i).padStart(2, '0')}`);
    registry(names, 20);
    const { ecr: inv, gaps } = await collectEcrRegistry(ecr());
    expect(gaps).toEqual([]);
    expect(inv.repositories?.map((r) => r.repositoryName)).toEqual(names);
    expect(ecrMock).toHaveReceivedCommandTimes(DescribeRepositoriesCommand, 3);
    const batches = ecrMock.commandCalls(BatchGetRepositoryScanningConfigurationCommand).map((c) => c.args[0].input.repositoryNames ?? []);
    expect(batches.map((b) => b.length)).toEqual([25, 25, 10]);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(SCANNING_BATCH_SIZE);
    expect(batches.flat().sort()).toEqual([...names].sort());
    expect(inv.repositories?.find((r) => r.repositoryName === 'prod-svc-01')?.scanningConfiguration).toMatchObject({
      scanFrequency: 'CONTINUOUS_SCAN',
    });
    expect(inv.registryScanning).toEqual({
      scanType: 'ENHANCED',
      rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: 'prod-*', filterType: 'WILDCARD' }] }],
    });
    expect(inv.repositories?.[0]).toMatchObject({
      createdAt: '2025-01-01T00:00:00.000Z',
      lifecyclePolicy: { status: 'absent' },
      repositoryPolicy: { status: 'absent' },
    });
  });

  it('keeps present policies and tells absent (a real answer) from unreadable (a gap)', async () => {
    registry(['a', 'b', 'c']);
    ecrMock.on(GetLifecyclePolicyCommand, { repositoryName: 'a' }).resolves({ lifecyclePolicyText: '{"rules":[{"rulePriority":1}]}' });
    ecrMock.on(GetLifecyclePolicyCommand, { repositoryName: 'c' }).rejects(denied('ecr:GetLifecyclePolicy'));
    ecrMock.on(GetRepositoryPolicyCommand, { repositoryName: 'b' }).resolves({ policyText: '{"Statement":[]}' });
    const { ecr: inv, gaps } = await collectEcrRegistry(ecr());
    const byName = Object.fromEntries((inv.repositories ?? []).map((r) => [r.repositoryName, r]));
    expect(byName['a']?.lifecyclePolicy).toEqual({ status: 'present', text: '{"rules":[{"rulePriority":1}]}' });
    expect(byName['b']?.lifecyclePolicy).toEqual({ status: 'absent' });
    expect(byName['c']?.lifecyclePolicy).toBeUndefined();
    expect(byName['b']?.repositoryPolicy).toEqual({ status: 'present', text: '{"Statement":[]}' });
    expect(gaps).toEqual([
      expect.objectContaining({
        source: 'ecr:lifecycle-policies',
        reason: 'forbidden',
        message: expect.stringContaining('GetLifecyclePolicy c'),
      }),
    ]);
  });

  it('merges per-repository denials of one call into one gap (one finding, not one per repository)', async () => {
    registry(['a', 'b', 'c', 'd']);
    ecrMock.on(GetRepositoryPolicyCommand).rejects(denied('ecr:GetRepositoryPolicy'));
    const { gaps } = await collectEcrRegistry(ecr());
    expect(gaps).toEqual([
      expect.objectContaining({
        source: 'ecr:repository-policies',
        reason: 'forbidden',
        message: expect.stringMatching(/^4 of 4 reads failed/),
      }),
    ]);
  });

  it('reports a denied registry scanning configuration as a gap and still reads everything else', async () => {
    registry(['a']);
    ecrMock.on(GetRegistryScanningConfigurationCommand).rejects(denied('ecr:GetRegistryScanningConfiguration'));
    const { ecr: inv, gaps } = await collectEcrRegistry(ecr());
    expect(inv.registryScanning).toBeUndefined();
    expect(inv.repositories).toHaveLength(1);
    expect(gaps).toEqual([expect.objectContaining({ source: 'ecr:scanning-configuration', reason: 'forbidden' })]);
  });

  it('returns no repositories and an ecr:repositories gap when DescribeRepositories is denied', async () => {
    ecrMock.on(DescribeRepositoriesCommand).rejects(denied('ecr:DescribeRepositories'));
    const { ecr: inv, gaps } = await collectEcrRegistry(ecr());
    expect(inv.repositories).toBeUndefined();
    expect(gaps).toEqual([expect.objectContaining({ source: 'ecr:repositories', reason: 'forbidden' })]);
    expect(ecrMock).not.toHaveReceivedCommand(GetLifecyclePolicyCommand);
  });

  it('marks throttling beyond the SDK retries as throttled, not as a denial', async () => {
    registry(['a']);
    ecrMock
      .on(BatchGetRepositoryScanningConfigurationCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const { gaps } = await collectEcrRegistry(ecr());
    expect(gaps).toEqual([expect.objectContaining({ source: 'ecr:scanning-configuration', reason: 'throttled' })]);
  });
});
