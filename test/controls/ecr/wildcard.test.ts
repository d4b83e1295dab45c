import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exclusionBreadth, wildcardMatches } from '../../../shared/controls/ecr/wildcard.js';

describe('wildcardMatches (ECR WILDCARD filters)', () => {
  it.each([
    ['*', 'anything/at/all', true],
    ['prod-*', 'prod-api', true],
    ['prod-*', 'team/prod-api', false],
    ['*/api', 'payments/api', true],
    ['*api', 'payments/api', true],
    ['payments', 'payments/api', false],
    ['payments/*', 'payments/api', true],
    ['pay*ts/*', 'payments/api', true],
    ['a.b', 'axb', false],
    ['a+b', 'a+b', true],
    ['(x)', '(x)', true],
  ])('%s vs %s → %s', (filter, name, expected) => {
    expect(wildcardMatches(filter, name)).toBe(expected);
  });

  it('matches a name with itself, with * everywhere, and never a different literal', () => {
    const name = fc.stringMatching(/^[a-z0-9][a-z0-9._/-]{0,30}$/);
    fc.assert(fc.property(name, (n) => wildcardMatches(n, n) && wildcardMatches('*', n) && wildcardMatches(`${n.slice(0, 1)}*`, n)));
    fc.assert(fc.property(name, name, (a, b) => a === b || !wildcardMatches(a, b)));
  });
});

describe('exclusionBreadth (IMMUTABLE_WITH_EXCLUSION)', () => {
  it.each([
    ['latest', true],
    ['dev-*', true],
    ['pr-*', true],
    ['cache-build-*', true],
    ['*', false],
    ['**', false],
    ['*-rc', false],
    ['a*', false],
    ['latest*', false],
    ['v*', false],
    ['v1.*', false],
    ['1.*', false],
    ['release-*', false],
    ['prod*', false],
  ])('%s narrow=%s', (filter, narrow) => {
    expect(exclusionBreadth(filter).narrow).toBe(narrow);
  });
});
