import { describe, expect, it } from 'vitest';
import { compileCalicoSelector } from '../../shared/policy/network/calico-selector.js';
import { mapLookup, matchLabelSelector, UNKNOWN_LABEL, type LabelLookup } from '../../shared/policy/selectors.js';

const labels = mapLookup({ app: 'web', tier: 'frontend', 'projectcalico.org/namespace': 'shop' });
/** Namespace known, pod labels unknown: "any pod of the namespace". */
const anyPod: LabelLookup = (k) => (k === 'projectcalico.org/namespace' ? 'shop' : UNKNOWN_LABEL);

describe('Kubernetes label selectors', () => {
  it('matches matchLabels and every matchExpressions operator', () => {
    expect(matchLabelSelector({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(matchLabelSelector({ matchLabels: { app: 'api' } }, labels)).toBe(false);
    expect(matchLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend', 'edge'] }] }, labels)).toBe(true);
    expect(matchLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['frontend'] }] }, labels)).toBe(false);
    expect(matchLabelSelector({ matchExpressions: [{ key: 'missing', operator: 'NotIn', values: ['x'] }] }, labels)).toBe(true);
    expect(matchLabelSelector({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels)).toBe(true);
    expect(matchLabelSelector({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels)).toBe(false);
  });

  it('selects everything with {} and nothing with an invalid selector or operator', () => {
    expect(matchLabelSelector({}, labels)).toBe(true);
    expect(matchLabelSelector(undefined, labels)).toBe(false);
    expect(matchLabelSelector('app=web', labels)).toBe(false);
    expect(matchLabelSelector({ matchExpressions: [{ key: 'app', operator: 'Matches', values: ['w.*'] }] }, labels)).toBe(false);
  });

  it('is unknown (not true) when a term depends on labels that are not known, but false wins', () => {
    const unknown: LabelLookup = () => UNKNOWN_LABEL;
    expect(matchLabelSelector({ matchLabels: { app: 'web' } }, unknown)).toBeUndefined();
    expect(matchLabelSelector({}, unknown)).toBe(true);
  });
});

describe('Calico selector expressions', () => {
  const cases: [string, boolean][] = [
    ['all()', true],
    ['', true],
    ["app == 'web'", true],
    ['app == "api"', false],
    ["app != 'api'", true],
    ["missing != 'x'", true],
    ['has(tier)', true],
    ['!has(tier)', false],
    ["tier in {'frontend', 'edge'}", true],
    ["tier not in {'frontend'}", false],
    ["missing not in {'a'}", true],
    ["app contains 'e'", true],
    ["app starts with 'w'", true],
    ["app ends with 'x'", false],
    ["app == 'web' && (tier == 'backend' || has(tier))", true],
    ["!(app == 'web') || tier == 'x'", false],
    ["projectcalico.org/namespace not in {'kube-system', 'calico-system'}", true],
  ];
  it.each(cases)('%s → %s', (expr, expected) => {
    const { select, error } = compileCalicoSelector(expr);
    expect(error).toBeUndefined();
    expect(select(labels)).toBe(expected);
  });

  it('keeps namespace-only selectors decidable for "any pod" and pod-label ones unknown', () => {
    expect(compileCalicoSelector("projectcalico.org/namespace == 'shop'").select(anyPod)).toBe(true);
    expect(compileCalicoSelector("projectcalico.org/namespace == 'shop' && app == 'web'").select(anyPod)).toBeUndefined();
    expect(compileCalicoSelector("projectcalico.org/namespace == 'other' && app == 'web'").select(anyPod)).toBe(false);
    expect(compileCalicoSelector("projectcalico.org/namespace == 'shop' || app == 'web'").select(anyPod)).toBe(true);
  });

  it('reports a selector that does not parse and lets it select nothing', () => {
    for (const bad of ["app == 'web", 'app ===', 'has(app', "app in {'a' 'b'}", "app starts 'x'"]) {
      const { select, error } = compileCalicoSelector(bad);
      expect(error, bad).toBeDefined();
      expect(select(labels), bad).toBe(false);
    }
  });
});
