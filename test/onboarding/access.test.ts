import { describe, expect, it } from 'vitest';
import { classifyKubernetesAccess, kubernetesAccessOf } from '../../shared/cluster-access/kubernetes-access.js';
import type { OnboardingGuide } from '../../shared/cluster-access/onboarding-commands.js';
import type { Target } from '../../shared/core/types.js';
import type { Gap, Inventory, TargetInput } from '../../shared/inventory/types.js';

const target: Target = { kind: 'cluster', accountId: '444455556666', region: 'eu-west-1', name: 'payments' };
const guide: OnboardingGuide = { mode: 'readers-group', partition: 'aws', memberRoleName: 'hardline-read' };

function collected(gaps: Gap[], cluster: Record<string, unknown> = {}): TargetInput {
  const inventory: Inventory = {
    target,
    collectedAt: '2026-11-24T03:00:00Z',
    origin: 'live',
    resources: [],
    eks: {
      cluster: {
        name: 'payments',
        resourcesVpcConfig: { endpointPublicAccess: true },
        accessConfig: { authenticationMode: 'API' },
        ...cluster,
      },
    },
    gaps,
  };
  return { inventory };
}
const whole = (reason: Gap['reason'], message = `cluster payments: the Kubernetes API could not be read (${reason})`): Gap[] => [
  { source: 'Pod', reason, message },
  { source: 'kubernetes', reason, message },
];

describe('Kubernetes access of a cluster target', () => {
  it('classifies what the collector reported', () => {
    const state = (input: TargetInput) => classifyKubernetesAccess(input)?.state;
    expect(state(collected([]))).toBe('read');
    expect(state(collected(whole('unauthorized')))).toBe('unauthorized');
    expect(state(collected(whole('forbidden')))).toBe('forbidden-partial');
    expect(state(collected([{ source: 'ClusterRoleBinding', reason: 'forbidden', message: '403' }]))).toBe('forbidden-partial');
    expect(state(collected(whole('timeout')))).toBe('unreachable');
    expect(state(collected(whole('unreachable')))).toBe('unreachable');
    // A private endpoint that gave no answer has no route from this scanner; so has one the collector names so.
    expect(state(collected(whole('unreachable'), { resourcesVpcConfig: { endpointPublicAccess: false } }))).toBe('private-no-route');
    expect(state(collected(whole('unreachable', 'private-no-route: no scan function in vpc-0abc')))).toBe('private-no-route');
    expect(state(collected(whole('private-no-route' as Gap['reason'])))).toBe('private-no-route');
  });

  it('transient gaps on some kinds and AWS-side gaps are an incomplete scan, not missing access', () => {
    const gaps: Gap[] = [
      { source: 'Deployment', reason: 'timeout', message: 'no answer within 2000 ms' },
      { source: 'eks:nodegroups', reason: 'forbidden', message: 'AccessDenied' },
      { source: 'ecr:image-scan-findings', reason: 'throttled', message: 'Rate exceeded' },
    ];
    expect(classifyKubernetesAccess(collected(gaps))).toEqual({ state: 'read' });
  });

  it('failed targets are not-scanned; registries, manifests and disabled regions carry no state', () => {
    const denied: TargetInput = {
      target: { ...target, name: '*' },
      failure: { status: 'UNKNOWN', reason: 'account 444455556666: cannot assume the member role hardline-read: AccessDenied' },
    };
    expect(kubernetesAccessOf(denied, guide)).toMatchObject({
      state: 'not-scanned',
      step: expect.stringMatching(/deploy the member read role to account 444455556666/),
    });
    const off: TargetInput = {
      target: { ...target, name: '*' },
      failure: { status: 'UNKNOWN', reason: 'region ap-east-1 is not enabled in account 444455556666 (account:ListRegions)' },
    };
    expect(classifyKubernetesAccess(off)).toBeUndefined();
    expect(
      classifyKubernetesAccess({
        target: { kind: 'registry', accountId: '444455556666', region: 'eu-west-1', name: 'r' },
        failure: { status: 'ERROR', reason: 'x' },
      }),
    ).toBeUndefined();
    expect(
      classifyKubernetesAccess({
        inventory: {
          target: { kind: 'cluster', name: 'kind-dev' },
          collectedAt: '',
          origin: 'live',
          resources: [],
          gaps: whole('unauthorized'),
        },
      }),
    ).toBeUndefined();
  });

  it('the onboarding step names the mode, the member role and the cluster; CONFIG_MAP clusters first enable access entries', () => {
    const readers = kubernetesAccessOf(collected(whole('unauthorized')), guide)!.step!;
    expect(readers).toContain(
      'aws eks create-access-entry --region eu-west-1 --cluster-name payments --principal-arn arn:aws:iam::444455556666:role/hardline-read --kubernetes-groups hardline-readers',
    );
    expect(readers).not.toContain('update-cluster-config');
    const configMap = kubernetesAccessOf(collected(whole('unauthorized'), { accessConfig: { authenticationMode: 'CONFIG_MAP' } }), {
      ...guide,
      mode: 'eks-policy',
      partition: 'aws-cn',
    })!.step!;
    expect(configMap).toMatch(/aws-auth ConfigMap only/);
    expect(configMap.indexOf('update-cluster-config --name payments --access-config authenticationMode=API_AND_CONFIG_MAP')).toBeLessThan(
      configMap.indexOf('create-access-entry'),
    );
    expect(configMap).toContain(
      '--policy-arn arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy --access-scope type=cluster',
    );
    expect(configMap).toContain('--principal-arn arn:aws-cn:iam::444455556666:role/hardline-read');
    // Without the role's name (the CLI), the command says what to put there.
    expect(kubernetesAccessOf(collected(whole('unauthorized')), { mode: 'readers-group' })!.step).toContain(
      '--principal-arn <ARN of the role hardline scans with>',
    );
    expect(kubernetesAccessOf(collected(whole('forbidden')), guide)!.step).toContain(
      'kubectl --context <payments> apply -f deploy/hardline-readers.yaml',
    );
    expect(kubernetesAccessOf(collected([]), guide)).toEqual({ state: 'read' });
  });
});
