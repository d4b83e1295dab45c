import { describe, expect, it } from 'vitest';
import { classifyAwsError, mergeGaps } from '../../../shared/collectors/aws/errors.js';

const err = (name: string, message = 'boom', extra: object = {}) => Object.assign(new Error(message), { name }, extra);

describe('classifyAwsError', () => {
  it.each([
    ['AccessDeniedException', 'forbidden', 'UNKNOWN'],
    ['AccessDenied', 'forbidden', 'UNKNOWN'],
    ['UnauthorizedOperation', 'forbidden', 'UNKNOWN'],
    ['UnrecognizedClientException', 'unauthorized', 'UNKNOWN'],
    ['ExpiredTokenException', 'unauthorized', 'UNKNOWN'],
    ['ThrottlingException', 'throttled', 'UNKNOWN'],
    ['RequestLimitExceeded', 'throttled', 'UNKNOWN'],
    ['OptInRequired', 'unreachable', 'UNKNOWN'],
    ['TimeoutError', 'timeout', 'UNKNOWN'],
    ['ResourceNotFoundException', 'not-found', 'UNKNOWN'],
    ['ServerException', 'error', 'ERROR'],
  ])('%s → %s / %s', (name, reason, status) => {
    expect(classifyAwsError(err(name), 'op')).toMatchObject({ reason, status });
  });

  it('treats a refused or unresolvable endpoint as unreachable', () => {
    const e = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(classifyAwsError(e, 'op')).toMatchObject({ reason: 'unreachable', status: 'UNKNOWN' });
    expect(classifyAwsError(err('Error', 'getaddrinfo ENOTFOUND x', { code: 'ENOTFOUND' }), 'op')).toMatchObject({ reason: 'unreachable' });
  });

  it('never repeats a credential that an error message happens to carry', () => {
    const f = classifyAwsError(err('InvalidClientTokenId', 'The security token AKIAIOSFODNN7EXAMPLE is invalid'), 'sts:GetCallerIdentity');
    expect(f.message).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(f.message).toContain('sts:GetCallerIdentity');
  });
});

describe('mergeGaps', () => {
  it('collapses gaps of one source and reason, keeps different reasons apart', () => {
    const g = (source: string, reason: 'forbidden' | 'throttled', message: string) => ({ source, reason, message });
    const merged = mergeGaps(
      [
        g('ecr:lifecycle-policies', 'forbidden', 'a'),
        g('ecr:lifecycle-policies', 'forbidden', 'b'),
        g('ecr:lifecycle-policies', 'throttled', 'c'),
        g('eks:addons', 'forbidden', 'd'),
      ],
      { 'ecr:lifecycle-policies': 10 },
    );
    expect(merged).toEqual([
      { source: 'ecr:lifecycle-policies', reason: 'forbidden', message: '2 of 10 reads failed; first: a' },
      g('ecr:lifecycle-policies', 'throttled', 'c'),
      g('eks:addons', 'forbidden', 'd'),
    ]);
  });
});
