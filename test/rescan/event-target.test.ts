import { describe, expect, it } from 'vitest';
import { changeSignalOf } from '../../shared/rescan/event-target.js';
import { cloudTrailEvent, type ApiCall } from '../support/cloudtrail.js';

const ACCOUNT = '444455556666';
const call = (c: Partial<ApiCall> & Pick<ApiCall, 'service' | 'eventName'>) =>
  cloudTrailEvent({ accountId: ACCOUNT, region: 'eu-west-1', ...c });

describe('change event → the target it touches', () => {
  it('an ECR call → the registry of that account and region (repository calls and registry calls alike)', () => {
    for (const eventName of ['PutImageTagMutability', 'DeleteRepository', 'PutRegistryScanningConfiguration']) {
      expect(changeSignalOf(call({ service: 'ecr', eventName, requestParameters: { repositoryName: 'shop/web' } }))).toEqual({
        targets: [{ kind: 'registry', accountId: ACCOUNT, region: 'eu-west-1' }],
        attempt: 0,
        why: `${eventName} in ${ACCOUNT}/eu-west-1`,
      });
    }
  });

  it('an EKS call → the cluster named by name or clusterName, else by the response', () => {
    const cluster = (name: string) => [{ kind: 'cluster', accountId: ACCOUNT, region: 'eu-west-1', name }];
    expect(
      changeSignalOf(
        call({
          service: 'eks',
          eventName: 'UpdateClusterConfig',
          requestParameters: { name: 'prod-eu', resourcesVpcConfig: { endpointPublicAccess: true } },
        }),
      ),
    ).toMatchObject({ targets: cluster('prod-eu') });
    expect(
      changeSignalOf(
        call({
          service: 'eks',
          eventName: 'CreateAccessEntry',
          requestParameters: { clusterName: 'prod-eu', principalArn: 'arn:aws:iam::444455556666:role/x' },
        }),
      ),
    ).toMatchObject({ targets: cluster('prod-eu') });
    expect(
      changeSignalOf(
        call({ service: 'eks', eventName: 'UpdateNodegroupVersion', requestParameters: { name: 'prod-eu', nodegroupName: 'ng-1' } }),
      ),
    ).toMatchObject({ targets: cluster('prod-eu') });
    expect(
      changeSignalOf(
        call({ service: 'eks', eventName: 'CreateCluster', responseElements: { cluster: { name: 'new-one', status: 'CREATING' } } }),
      ),
    ).toMatchObject({ targets: cluster('new-one') });
    expect(
      changeSignalOf(
        call({ service: 'eks', eventName: 'DeleteAddon', responseElements: { addon: { clusterName: 'prod-eu', addonName: 'vpc-cni' } } }),
      ),
    ).toMatchObject({ targets: cluster('prod-eu') });
  });

  it("the account and region are the call's own (recipientAccountId, awsRegion), as the forwarded event keeps them", () => {
    const e = call({ service: 'ecr', eventName: 'SetRepositoryPolicy' });
    (e['detail'] as Record<string, unknown>)['awsRegion'] = 'us-east-1';
    expect(changeSignalOf(e)).toMatchObject({ targets: [{ kind: 'registry', accountId: ACCOUNT, region: 'us-east-1' }] });
  });

  it('ignores a failed call, a call it does not act on, a cluster name that is not one, and anything else', () => {
    expect(changeSignalOf(call({ service: 'ecr', eventName: 'PutImageTagMutability', errorCode: 'AccessDenied' }))).toEqual({
      ignored: 'PutImageTagMutability failed (AccessDenied)',
    });
    expect(changeSignalOf(call({ service: 'eks', eventName: 'TagResource', requestParameters: { name: 'prod' } }))).toMatchObject({
      ignored: expect.stringContaining('does not change'),
    });
    expect(
      changeSignalOf(call({ service: 'eks', eventName: 'UpdateClusterConfig', requestParameters: { name: '../../etc' } })),
    ).toMatchObject({ ignored: expect.stringContaining('names no cluster') });
    expect(changeSignalOf({ hello: 'world' })).toMatchObject({ ignored: expect.stringContaining('neither') });
    expect(changeSignalOf(call({ service: 'ecr', eventName: 'CreateCluster' }))).toMatchObject({ ignored: expect.any(String) });
  });

  it('a Rescan Requested event carries its targets (and a follow-up its attempt); a detail off the schema is ignored', () => {
    const targets = [{ kind: 'cluster', accountId: ACCOUNT, region: 'eu-west-1', name: 'prod-eu' }];
    expect(
      changeSignalOf({
        source: 'hardline.rescan',
        'detail-type': 'Rescan Requested',
        detail: { targets, reason: 'k8s audit: clusterrolebinding created' },
      }),
    ).toEqual({ targets, attempt: 0, why: 'k8s audit: clusterrolebinding created' });
    expect(changeSignalOf({ source: 'hardline.rescan', 'detail-type': 'Rescan Requested', detail: { targets, attempt: 3 } })).toMatchObject(
      { attempt: 3 },
    );
    expect(
      changeSignalOf({
        source: 'hardline.rescan',
        'detail-type': 'Rescan Requested',
        detail: { targets: [{ kind: 'cluster', accountId: ACCOUNT, region: 'eu-west-1' }] },
      }),
    ).toMatchObject({ ignored: expect.any(String) });
    expect(changeSignalOf({ source: 'somebody.else', 'detail-type': 'Rescan Requested', detail: { targets } })).toMatchObject({
      ignored: expect.any(String),
    });
  });
});
