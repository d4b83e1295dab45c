import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../shared/core/backoff.js';

describe('backoffDelay', () => {
  it('doubles the cap per retry from baseDelayMs, caps it at maxDelayMs, and jitters below it', () => {
    const opts = { baseDelayMs: 100, maxDelayMs: 5_000 };
    expect(backoffDelay(1, { ...opts, random: () => 0.999_999 })).toBe(99);
    expect(backoffDelay(3, { ...opts, random: () => 1 })).toBe(400);
    expect(backoffDelay(20, { ...opts, random: () => 1 })).toBe(5_000);
    expect(backoffDelay(3, { ...opts, random: () => 0 })).toBe(0);
    expect(backoffDelay(2, { ...opts, random: () => 0.5 })).toBe(100);
  });
});
