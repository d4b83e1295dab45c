import { describe, expect, it } from 'vitest';
import { ECR_WRITE_ACTIONS } from '../../shared/controls/eks/node-role-ecr-readonly.js';
import { grantedActions, roleGrants } from '../../shared/policy/iam/actions.js';

const doc = (...Statement: Record<string, unknown>[]) => ({ Version: '2012-10-17', Statement });
const granted = (...statements: Record<string, unknown>[]) => [
  ...new Set(grantedActions([{ name: 'p', document: doc(...statements) }], 'ecr', ECR_WRITE_ACTIONS).grants.map((g) => g.action)),
];
const REPO = 'arn:aws:ecr:eu-west-1:111122223333:repository/shop/web';

describe('IAM policy grants (what a role can do on one service)', () => {
  it('matches action patterns with wildcards and without regard to case', () => {
    expect(granted({ Effect: 'Allow', Action: 'ECR:putimage', Resource: '*' })).toEqual(['ecr:PutImage']);
    expect(granted({ Effect: 'Allow', Action: ['ecr:*Layer*'], Resource: '*' })).toEqual([
      'ecr:InitiateLayerUpload',
      'ecr:UploadLayerPart',
      'ecr:CompleteLayerUpload',
    ]);
    expect(granted({ Effect: 'Allow', Action: 'ecr:Get*', Resource: '*' })).toEqual([]);
    expect(granted({ Effect: 'Allow', Action: 'ecr-public:*', Resource: '*' })).toEqual([]);
    expect(granted({ Effect: 'Allow', Action: '*', Resource: '*' })).toHaveLength(ECR_WRITE_ACTIONS.length);
  });

  it('counts NotAction Allows (everything but the listed actions) and Statement given as one object', () => {
    const one = { Version: '2012-10-17', Statement: { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' } };
    expect(grantedActions([{ name: 'poweruser', document: one }], 'ecr', ['ecr:PutImage']).grants).toHaveLength(1);
    expect(granted({ Effect: 'Allow', NotAction: 'ecr:*', Resource: '*' })).toEqual([]);
  });

  it('grants only where the Resource can name an ECR resource', () => {
    expect(granted({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::artifacts/*' })).toEqual([]);
    expect(granted({ Effect: 'Allow', Action: 'ecr:PutImage', Resource: REPO })).toEqual(['ecr:PutImage']);
    expect(granted({ Effect: 'Allow', Action: 'ecr:PutImage', Resource: 'arn:aws:*' })).toEqual(['ecr:PutImage']);
    expect(granted({ Effect: 'Allow', Action: 'ecr:PutImage', Resource: 'arn:*' })).toEqual(['ecr:PutImage']);
    expect(granted({ Effect: 'Allow', Action: 'ecr:PutImage', NotResource: REPO })).toEqual(['ecr:PutImage']);
  });

  it('a Deny takes an action away only when unconditional and covering every ECR resource', () => {
    const allow = { Effect: 'Allow', Action: 'ecr:*', Resource: '*' };
    expect(granted(allow, { Effect: 'Deny', Action: 'ecr:*', Resource: '*' })).toEqual([]);
    expect(granted(allow, { Effect: 'Deny', Action: 'ecr:*', Resource: 'arn:aws:ecr:*:*:*' })).toEqual([]);
    expect(granted(allow, { Effect: 'Deny', Action: 'ecr:*', Resource: REPO })).toHaveLength(ECR_WRITE_ACTIONS.length);
    expect(granted(allow, { Effect: 'Deny', Action: 'ecr:*', Resource: 'arn:aws:ecr:*:111122223333:repository/*' })).toHaveLength(
      ECR_WRITE_ACTIONS.length,
    );
    expect(
      granted(allow, { Effect: 'Deny', Action: 'ecr:*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }),
    ).toHaveLength(ECR_WRITE_ACTIONS.length);
    expect(granted(allow, { Effect: 'Deny', NotAction: 'ecr:PutImage', Resource: '*' })).toEqual(['ecr:PutImage']);
  });

  it('marks an Allow under a Condition as conditional (still granted), and names policy and Sid', () => {
    const out = grantedActions(
      [
        {
          name: 'ci',
          document: doc({
            Sid: 'Push',
            Effect: 'Allow',
            Action: 'ecr:PutImage',
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } },
          }),
        },
      ],
      'ecr',
      ['ecr:PutImage'],
    );
    expect(out.grants).toEqual([{ action: 'ecr:PutImage', policy: 'ci', sid: 'Push', conditional: true }]);
  });

  it('reports documents that are not policies instead of reading them as "grants nothing"', () => {
    const out = grantedActions(
      [
        { name: 'broken', document: { Statement: [{ Effect: 'Maybe' }] } },
        { name: 'text', document: 'x' },
      ],
      'ecr',
      ['ecr:PutImage'],
    );
    expect(out).toEqual({ grants: [], unparsable: ['broken', 'text'] });
  });

  it('caps the grants of a role by its permissions boundary', () => {
    const power = {
      name: 'power',
      document: doc({ Effect: 'Allow', Action: ['ecr:PutImage', 'ecr:BatchGetImage', 's3:*'], Resource: '*' }),
    };
    const pullOnly = {
      name: 'boundary',
      document: doc({ Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: '*' }),
    };
    const everything = { name: 'boundary', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) };
    expect(roleGrants({ policies: [power], boundary: pullOnly }, 'ecr', ['ecr:PutImage']).grants).toEqual([]);
    expect(roleGrants({ policies: [power], boundary: everything }, 'ecr', ['ecr:PutImage']).grants).toHaveLength(1);
    expect(roleGrants({ policies: [power] }, 'ecr', ['ecr:PutImage']).grants).toHaveLength(1);
    // A boundary that cannot be read caps nothing and says so.
    expect(roleGrants({ policies: [power], boundary: { name: 'b', document: null } }, 'ecr', ['ecr:PutImage'])).toEqual({
      grants: [expect.objectContaining({ action: 'ecr:PutImage' })],
      unparsable: ['b'],
      boundaryUnreadable: true,
    });
  });
});
