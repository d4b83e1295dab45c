import { Logger } from '@aws-lambda-powertools/logger';
import {
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  DescribeClusterCommand,
  EKSClient,
  ListClustersCommand,
} from '@aws-sdk/client-eks';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createOnboardHandler } from '../../functions/onboard-clusters/handler.js';
import type { OnboardingMode } from '../../shared/cluster-access/onboarding-commands.js';
import { onboardingDeps } from '../../shared/onboarding/deps.js';
import { runOnboarding } from '../../shared/onboarding/input.js';
import { decideOnboarding, onboardCluster } from '../../shared/onboarding/onboard.js';
import type { OnboardingDeps, SweepReport } from '../../shared/onboarding/sweep.js';

const eksMock = mockClient(EKSClient);
const OPTED_IN = '444455556666';
const ALSO_IN = '777788889999';
const NOT_IN = '121212121212';
const ADMIN_VIEW = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy';
const roleOf = (account: string) => `arn:aws:iam::${account}:role/hardline-read`;

/** Clusters per account and region, with their status and authentication mode. */
const WORLD: Record<string, Record<string, { name: string; status: string; authenticationMode: string }[]>> = {
  [OPTED_IN]: {
    'eu-west-1': [
      { name: 'payments', status: 'ACTIVE', authenticationMode: 'API' },
      { name: 'legacy', status: 'ACTIVE', authenticationMode: 'CONFIG_MAP' },
    ],
    'us-east-1': [{ name: 'fresh', status: 'CREATING', authenticationMode: 'API_AND_CONFIG_MAP' }],
  },
  [ALSO_IN]: { 'eu-west-1': [{ name: 'search', status: 'ACTIVE', authenticationMode: 'API_AND_CONFIG_MAP' }], 'us-east-1': [] },
};
const owner = new WeakMap<object, { account: string; region: string }>();
const existing = new Set<string>();

function installEks(): void {
  const where = (getClient: () => unknown) => owner.get(getClient() as object)!;
  eksMock.on(ListClustersCommand).callsFake(async (_: unknown, getClient: () => unknown) => {
    const w = where(getClient);
    return { clusters: (WORLD[w.account]?.[w.region] ?? []).map((c) => c.name) };
  });
  eksMock.on(DescribeClusterCommand).callsFake(async (input: { name: string }, getClient: () => unknown) => {
    const w = where(getClient);
    const c = WORLD[w.account]?.[w.region]?.find((x) => x.name === input.name);
    if (!c) throw Object.assign(new Error(`No cluster found for name: ${input.name}.`), { name: 'ResourceNotFoundException' });
    return { cluster: { name: c.name, status: c.status, accessConfig: { authenticationMode: c.authenticationMode } } };
  });
  eksMock.on(CreateAccessEntryCommand).callsFake(async (input: { clusterName: string; principalArn: string }, getClient: () => unknown) => {
    const key = `${where(getClient).account}/${input.clusterName}/${input.principalArn}`;
    if (existing.has(key))
      throw Object.assign(new Error('The specified access entry resource is already in use on this cluster.'), {
        name: 'ResourceInUseException',
      });
    existing.add(key);
    return { accessEntry: { clusterName: input.clusterName, principalArn: input.principalArn } };
  });
  eksMock.on(AssociateAccessPolicyCommand).resolves({});
}

function deps(mode: OnboardingMode = 'readers-group', accounts = [OPTED_IN, ALSO_IN, NOT_IN]): OnboardingDeps {
  const clients = new Map<string, EKSClient>();
  return {
    context: { mode, partition: 'aws', memberRoleName: 'hardline-read' },
    regions: ['eu-west-1', 'us-east-1'],
    accounts: async () => accounts,
    // Only accounts in an opted-in OU have the onboarding role.
    openSession: async (a) => {
      if (!(a in WORLD))
        throw Object.assign(
          new Error(`not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${a}:role/hardline-read-onboarding`),
          { name: 'AccessDenied' },
        );
      return {};
    },
    eks: (account, region) => {
      const key = `${account}|${region}`;
      let c = clients.get(key);
      if (!c) {
        c = new EKSClient({ region });
        owner.set(c, { account, region });
        clients.set(key, c);
      }
      return c;
    },
  };
}

