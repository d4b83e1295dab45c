import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DETAIL_TYPES } from '../../shared/events/types.js';
import { REPO_ROOT } from '../support/paths.js';
import { eventValidator } from './schema-validator.js';

/**
 * docs/events.md is part of the contract: each detail-type section has an example event that must
 * validate against its schema and an example rule that must match it.
 */
const doc = readFileSync(`${REPO_ROOT}docs/events.md`, 'utf8');

function section(type: string): { event: Record<string, unknown>; rule: Record<string, unknown> } {
  const start = doc.indexOf(`\n## ${type}\n`);
  expect(start, `docs/events.md has a "## ${type}" section`).toBeGreaterThan(-1);
  const end = doc.indexOf('\n## ', start + 1);
  const blocks = [...doc.slice(start, end).matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
  expect(blocks).toHaveLength(2);
  return { event: blocks[0]!, rule: blocks[1]! };
}

type Json = unknown;
/** The EventBridge pattern subset the examples use: value lists, `numeric` ranges, nested objects. */
function matches(pattern: Record<string, Json>, event: Record<string, Json>): boolean {
  return Object.entries(pattern).every(([key, p]) => {
    const value = event[key];
    if (!Array.isArray(p))
      return typeof value === 'object' && value !== null && matches(p as Record<string, Json>, value as Record<string, Json>);
    return p.some((option: Json) => {
      if (typeof option === 'object' && option !== null && 'numeric' in option) {
        const [op, n] = (option as { numeric: [string, number] }).numeric;
        if (typeof value !== 'number') return false;
        return op === '>=' ? value >= n : op === '>' ? value > n : op === '<' ? value < n : op === '<=' ? value <= n : value === n;
      }
      return Array.isArray(value) ? value.includes(option) : value === option;
    });
  });
}

describe('docs/events.md', () => {
  it.each(DETAIL_TYPES)('%s: the example event validates against its schema and its example rule matches it', (type) => {
    const { event, rule } = section(type);
    const validate = eventValidator(type);
    expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
    expect(matches(rule, event)).toBe(true);
  });

  it('the example rules do not match everything', () => {
    const { event, rule } = section('Finding Opened');
    const detail = event['detail'] as Record<string, unknown>;
    expect(matches(rule, { ...event, detail: { ...detail, severity: 'medium', severity_id: 3 } })).toBe(false);
    expect(
      matches(section('Finding Reopened').rule, { ...event, 'detail-type': 'Finding Reopened', detail: { ...detail, severity_id: 3 } }),
    ).toBe(false);
    const scan = section('Scan Completed');
    const counts = (scan.event['detail'] as { targetCounts: Record<string, number> }).targetCounts;
    expect(
      matches(scan.rule, { ...scan.event, detail: { ...(scan.event['detail'] as object), targetCounts: { ...counts, UNKNOWN: 0 } } }),
    ).toBe(false);
  });
});
