import { describe, expect, it } from 'vitest';
import { getPath, recordsWhere } from '../../shared/inventory/read.js';

describe('getPath', () => {
  const cronJob = { spec: { jobTemplate: { spec: { template: { spec: { hostPID: true, os: null, list: [1] } } } } } };

  it('walks up to five keys through records', () => {
    expect(getPath(cronJob, 'spec', 'jobTemplate', 'spec', 'template', 'spec')).toEqual({ hostPID: true, os: null, list: [1] });
    expect(getPath(cronJob, 'spec')).toBe(cronJob.spec);
    expect(getPath({ a: { b: 0 } }, 'a', 'b')).toBe(0);
    expect(getPath({ a: { b: null } }, 'a', 'b')).toBeNull();
  });

  it('is undefined when a step is missing, null, a list or not an object', () => {
    expect(getPath(cronJob, 'spec', 'missing', 'spec')).toBeUndefined();
    expect(getPath({ a: null }, 'a', 'b')).toBeUndefined();
    expect(getPath({ a: [{ b: 1 }] }, 'a', 'b')).toBeUndefined();
    expect(getPath({ a: 'text' }, 'a', 'length')).toBeUndefined();
    expect(getPath(undefined, 'a')).toBeUndefined();
    expect(getPath([1], 'length')).toBeUndefined();
  });
});

describe('recordsWhere', () => {
  it('keeps the records a predicate accepts, in order, skipping what is not a record; undefined when none or not a list', () => {
    const hostPath = (r: Record<string, unknown>) => r['hostPath'] !== undefined;
    const list = [{ name: 'a', hostPath: {} }, 'x', null, { name: 'b' }, { name: 'c', hostPath: { path: '/' } }];
    expect(recordsWhere(list, hostPath)).toEqual([list[0], list[4]]);
    expect(recordsWhere([{ name: 'b' }, 3], hostPath)).toBeUndefined();
    expect(recordsWhere({ hostPath: {} }, hostPath)).toBeUndefined();
    expect(recordsWhere(undefined, hostPath)).toBeUndefined();
  });
});