beforeEach(() => {
  eksMock.reset();
  existing.clear();
  installEks();
});

describe('onboarding decisions (pure)', () => {
  const c = { name: 'x', region: 'eu-west-1' };
  it('onboards ACTIVE clusters that take access entries, waits for creating ones, reports CONFIG_MAP-only ones with the step', () => {
    expect(decideOnboarding(c, { status: 'ACTIVE', authenticationMode: 'API' })).toEqual({ action: 'onboard' });
    expect(decideOnboarding(c, { status: 'ACTIVE', authenticationMode: 'API_AND_CONFIG_MAP' })).toEqual({ action: 'onboard' });
    expect(decideOnboarding(c, { status: 'CREATING' })).toMatchObject({ action: 'wait' });
    expect(decideOnboarding(c, { status: 'DELETING' })).toMatchObject({ action: 'skip' });
    expect(decideOnboarding(c, { status: 'ACTIVE', authenticationMode: 'CONFIG_MAP' })).toEqual({
      action: 'report',
      reason: expect.stringMatching(/aws-auth ConfigMap only/),
      step: expect.stringContaining(
        'aws eks update-cluster-config --region eu-west-1 --name x --access-config authenticationMode=API_AND_CONFIG_MAP',
      ),
    });
  });
});

describe('onboarding a cluster', () => {
  const payments = { accountId: OPTED_IN, region: 'eu-west-1', name: 'payments' };

  it('readers-group: an access entry mapping the read role into hardline-readers, and no access policy', async () => {
    const d = deps('readers-group');
    const r = await onboardCluster(d.eks(OPTED_IN, 'eu-west-1'), payments, d.context);
    expect(r).toMatchObject({ outcome: 'onboarded', step: expect.stringContaining('apply -f deploy/hardline-readers.yaml') });
    expect(eksMock).toHaveReceivedCommandWith(CreateAccessEntryCommand, {
      clusterName: 'payments',
      principalArn: roleOf(OPTED_IN),
      type: 'STANDARD',
      kubernetesGroups: ['hardline-readers'],
    });
    expect(eksMock).toHaveReceivedCommandTimes(AssociateAccessPolicyCommand, 0);
  });

  it('eks-policy: an access entry without groups, and AmazonEKSAdminViewPolicy at cluster scope', async () => {
    const d = deps('eks-policy');
    const r = await onboardCluster(d.eks(OPTED_IN, 'eu-west-1'), payments, d.context);
    expect(r).toMatchObject({ outcome: 'onboarded', message: expect.stringContaining(ADMIN_VIEW) });
    expect(r.step).toBeUndefined();
    const create = eksMock.commandCalls(CreateAccessEntryCommand)[0]!.args[0].input;
    expect(create).toEqual({ clusterName: 'payments', principalArn: roleOf(OPTED_IN), type: 'STANDARD' });
    expect(eksMock).toHaveReceivedCommandWith(AssociateAccessPolicyCommand, {
      clusterName: 'payments',
      principalArn: roleOf(OPTED_IN),
      policyArn: ADMIN_VIEW,
      accessScope: { type: 'cluster' },
    });
  });

  it('an existing entry is left as it is (already-onboarded); in eks-policy mode the policy is still associated', async () => {
    existing.add(`${OPTED_IN}/payments/${roleOf(OPTED_IN)}`);
    const d = deps('eks-policy');
    expect(await onboardCluster(d.eks(OPTED_IN, 'eu-west-1'), payments, d.context)).toMatchObject({ outcome: 'already-onboarded' });
    expect(eksMock).toHaveReceivedCommandTimes(AssociateAccessPolicyCommand, 1);
  });

  it('a CONFIG_MAP-only cluster gets no call that would fail: it is reported with the step to take', async () => {
    const d = deps();
    const r = await onboardCluster(d.eks(OPTED_IN, 'eu-west-1'), { ...payments, name: 'legacy' }, d.context);
    expect(r).toMatchObject({
      outcome: 'config-map-only',
      step: expect.stringContaining('--name legacy --access-config authenticationMode=API_AND_CONFIG_MAP'),
    });
    expect(eksMock).toHaveReceivedCommandTimes(CreateAccessEntryCommand, 0);
  });
});

describe('the sweep over opted-in accounts', () => {
  it('onboards every existing cluster of opted-in accounts, skips accounts without the onboarding role, lists what needs a person', async () => {
    const report = (await runOnboarding({ sweep: true }, deps(), () => {})) as SweepReport;
    expect(report.accounts).toBe(3);
    expect(report.notOptedIn.map((n) => n.accountId)).toEqual([NOT_IN]);
    expect(report.counts).toMatchObject({ onboarded: 2, 'config-map-only': 1, 'not-ready': 1, failed: 0 });
    // Newly onboarded readers-group clusters are listed too: their ClusterRole must still reach the cluster.
    expect(report.attention.map((a) => `${a.accountId}/${a.cluster}:${a.outcome}`).sort()).toEqual([
      `${OPTED_IN}/fresh:not-ready`,
      `${OPTED_IN}/legacy:config-map-only`,
      `${OPTED_IN}/payments:onboarded`,
      `${ALSO_IN}/search:onboarded`,
    ]);
    // A second sweep changes nothing: the entries exist.
    const again = (await runOnboarding({ sweep: true }, deps(), () => {})) as SweepReport;
    expect(again.counts).toMatchObject({ onboarded: 0, 'already-onboarded': 2 });
  });
});

describe('new clusters (CreateCluster events through the queue)', () => {
  const event = (account: string, region: string, name: string) => ({
    version: '0',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.eks',
    account,
    region,
    detail: { eventSource: 'eks.amazonaws.com', eventName: 'CreateCluster', requestParameters: { name, version: '1.35' } },
  });
  const batch = (...bodies: unknown[]) => ({
    Records: bodies.map((b, i) => ({ messageId: `m${i}`, body: typeof b === 'string' ? b : JSON.stringify(b) })),
  });

  it('onboards an ACTIVE cluster, returns a still CREATING one and a malformed message to the queue (retried, then DLQ)', async () => {
    const out = await runOnboarding(
      batch(
        event(ALSO_IN, 'eu-west-1', 'search'),
        event(OPTED_IN, 'us-east-1', 'fresh'),
        '{"not":"an event"}',
        event(NOT_IN, 'eu-west-1', 'x'),
      ),
      deps(),
      () => {},
    );
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }] });
    expect(eksMock).toHaveReceivedCommandWith(CreateAccessEntryCommand, { clusterName: 'search', principalArn: roleOf(ALSO_IN) });
  });

  it('the handler takes the scheduled sweep and refuses anything else', async () => {
    const handler = createOnboardHandler(() => deps(), new Logger({ serviceName: 'test', logLevel: 'SILENT' }));
    const context = { functionName: 'onboard', awsRequestId: 'r', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
    expect(await handler({ sweep: true }, context)).toMatchObject({ counts: { onboarded: 2 } });
    await expect(handler({ sweep: 'yes' }, context)).rejects.toMatchObject({ name: 'InputError' });
  });
});

describe("the function's environment (what ClusterOnboarding sets)", () => {
  it('reads mode, regions and the member role; refuses a wrong value naming it', () => {
    const d = onboardingDeps({
      AWS_REGION: 'eu-west-1',
      HARDLINE_ORG_MODE: 'account',
      HARDLINE_ACCOUNT_ID: OPTED_IN,
      HARDLINE_REGIONS: 'eu-west-1,us-east-1',
      HARDLINE_ONBOARDING_MODE: 'eks-policy',
      HARDLINE_MEMBER_ROLE_NAME: 'acme-read',
    });
    expect(d.context).toEqual({ mode: 'eks-policy', partition: 'aws', memberRoleName: 'acme-read' });
    expect(d.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(d.eks(OPTED_IN, 'us-east-1')).toBe(d.eks(OPTED_IN, 'us-east-1'));
    expect(() => onboardingDeps({ AWS_REGION: 'eu-west-1', HARDLINE_REGIONS: 'eu-west-1', HARDLINE_ONBOARDING_MODE: 'admin' })).toThrow(
      /HARDLINE_ONBOARDING_MODE/,
    );
    expect(() => onboardingDeps({ AWS_REGION: 'eu-west-1', HARDLINE_REGIONS: 'eu-west-1' })).toThrow(/HARDLINE_ACCOUNT_ID is required/);
  });
});
